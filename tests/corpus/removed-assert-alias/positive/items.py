from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertItemsEqual(['a'], self.api.names())  # expect: removed-assert-alias
        self.assertDictContainsSubset({'a': 1}, self.api.info())  # expect: removed-assert-alias
