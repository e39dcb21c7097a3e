# corpus: not-test

def half(items):
    return int(len(items) / 2)  # expect: int-of-true-division
