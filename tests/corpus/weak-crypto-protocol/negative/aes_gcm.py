# corpus: not-test

from cryptography.hazmat.primitives.ciphers import algorithms, modes


def make(key, iv):
    return algorithms.AES(key), modes.GCM(iv)
