# corpus: not-test

import zipfile


def unpack(path, dest):
    zf = zipfile.ZipFile(path)
    for name in zf.namelist():
        if name.startswith('/') or '..' in name:
            raise ValueError(name)
    zf.extractall(dest)
