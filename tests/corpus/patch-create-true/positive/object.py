from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        with mock.patch.object(self.api, 'nonexistent', create=True):  # expect: patch-create-true
            pass
