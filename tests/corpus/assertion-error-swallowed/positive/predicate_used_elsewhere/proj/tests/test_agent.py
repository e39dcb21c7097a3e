from proj.common import utils
from proj.tests import base


class TestAgent(base.AgentTestBase):
    def test_sync(self):
        utils.wait_until_true(self.check_synced)
