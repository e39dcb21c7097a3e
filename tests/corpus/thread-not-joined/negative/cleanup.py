from unittest import mock

from nova import test



import eventlet


class TestX(test.NoDBTestCase):
    def test_x(self):
        gt = eventlet.spawn(self.api.poll)
        self.addCleanup(gt.kill)
