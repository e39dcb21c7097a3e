# corpus: not-test

from oslo_concurrency import processutils


def run(path):
    processutils.execute('qemu-img info %s' % path)
