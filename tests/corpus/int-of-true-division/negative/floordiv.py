# corpus: not-test

def pages(size, page_size):
    return size // page_size
