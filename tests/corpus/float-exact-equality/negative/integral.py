from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertEqual(1.0, self.api.ratio())
        self.assertEqual(3, used // 2)
