# corpus: not-test

import requests


def fetch(url, ca):
    return requests.get(url, verify=ca, timeout=5)
