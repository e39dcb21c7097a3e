from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_deferred(self):
        m = mock.Mock()
        check = m.assert_called_once_with
        self.addCleanup(m.assert_not_called)
