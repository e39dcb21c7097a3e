from unittest import mock

from glance.tests import utils


class TestNoCalls(utils.BaseTestCase):
    @mock.patch('glance.async_.flows.api_image_import.LOG')
    def test_quiet(self, mock_log):
        self.flow.run()
        # the right ways to say "no call"
        mock_log.warning.assert_not_called()
        self.assertEqual([], mock_log.error.mock_calls)
        self.assertEqual([], mock_log.method_calls)
