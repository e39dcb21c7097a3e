from unittest import mock

from nova import test



from nova import exception


class TestX(test.NoDBTestCase):
    def test_bad(self):
        self.assertRaises(exception.InstanceNotFound, self.api.get, None)
