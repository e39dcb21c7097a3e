from unittest import mock

from glance.tests import utils


class TestMockedApis(utils.BaseTestCase):
    @mock.patch('glance.common.rpc.RPCClient')
    def test_rpc(self, mock_client):
        client = mock_client.return_value
        # a mocked method that happens to be spelt like a Mock attribute: used further,
        # so it is the API's method, not a typo
        client.method_call.return_value = {'ok': True}
        client.call.side_effect = [1, 2]
        client.calls = []
        client.caller = 'admin'
        self.rpc.invoke()
        client.method_call.assert_called_once_with('invoke')

    def test_short_names(self):
        m = mock.Mock(name='image', names=['a'], wraps=None)
        m.called_by = 'x'
        self.assertEqual('x', m.called_by)
