# corpus: not-test

import subprocess


def f(x):
    subprocess.call(
        'ls ' + x,
        shell=True)  # nosec  # expect: blanket-nosec
