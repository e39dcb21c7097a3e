from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        m = mock.Mock(spec=mock.Mock)
        with mock.patch('a.b', autospec=True):
            pass
