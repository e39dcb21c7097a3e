def test_x(api):
    assert api.ok
