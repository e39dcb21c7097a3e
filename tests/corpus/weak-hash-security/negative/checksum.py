# corpus: not-test

import hashlib


def checksum(data):
    digest = hashlib.md5(data).hexdigest()
    return digest
