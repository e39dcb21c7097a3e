from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertEqual(used / total, self.api.ratio())  # expect: float-exact-equality
