from unittest import mock

from nova import test



import time


class TestX(test.NoDBTestCase):
    @mock.patch('time.sleep')
    def test_x(self, m):
        time.sleep(10)
