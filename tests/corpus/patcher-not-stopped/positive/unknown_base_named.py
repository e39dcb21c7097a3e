import mock

from neutron.tests import base


class TestAgent(base.BaseTestCase):
    def setUp(self):
        super(TestAgent, self).setUp()
        self.conf_p = mock.patch('neutron.agent.common.config.setup_logging')
        self.conf_p.start()  # expect: patcher-not-stopped
        # chained starts in a class with a project base are not reported: the base may
        # register mock.patch.stopall
        mock.patch('neutron.agent.rpc.PluginApi').start()

    def test_x(self):
        p = mock.patch.object(self.agent, 'sync')
        p.start()  # expect: patcher-not-stopped
