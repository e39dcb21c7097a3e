from oslo_config import fixture as config_fixture
from oslotest import base

from proj import conf

CONF = conf.CONF


class TestWithFixture(base.BaseTestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(config_fixture.Config(CONF))

    def test_assign(self):
        # the fixture resets overrides, not assignments to the option object
        CONF.api.auth_strategy = 'noauth2'  # expect: global-state-not-restored

    def test_override(self):
        CONF.set_override('auth_strategy', 'noauth2', group='api')
