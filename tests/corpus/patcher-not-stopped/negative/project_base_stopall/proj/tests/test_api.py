from unittest import mock

from .helpers import ApiHelper


class TestApi(ApiHelper):
    def test_get(self):
        mock.patch('proj.api.get').start()
        self.assertIsNotNone(self.client)
