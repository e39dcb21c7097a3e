def test_x(api):
    if api.broken:
        raise RuntimeError('x')
        assert api.fixed  # expect: unreachable-assertion
