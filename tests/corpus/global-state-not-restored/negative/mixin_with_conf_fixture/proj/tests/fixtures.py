from oslo_config import fixture as config_fixture


class ConfFixture(config_fixture.Config):
    """The project's config fixture: oslo.config's Config resets every override."""

    def setUp(self):
        super().setUp()
        self.conf.set_default('host', 'fake-host')
