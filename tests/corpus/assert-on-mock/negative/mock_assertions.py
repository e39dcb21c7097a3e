from unittest import mock

from octavia.tests.unit import base


class TestAmphora(base.TestCase):
    @mock.patch('octavia.amphorae.drivers.haproxy.rest_api_driver.requests')
    def test_request(self, mock_requests):
        self.driver.request('get', self.amp, 'info')
        # the mock's own assertions, spelt correctly
        mock_requests.get.assert_called_once_with(mock.ANY, timeout=mock.ANY)
        mock_requests.post.assert_not_called()
        self.assertEqual(1, mock_requests.get.call_count)
        self.assertRaises(ValueError, self.driver.request, 'bad', self.amp, 'x')
