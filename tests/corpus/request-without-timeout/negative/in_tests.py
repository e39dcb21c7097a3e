import requests


def test_x():
    requests.get('http://localhost')
