import os
import pathlib


def test_x(tmp):
    pathlib.Path(tmp).chmod(0o776)  # expect: permissive-file-mode
    fd = os.open(tmp, os.O_CREAT, 0o002)  # expect: permissive-file-mode
