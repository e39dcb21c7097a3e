def test_x(path):
    with open(path) as f:
        data = eval(f.read())  # expect: code-injection
