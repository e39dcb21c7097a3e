# corpus: not-test

import os


def keep(path):
    os.chmod(path, 0o600)
    os.makedirs(path, 0o755)
