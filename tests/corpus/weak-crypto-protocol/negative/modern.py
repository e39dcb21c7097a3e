# corpus: not-test

import ssl


def ctx():
    return ssl.create_default_context(), ssl.PROTOCOL_TLS_CLIENT
