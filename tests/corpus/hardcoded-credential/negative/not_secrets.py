# corpus: not-test
import hashlib

token_id = '3f786850e387550fdab836ed7e6dc881de23001b'
instance_uuid = 'c5e5a3a9-9a3e-4e57-9b4e-6b2f6d0f2a11'
password_file = '/etc/nova/Xk9mP2vL5nQ8wR3tY6u.conf'
token_url = 'https://keystone.example.org:5000/v3/auth/tokens'
secret_name = 'Barbican-Secret-Ref-01'
password_fmt = 'password=%(password)s;user=%(user)s'
token_checksum = hashlib.sha256(b'x').hexdigest()
description = 'Xk9#mP2vL5nQ8wR3tY6u'
PASSWORD_PROMPT = 'Enter the admin password:'
api_key = get_key_from_env()
password = CONF.database.password
