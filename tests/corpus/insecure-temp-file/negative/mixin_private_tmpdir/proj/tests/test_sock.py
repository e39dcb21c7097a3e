from proj.tests import base
from proj.tests import mixins


class TestSock(mixins.SocketMixin, base.TestCase):
    def test_path(self):
        self.assertIn('proj-', self.make_socket_path())
