# corpus: not-test
from oslo_config import cfg

CONF = cfg.CONF


def connect(client, admin_password='Xk9#mP2vL5nQ8wR3tY6u'):  # expect: hardcoded-credential
    db_password = 'Tr0ub4dor&3xQz!9Lm2Vb'  # expect: hardcoded-credential
    client.login(user='nova', api_key='q7W-e9R2t5Y8u1I4o6P3a0S')  # expect: hardcoded-credential
    settings = {'client_secret': 'Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1G'}  # expect: hardcoded-credential
    CONF.set_override('auth_token', 'h7G5f3D1s9A8q6W4e2R0tY', group='keystone')  # expect: hardcoded-credential
    if client.token == 'P9o8I7u6Y5t4R3e2W1q0Za':  # expect: hardcoded-credential
        return settings
