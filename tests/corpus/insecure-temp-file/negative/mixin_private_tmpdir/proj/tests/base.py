import fixtures
import testtools


class TestCase(testtools.TestCase):
    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable('TMPDIR', tmp))
