# corpus: not-test

import os


def f(x):
    os.system('ls ' + x)  # nosec  # expect: blanket-nosec
