from unittest import mock

from nova import test


class TestReboot(test.NoDBTestCase):
    @mock.patch('nova.virt.fake.FakeDriver.reboot')
    def test_reboot(self, mock_reboot):
        self.compute.reboot_instance(self.context, self.instance)
        mock_reboot.assertCalledOnceWith(self.context, self.instance)  # expect: assert-on-mock
        mock_reboot.assertCalled()  # expect: assert-on-mock
