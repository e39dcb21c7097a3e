from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('builtins.open')
    def test_x(self, mock_open):
        open('/tmp/x', 'w')

    def test_y(self):
        with mock.patch('os.unlink') as m:
            import os
            os.unlink('/tmp/y')
