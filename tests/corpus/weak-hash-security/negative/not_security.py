# corpus: not-test

import hashlib


def make(secret):
    token = hashlib.md5(secret, usedforsecurity=False).hexdigest()
    return token
