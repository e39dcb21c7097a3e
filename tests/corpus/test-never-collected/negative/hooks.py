from unittest import mock

import fixtures
import testtools


class TestHooks(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.assertTrue(self.useFixture(fixtures.TempDir()).path)

    @property
    def ready(self):
        self.assertTrue(self.api)
        return True

    def run(self, result=None):
        self.assertIsNone(None)
        return super().run(result)
