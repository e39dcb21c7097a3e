# corpus: not-test

def f():
    return eval('1 + 1')
