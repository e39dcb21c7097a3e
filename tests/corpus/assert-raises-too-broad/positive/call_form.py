from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_bad(self):
        self.assertRaises(Exception, self.api.get, None)  # expect: assert-raises-too-broad
