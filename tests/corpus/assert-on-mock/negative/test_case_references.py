import fixtures
import testtools

from nova import test


def assert_same_servers(test_case, expected, actual):
    # a module helper: the test case is passed in
    test_case.assertEqual(len(expected), len(actual))
    for a, b in zip(expected, actual):
        test_case.assertEqual(a['id'], b['id'])


class ServerChecker(object):
    """Keeps the test case and asserts through it (a common fixture shape)."""

    def __init__(self, test):
        self.test = test

    def check(self, server):
        self.test.assertIn('id', server)
        self.test.assertIsNotNone(server.get('status'))


class RequestFixture(fixtures.Fixture):
    def __init__(self, test_case):
        super().__init__()
        self.test_case = test_case

    def _setUp(self):
        self.test_case.assertTrue(self.test_case.flags)


class TestServers(test.TestCase):
    def test_list(self):
        assert_same_servers(self, [], self.api.list())
        ServerChecker(self).check({'id': 1, 'status': 'ACTIVE'})

    def assertEqual(self, first, second, msg=None):
        # an override that calls the base class with self
        testtools.TestCase.assertEqual(self, first, second, msg)
        super().assertEqual(first, second, msg)
