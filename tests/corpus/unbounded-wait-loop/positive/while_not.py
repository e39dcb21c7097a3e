from unittest import mock

from nova import test



import time


class TestX(test.NoDBTestCase):
    def test_x(self):
        while not self.api.get_server_volumes('x'):  # expect: unbounded-wait-loop
            time.sleep(0.1)
