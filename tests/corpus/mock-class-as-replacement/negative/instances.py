from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('nova.virt.libvirt.driver.LibvirtDriver', mock.MagicMock())
    def test_x(self):
        with mock.patch.object(self.api, 'get', new=mock.Mock()):
            pass
