from unittest import mock

from oslo_concurrency import processutils


class TestMocked(object):
    @mock.patch.object(processutils, 'execute')
    def test_exec(self, mock_exec):
        self.driver.resize('/dev/sda', 10)
        mock_exec.assert_called_once_with('ls -l /dev/sda', shell=True)
        mock.call('resize2fs', '/dev/sda', shell=True)
        self.assertEqual(mock.call('ls', shell=True), mock_exec.call_args)
