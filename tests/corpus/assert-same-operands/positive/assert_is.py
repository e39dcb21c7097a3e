from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_get(self):
        obj = self.get()
        self.assertIs(obj, obj)  # expect: assert-same-operands
        self.assertEqual(obj['x'], obj['x'])  # expect: assert-same-operands
