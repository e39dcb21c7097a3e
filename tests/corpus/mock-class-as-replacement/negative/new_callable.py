from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('nova.utils.execute', new_callable=mock.MagicMock)
    def test_x(self, mock_exec):
        pass
