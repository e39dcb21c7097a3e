# corpus: not-test

import yaml


def load(path):
    with open(path) as f:
        return yaml.load(f)  # expect: unsafe-deserialization
