from unittest import mock

from nova import test



import eventlet


class TestX(test.NoDBTestCase):
    @mock.patch('eventlet.spawn')
    def test_x(self, m):
        eventlet.spawn(self.api.poll)
