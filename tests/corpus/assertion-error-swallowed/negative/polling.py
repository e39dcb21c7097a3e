from unittest import mock

from nova import test



import time


class TestX(test.NoDBTestCase):
    def _wait(self):
        for i in range(10):
            try:
                self.assertEqual('ACTIVE', self.api.status())
                return
            except AssertionError:
                time.sleep(0.1)
        self.fail('timed out')
