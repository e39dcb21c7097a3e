from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertTrue(self.api.count() is 0)  # expect: is-literal-comparison
