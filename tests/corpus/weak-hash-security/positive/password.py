# corpus: not-test

import hashlib


def store(pw):
    password_hash = hashlib.md5(pw.encode()).hexdigest()  # expect: weak-hash-security
    return password_hash
