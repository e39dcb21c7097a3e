# corpus: not-test

import requests


def fetch(url):
    session = requests.Session()
    return session.get(url)  # expect: request-without-timeout
