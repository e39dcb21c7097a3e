# corpus: not-test

import secrets


def make():
    password = secrets.token_urlsafe(16)
    return password
