from unittest import mock

from ironic.tests import base


class TestPowerSync(base.TestCase):
    @mock.patch('ironic.conductor.utils.node_power_action', autospec=True)
    def test_sync_power_state(self, mock_action):
        self.manager._sync_power_states(self.context)
        mock_action.assert_called_once_with(self.task, 'power on')

    @mock.patch('ironic.conductor.utils.node_power_action', autospec=True)
    @mock.patch('ironic.conductor.utils.node_set_error', autospec=True)
    def test_sync_power_state(self, mock_error, mock_action):  # expect: duplicate-test-definition
        mock_action.side_effect = Exception('boom')
        self.manager._sync_power_states(self.context)
        mock_error.assert_called_once_with(self.task)
