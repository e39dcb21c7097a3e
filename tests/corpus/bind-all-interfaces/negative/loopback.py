# corpus: not-test

import socket


def serve():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
