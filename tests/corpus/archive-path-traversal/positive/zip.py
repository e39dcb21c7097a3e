# corpus: not-test

import zipfile


def unpack(path, dest):
    zf = zipfile.ZipFile(path)
    zf.extractall(dest)  # expect: archive-path-traversal
