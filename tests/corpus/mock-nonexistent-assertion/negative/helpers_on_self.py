import testtools


class TestHelpers(testtools.TestCase):
    def asert_called_once_with(self, *args):
        """A badly named helper on the test class itself."""

    def assert_called_twice(self, m):
        self.assertEqual(2, m.call_count)

    def test_helpers(self):
        self.asert_called_once_with(1)
        self.assert_called_twice(self.m)
        self.assertCalledOnceWith(self.m)
        self.fixture.assert_call_count(3)
        self.server.has_capacity(3)
        result.called_once
        self.mock.called_once_with = None
