from unittest import mock

from nova import test



from nova import exception


class TestX(test.NoDBTestCase):
    def test_x(self):
        try:
            self.assertEqual(1, self.api.count())
        except exception.NotFound:
            self.fail('lookup failed')
