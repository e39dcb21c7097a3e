# corpus: not-test

from cryptography.hazmat.primitives.ciphers import algorithms, modes


def make(key):
    return algorithms.TripleDES(key), modes.ECB()  # expect: weak-crypto-protocol, weak-crypto-protocol
