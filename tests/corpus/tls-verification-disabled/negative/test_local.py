import requests


def test_x():
    requests.get('https://127.0.0.1:8774/', verify=False)
    requests.get('https://fake.example.com', verify=False)
