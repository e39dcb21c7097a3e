from unittest import mock

from nova import test



import time


class TestX(test.NoDBTestCase):
    def _wait(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.api.ready():
                return
            time.sleep(0.5)
        self.fail('timed out')
