# corpus: not-test

import socket


def serve():
    s = socket.socket()
    s.bind(('0.0.0.0', 8775))  # expect: bind-all-interfaces[medium]
