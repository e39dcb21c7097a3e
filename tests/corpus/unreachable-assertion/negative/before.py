from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        result = self.api.get()
        self.assertEqual(1, result)
        return result
