# corpus: not-test

from http.server import HTTPServer


def serve(handler):
    return HTTPServer(('', 8080), handler)  # expect: bind-all-interfaces
