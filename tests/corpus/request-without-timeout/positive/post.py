# corpus: not-test

import requests


def send(url, body):
    requests.post(url, json=body)  # expect: request-without-timeout
