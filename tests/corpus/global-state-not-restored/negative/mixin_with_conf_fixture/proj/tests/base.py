import testtools
from oslo_config import cfg

from proj.tests import fixtures as proj_fixtures

CONF = cfg.CONF


class TestCase(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self._setup_config()

    def _setup_config(self):
        self.useFixture(proj_fixtures.ConfFixture(CONF))
