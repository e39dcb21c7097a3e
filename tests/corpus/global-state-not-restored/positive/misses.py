import sys
from unittest import mock

import testtools
from oslo_config import cfg

from proj import cache
from proj import registry

CONF = cfg.CONF


class TestPlainTesttools(testtools.TestCase):
    """testtools.TestCase uses no config fixture: an override in setUp leaks."""

    def setUp(self):
        super().setUp()
        CONF.set_override('debug', True)  # expect: global-state-not-restored[medium]
        self.addCleanup(mock.patch.stopall)  # a cleanup for something else restores nothing

    def test_one(self):
        cache.ENABLED = True  # expect: global-state-not-restored

    def test_two(self):
        # the same leak written in another test is not its restore
        cache.ENABLED = True  # expect: global-state-not-restored

    def test_modules(self):
        sys.modules['proj.native'] = mock.Mock()  # expect: global-state-not-restored
        registry.HANDLERS['x'] = object()  # expect: global-state-not-restored

    def test_alias(self):
        klass = registry.Handler
        klass.timeout = 30  # expect: global-state-not-restored
