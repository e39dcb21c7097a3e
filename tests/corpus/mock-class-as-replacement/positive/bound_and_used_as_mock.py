from unittest import mock

from nova import test


class TestShow(test.NoDBTestCase):
    # Look-alikes of the sentinel idiom: the bound class is then used as if it were a mock.
    def test_asserted(self):
        with mock.patch.object(self.api, 'get', mock.Mock) as get:  # expect: mock-class-as-replacement
            self.api.show()
            self.assertEqual(get, self.api.get)
            get.assert_called_once_with()

    def test_called(self):
        with mock.patch.object(self.api, 'get', new=mock.MagicMock) as get:  # expect: mock-class-as-replacement
            self.assertEqual(get(), self.api.show())

    def test_rebound(self):
        with mock.patch.object(self.api, 'get', mock.Mock) as get:  # expect: mock-class-as-replacement
            get = self.api.show()
            self.assertEqual(get, 1)

    def test_unused(self):
        with mock.patch.object(self.api, 'get', mock.Mock) as get:  # expect: mock-class-as-replacement
            self.api.show()

    def test_side_effect(self):
        with mock.patch.object(self.api, 'get', side_effect=mock.Mock) as get:  # expect: mock-class-as-replacement
            self.assertEqual(get, self.api.get)
