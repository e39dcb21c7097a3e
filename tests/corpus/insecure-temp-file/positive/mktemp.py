import tempfile


def test_x():
    path = tempfile.mktemp()  # expect: insecure-temp-file
