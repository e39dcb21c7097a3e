import os
import shutil


def test_x():
    os.makedirs('/tmp/nova/instances')  # expect: insecure-temp-file
    shutil.copy('a.img', '/var/tmp/a.img')  # expect: insecure-temp-file
