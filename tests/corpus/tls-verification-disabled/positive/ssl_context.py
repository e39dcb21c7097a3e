# corpus: not-test

import ssl


def ctx():
    c = ssl.create_default_context()
    c.check_hostname = False  # expect: tls-verification-disabled
    c.verify_mode = ssl.CERT_NONE  # expect: tls-verification-disabled
    return ssl._create_unverified_context()  # expect: tls-verification-disabled
