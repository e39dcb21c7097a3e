from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_create(self):
        inst = self._create()
        self.assertEqual(self.uuid, inst.uuid)
