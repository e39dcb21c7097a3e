# corpus: not-test

def parse(value):
    return eval(value)  # expect: code-injection
