from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertEquals(1, self.api.count())  # expect: removed-assert-alias
        self.assertNotEquals(2, self.api.count())  # expect: removed-assert-alias
