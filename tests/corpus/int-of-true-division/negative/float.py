# corpus: not-test

def f(elapsed, rate):
    return int(elapsed / rate)
