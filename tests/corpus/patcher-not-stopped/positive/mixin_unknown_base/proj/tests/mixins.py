from unittest import mock


class NetMixin(object):
    def setUp(self):
        super().setUp()
        mock.patch('socket.create_connection').start()  # expect: patcher-not-stopped[low]
