import mock
import testtools


class TestMisspelled(testtools.TestCase):
    @mock.patch('neutron.agent.linux.ip_lib.IPDevice')
    def test_device(self, mock_dev):
        self.driver.plug('port')
        mock_dev.asert_called_once_with('port')  # expect: mock-nonexistent-assertion
        mock_dev.assret_called_with('port')  # expect: mock-nonexistent-assertion
        mock_dev.asset_called_once_with('port')  # expect: mock-nonexistent-assertion
        mock_dev.mock_assert_not_called()  # expect: mock-nonexistent-assertion
        mock_dev.aseert_any_call(  # expect: mock-nonexistent-assertion
            'port')
        mock_dev.assert_called_onse()  # starts with "assert": Mock raises, the test fails loudly
