from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        if self.api.ok:
            return
        self.assertFalse(self.api.ok)
