from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_bad(self):
        with self.assertRaises(ValueError) as cm:
            self.api.create(None)
            self.assertEqual('bad', str(cm.exception))  # expect: assertions-after-raise
