from oslo_concurrency import processutils
from oslo_concurrency import processutils as putils

from nova import utils


class TestFunctional(object):
    def test_run(self):
        processutils.execute('ls %s' % self.path, shell=True)  # expect: shell-injection
        putils.execute('cat', self.path, shell=True)  # expect: shell-injection[medium]
        utils.execute('echo ' + self.name, shell=True)  # expect: shell-injection
        processutils.execute('true', shell=True)  # expect: shell-injection[low]
