import os
import unittest

from proj import driver, objects, registry

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


class TestMockConfiguration(unittest.TestCase):
    @mock.patch.object(objects.Instance, 'get_by_uuid')
    def test_configures_the_patched_mock(self, mock_get):
        objects.Instance.get_by_uuid.return_value = 'fake'
        objects.Instance.get_by_uuid.side_effect = None
        os.remove.side_effect = OSError('gone')

    def test_empty_cache(self):
        driver._PROPERTIES = {}
        registry.HANDLERS = []

    def test_value_the_fake_already_has(self):
        # the module defines VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT = 32 itself (multi-file
        # cases see it through the project model); here the module is unknown, so:
        pass
