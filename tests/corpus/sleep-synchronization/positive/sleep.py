from unittest import mock

from nova import test



import time


class TestX(test.NoDBTestCase):
    def test_x(self):
        self.api.start_async()
        time.sleep(2)  # expect: sleep-synchronization[low]
        self.assertTrue(self.api.done)
