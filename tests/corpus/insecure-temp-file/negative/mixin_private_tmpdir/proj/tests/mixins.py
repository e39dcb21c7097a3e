import tempfile


class SocketMixin(object):
    def make_socket_path(self):
        return tempfile.mktemp(prefix='proj-')
