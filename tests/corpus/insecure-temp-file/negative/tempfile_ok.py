import os
import tempfile


def test_x():
    fd, path = tempfile.mkstemp()
    os.unlink(path)
