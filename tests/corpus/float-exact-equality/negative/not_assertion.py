def ratio(a, b):
    if a / b == 0.5:
        return 1
