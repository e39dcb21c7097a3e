import tempfile


def test_x():
    f = tempfile.NamedTemporaryFile(delete=False)  # expect: temp-not-cleaned
    f.write(b'x')
