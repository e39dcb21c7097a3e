from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_nothing(self):
        with mock.patch.object(self.api, 'delete') as mock_delete:
            self.api.noop()
            mock_delete.assert_not_called  # expect: mock-assertion-not-called
