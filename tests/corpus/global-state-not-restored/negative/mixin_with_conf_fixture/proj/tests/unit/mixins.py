from oslo_config import cfg

CONF = cfg.CONF


class QuotaMixin(object):
    def setUp(self):
        super().setUp()
        CONF.set_override('quota_instances', 5, group='quota')

    def enable_feature(self):
        CONF.set_override('feature', True)
