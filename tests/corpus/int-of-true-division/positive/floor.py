# corpus: not-test

import math


def gb(total_bytes):
    return math.floor(total_bytes / 1024)  # expect: int-of-true-division
