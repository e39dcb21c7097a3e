import sys

import testtools

from manila import test


class TestShareDriver(test.TestCase):
    if sys.version_info >= (3, 12):
        def test_parse_version(self):
            self.assertEqual((3, 12), self.driver.parse(sys.version_info))
    else:
        def test_parse_version(self):
            self.skipTest('needs 3.12')

    try:
        import rbd  # noqa: F401
    except ImportError:
        def test_rbd(self):
            self.skipTest('no rbd')
    else:
        def test_rbd(self):
            self.assertTrue(self.driver.has_rbd())


def load_tests(loader, tests, pattern):
    return tests


def load_tests(loader, tests, pattern):  # not a test: a module hook, redefined by design
    return testtools.ConcurrentTestSuite(tests)
