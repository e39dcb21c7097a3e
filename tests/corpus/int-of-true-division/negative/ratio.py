# corpus: not-test

def pct(used, ratio):
    return int(used * 100 / ratio)
