import time

from proj.tests import base


class TestWaits(base.TestCase):
    def test_wait_for_ready(self):
        while True:  # expect: unbounded-wait-loop
            if self.server.ready:
                break
            time.sleep(0.1)

    def test_wait_inside_unrelated_with(self):
        with open('state') as f:
            while not f.read():  # expect: unbounded-wait-loop
                time.sleep(0.5)
