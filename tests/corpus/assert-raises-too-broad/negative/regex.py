from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_bad(self):
        self.assertRaisesRegex(Exception, 'not found', self.api.get, None)
