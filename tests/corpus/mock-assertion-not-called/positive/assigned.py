from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_calls(self):
        m = mock.Mock()
        m()
        m.assert_has_calls = [mock.call()]  # expect: mock-assertion-not-called
