import tempfile


def test_x():
    with tempfile.NamedTemporaryFile() as f:
        f.write(b'x')
    with tempfile.TemporaryDirectory() as d:
        pass
