# corpus: not-test

import hashlib


def make(secret):
    token = hashlib.new('md5', secret).hexdigest()  # expect: weak-hash-security
    return token
