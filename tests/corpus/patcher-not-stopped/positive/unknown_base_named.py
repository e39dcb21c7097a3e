import mock

from neutron.tests import base


class TestAgent(base.BaseTestCase):
    # neutron's base is not in this tree and not in the bot's knowledge: it may register
    # mock.patch.stopall, so every finding here is an observation that says so
    def setUp(self):
        super(TestAgent, self).setUp()
        self.conf_p = mock.patch('neutron.agent.common.config.setup_logging')
        self.conf_p.start()  # expect: patcher-not-stopped[low]
        mock.patch('neutron.agent.rpc.PluginApi').start()  # expect: patcher-not-stopped[low]

    def test_x(self):
        p = mock.patch.object(self.agent, 'sync')
        p.start()  # expect: patcher-not-stopped[low]
