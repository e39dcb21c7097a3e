def check(x):
    return x is not ()  # expect: is-literal-comparison
