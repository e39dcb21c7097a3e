import paramiko
import requests


def test_x(url):
    requests.get(url, verify=False)  # expect: tls-verification-disabled[low]
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # expect: tls-verification-disabled[low]
