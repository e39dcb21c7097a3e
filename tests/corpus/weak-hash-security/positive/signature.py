# corpus: not-test

import hashlib


def sign(body):
    return {'signature': hashlib.sha1(body).hexdigest()}  # expect: weak-hash-security
