# corpus: not-test

import os
import stat


def share(path):
    os.chmod(path, stat.S_IRUSR | stat.S_IWOTH)  # expect: permissive-file-mode
    os.makedirs(path, 0o666)  # expect: permissive-file-mode
