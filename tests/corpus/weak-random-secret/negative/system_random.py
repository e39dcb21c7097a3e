# corpus: not-test

import random


def make(keys):
    key = random.choice(keys)
    return key
