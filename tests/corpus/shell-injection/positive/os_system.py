# corpus: not-test
import os
from os import popen, system


def mount(device, target):
    os.system('mount %s %s' % (device, target))  # expect: shell-injection
    system('umount ' + target)  # expect: shell-injection
    popen(device).read()  # expect: shell-injection
    os.system("sync")  # expect: shell-injection[low]
