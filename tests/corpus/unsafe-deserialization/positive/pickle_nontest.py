# corpus: not-test

import pickle


def load(blob):
    return pickle.loads(blob)  # expect: unsafe-deserialization[medium]
