from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('nova.virt.libvirt.driver.LibvirtDriver', mock.MagicMock)  # expect: mock-class-as-replacement
    def test_x(self):
        pass
