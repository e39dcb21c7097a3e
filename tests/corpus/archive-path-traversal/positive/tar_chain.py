# corpus: not-test

import tarfile


def unpack(path, dest):
    tarfile.open(path).extractall(dest)  # expect: archive-path-traversal
