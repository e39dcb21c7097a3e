from unittest import mock

from keystone.tests import unit


class TestNotifications(unit.TestCase):
    @mock.patch('keystone.notifications._send_notification')
    def test_events(self, mock_send):
        expected = []
        for event in ('created', 'deleted'):
            self.manager.emit(event)
            expected.append(mock.call(event, mock.ANY))
        mock_send.assert_has_calls(expected)
        mock_send.assert_has_calls(expected + [mock.call('done', mock.ANY)])

    def assert_has_calls(self, calls):
        # a helper of the test class that happens to share the name
        self.assertTrue(calls is not None)

    def test_helper(self):
        self.assert_has_calls([])
