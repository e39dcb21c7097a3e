from proj.tests import base
from proj.tests.unit import mixins


class TestQuota(mixins.QuotaMixin, base.TestCase):
    def test_limit(self):
        self.enable_feature()
        self.assertEqual(5, mixins.CONF.quota.quota_instances)
