from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_pairs(self):
        self.assertIsNone(None, "should be gone")  # expect: assert-always-true
        self.assertIsNotNone([1, 2])  # expect: assert-always-true
        self.assertEqual(200, 200)  # expect: assert-always-true
