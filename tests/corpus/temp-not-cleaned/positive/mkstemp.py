import tempfile


def test_x():
    fd, path = tempfile.mkstemp(suffix='.img')  # expect: temp-not-cleaned
