from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_none(self):
        inst = self._create_instance()
        self.assertIsNone(inst.host)
        self.assertIsNotNone(inst.uuid)
        self.assertFalse(inst.deleted)
