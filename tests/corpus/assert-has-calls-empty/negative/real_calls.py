from unittest import mock

from manila import test


class TestShareCalls(test.TestCase):
    @mock.patch('manila.share.api.API.delete')
    def test_delete_all(self, mock_delete):
        self.api.delete_all(self.context, ['a', 'b'])
        mock_delete.assert_has_calls([mock.call(self.context, 'a'),
                                      mock.call(self.context, 'b')])
        calls = [mock.call(self.context, name) for name in ('a', 'b')]
        mock_delete.assert_has_calls(calls, any_order=True)
