# corpus: not-test

import requests


def fetch(url):
    return requests.get(url)  # expect: request-without-timeout[low]
