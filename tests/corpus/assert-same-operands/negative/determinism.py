from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_stable(self):
        self.assertEqual(hash_of(self.inst), hash_of(self.inst))
