from unittest import mock

from nova import test



import eventlet


class TestX(test.NoDBTestCase):
    def test_x(self):
        eventlet.spawn(self.api.poll)  # expect: thread-not-joined
