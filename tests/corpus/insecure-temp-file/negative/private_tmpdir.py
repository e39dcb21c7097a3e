import tempfile

import fixtures
import testtools
from oslotest import base


class TestSockets(base.BaseTestCase):
    """oslotest's BaseTestCase uses fixtures.NestedTempfile: tempfile's names live in a
    fresh directory of this test's own."""

    def test_socket_path(self):
        path = tempfile.mktemp(suffix='.sock')
        self.assertTrue(path.endswith('.sock'))


class TestOwnTmpdir(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.NestedTempfile())

    def test_name(self):
        self.assertTrue(tempfile.mktemp())


class TestGivenDir(testtools.TestCase):
    def test_dir(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        self.assertTrue(tempfile.mktemp(dir=tmp))
