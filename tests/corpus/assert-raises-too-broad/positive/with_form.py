from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_bad(self):
        with self.assertRaises(BaseException):  # expect: assert-raises-too-broad
            self.api.get(None)
