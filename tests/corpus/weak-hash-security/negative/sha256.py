# corpus: not-test

import hashlib


def make(secret):
    token = hashlib.sha256(secret).hexdigest()
    return token
