import unittest

from proj.tests import mixins


class TestQuota(mixins.QuotaMixin, unittest.TestCase):
    def test_limit(self):
        self.assertEqual(5, mixins.CONF.quota.quota_instances)
