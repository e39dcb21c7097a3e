from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        try:
            self.assertEqual(1, self.api.count())
        except AssertionError:  # expect: assertion-error-swallowed
            pass
