from unittest import mock

from nova import test



class Compat(test.NoDBTestCase):
    def assertEqualish(self, a, b):
        self.assertEqual(a, b)
