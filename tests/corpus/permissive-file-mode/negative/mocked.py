from unittest import mock

from nova import test



import os


class TestX(test.NoDBTestCase):
    @mock.patch('os.chmod')
    def test_x(self, mock_chmod):
        os.chmod('/p', 0o777)
        mock_chmod.assert_called_once_with('/p', 0o777)
