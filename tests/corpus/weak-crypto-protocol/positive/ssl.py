# corpus: not-test

import ssl


def ctx():
    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)  # expect: weak-crypto-protocol
