import ssl


def test_x():
    ssl.SSLContext(ssl.PROTOCOL_TLSv1)
