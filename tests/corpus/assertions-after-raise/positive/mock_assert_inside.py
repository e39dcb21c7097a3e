from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('nova.utils.execute')
    def test_fail(self, mock_exec):
        with self.assertRaisesRegex(RuntimeError, 'boom'):
            self.driver.plug()
            mock_exec.assert_called_once_with('ip')  # expect: assertions-after-raise
            self.assertTrue(mock_exec.called)
