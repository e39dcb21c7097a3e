from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_tuple(self):
        result = self.api.get()
        assert (result, "result must be set")  # expect: assert-always-true
