from unittest import mock

from nova import test


class TestReboot(test.NoDBTestCase):
    @mock.patch('nova.compute.api.API.reboot')
    def test_reboot(self, mock_reboot):
        self.controller.reboot(self.req, 'fake-uuid')
        mock_reboot.called_once_with(self.context, 'fake-uuid')  # expect: mock-nonexistent-assertion

    def test_stop(self):
        with mock.patch.object(self.api, 'stop') as mock_stop:
            self.controller.stop(self.req)
            mock_stop.called_with(self.context)  # expect: mock-nonexistent-assertion
            self.assertTrue(mock_stop.return_value.has_calls([mock.call()]))  # expect: mock-nonexistent-assertion

    def test_not_called(self):
        m = mock.Mock()
        m.method.not_called()  # expect: mock-nonexistent-assertion
