from oslo_config import fixture as config_fixture
from oslotest import base

from proj import conf

CONF = conf.CONF


class TestWithFixture(base.BaseTestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(config_fixture.Config(CONF))

    def test_assign_top_level(self):
        # an attribute of the ConfigOpts object itself: reset() never removes it
        CONF.auth_strategy = 'noauth2'  # expect: global-state-not-restored

    def test_assign_in_group(self):
        # the cached group object is dropped by the fixture's reset(): undone after the test
        CONF.api.auth_strategy = 'noauth2'

    def test_override(self):
        CONF.set_override('auth_strategy', 'noauth2', group='api')


class TestWithoutFixture(base.BaseTestCase):
    def test_assign_in_group(self):
        CONF.api.auth_strategy = 'noauth2'  # expect: global-state-not-restored
