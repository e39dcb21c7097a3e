from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_ok(self):
        with mock.patch.object(self.api, 'get') as m:
            self.api.show()
            m.assert_called_once_with()
