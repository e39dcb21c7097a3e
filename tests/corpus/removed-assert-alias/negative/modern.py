from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.assertEqual(1, self.api.count())
        self.assertCountEqual(['a'], self.api.names())
        self.assertRaisesRegex(ValueError, 'x', self.api.get)
