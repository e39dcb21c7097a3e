from unittest import mock

from nova import test


class TestReal(test.NoDBTestCase):
    @mock.patch('nova.compute.api.API.reboot')
    def test_reboot(self, mock_reboot):
        self.controller.reboot(self.req, 'fake-uuid')
        mock_reboot.assert_called_once_with(self.context, 'fake-uuid')
        mock_reboot.assert_has_calls([mock.call(self.context, 'fake-uuid')])
        mock_reboot.assert_any_call(self.context, 'fake-uuid')
        mock_reboot.assert_not_called()
        mock_reboot.assert_awaited_once_with()
        self.assertTrue(mock_reboot.called)
        self.assertEqual(1, mock_reboot.call_count)
        self.assertFalse(mock_reboot.called_once)
