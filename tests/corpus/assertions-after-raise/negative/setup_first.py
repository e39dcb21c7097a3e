from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_bad(self):
        with self.assertRaises(ValueError):
            self.assertIsNone(self.api.cache)
            self.api.create(None)
