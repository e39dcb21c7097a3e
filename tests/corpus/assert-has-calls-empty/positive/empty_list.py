from unittest import mock

from nova import test


class TestCleanup(test.NoDBTestCase):
    @mock.patch('nova.virt.libvirt.utils.remove_logical_volumes')
    def test_cleanup(self, mock_remove):
        self.driver.cleanup(self.context, self.instance)
        mock_remove.assert_has_calls([])  # expect: assert-has-calls-empty
