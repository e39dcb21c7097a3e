# corpus: not-test

import os


def share(path):
    os.chmod(path, 0o777)  # expect: permissive-file-mode
