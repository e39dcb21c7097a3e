def test_x(api):
    assert api.ratio() == 0.75  # expect: float-exact-equality
