from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_consts(self):
        self.assertTrue(True)  # expect: assert-always-true
        self.assertTrue("instance")  # expect: assert-always-true
        self.assertFalse(None)  # expect: assert-always-true
