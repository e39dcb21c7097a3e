# corpus: not-test

import random


def make():
    return {'token': random.getrandbits(128)}  # expect: weak-random-secret
