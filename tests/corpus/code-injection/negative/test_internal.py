def test_x(expr):
    assert eval(expr) == 2
