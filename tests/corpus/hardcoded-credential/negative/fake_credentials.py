from nova import test
from nova.tests import uuidsentinel as uuids


class TestFakes(test.TestCase):
    def test_fakes(self):
        password = 'fake-password'
        admin_password = 'admin'
        token = uuids.token
        api_key = 'ThisIsATestApiKeyValue1'
        secret = 'secret'
        auth_token = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa'
        self.flags(password='changeme', group='vnc')
        aws = 'AKIAIOSFODNN7EXAMPLE'
        fake_private_key = '''-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6j8aDRH7kXW5nKjtVvLq0c3Ez
q9aL0f8kT2vB7nR4sW1xY6uZ3mC5pD8gH0jK2lN9oQ7rS4tU6vW1xY3zA5bC7dE9
-----END RSA PRIVATE KEY-----'''
        return password, admin_password, token, api_key, secret, auth_token, aws, fake_private_key
