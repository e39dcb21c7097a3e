from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertRaisesRegexp(ValueError, 'x', self.api.get)  # expect: removed-assert-alias
        self.failUnless(self.api.ok)  # expect: removed-assert-alias
