import testtools
from unittest import mock


class TestStopall(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(mock.patch.stopall)
        mock.patch('nova.virt.libvirt.host.Host.get_connection').start()
        p = mock.patch('os.path.exists')
        p.start()
