from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def _get(self):
        return self.api.get()
        self.assertEqual(1, 1)  # expect: unreachable-assertion
        self.assertTrue(self.api)
