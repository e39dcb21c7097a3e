# corpus: not-test

import random
import string


def make():
    password = ''.join(random.choice(string.ascii_letters) for _ in range(12))  # expect: weak-random-secret[medium]
    return password
