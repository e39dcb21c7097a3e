from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_attrs(self):
        m = mock.Mock()
        m.called
        m.call_count
