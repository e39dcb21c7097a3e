import testtools

from proj.common import utils


class TestAgent(testtools.TestCase):
    def test_port_bound(self):
        self.agent.start()

        def _port_bound():
            try:
                self.plugin.update_port.assert_called_once_with(self.port_id)
                return True
            except AssertionError:
                return False

        utils.wait_until_true(_port_bound, timeout=10)

    def _synced(self):
        try:
            self.assertEqual(self.expected, self.agent.state)
        except AssertionError:
            return False
        return True

    def test_synced(self):
        self.assertTrue(self._synced())
