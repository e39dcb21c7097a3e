from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('nova.compute.api.API.stop')
    def test_stop(self, mock_stop):
        self.api.stop()
        mock_stop.assert_called_once  # expect: mock-assertion-not-called
