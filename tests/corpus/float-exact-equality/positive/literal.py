from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertEqual(0.1, self.api.ratio())  # expect: float-exact-equality[low]
