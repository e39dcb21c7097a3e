import random


def test_x():
    salt = random.randint(0, 1 << 32)  # expect: weak-random-secret[low]
