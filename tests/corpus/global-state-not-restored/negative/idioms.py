import os

import fixtures
from unittest import mock

import nova.conf
from nova import test

CONF = nova.conf.CONF


class TestX(test.NoDBTestCase):
    def test_x(self):
        self.flags(use_cow_images=False)
        self.stub_out('nova.utils.execute', lambda *a: None)
        self.useFixture(fixtures.EnvironmentVariable('OS_X', 'y'))
        CONF.set_override('my_ip', '10.0.0.1')

    @mock.patch.dict(os.environ, {'A': 'b'})
    def test_y(self):
        pass
