# corpus: not-test

def pages(size, page_size):
    return int(size / page_size)  # expect: int-of-true-division
