from unittest import mock

import testtools


class TestFixes(testtools.TestCase):
    @mock.patch('nova.compute.api.API.stop')
    def test_stop(self, mock_stop):
        self.api.stop()
        (mock_stop.assert_called)  # expect: mock-assertion-not-called
        mock_stop.assert_called_once_with  # expect: mock-assertion-not-called
        mock_stop . assert_not_called  # the spacing stays  # expect: mock-assertion-not-called

    async def test_awaited(self):
        m = mock.AsyncMock()
        await m()
        m.assert_awaited_once  # expect: mock-assertion-not-called
        m.assert_not_awaited = True  # expect: mock-assertion-not-called
