import time

from nova.scheduler import host_manager
from nova import test


class TestX(test.NoDBTestCase):
    def test_x(self):
        time.sleep = lambda s: None  # expect: global-state-not-restored
        host_manager.LOG.debug = host_manager.LOG.error  # expect: global-state-not-restored
