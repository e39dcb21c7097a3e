from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        with mock.patch.object(self.api, 'get', new=mock.Mock):  # expect: mock-class-as-replacement
            self.api.show()
