"""Token handling.

An AWS key id has the form AKIA followed by 16 characters, e.g. AKIAXXXXXXXXXXXXXXXX.
"""
UNSIGNED = ('eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.'
            'eyJzdWIiOiJub3ZhIiwiaWF0IjoxNzAwMDAwMDAwfQ.'
            'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
HEADER = '-----BEGIN RSA PRIVATE KEY-----'
sample_token = 'gAAAAABh3kP9xQ2mZ7vL1nR8tY3wB6cF0hJ5sD2gK9aE'
DOC = 'set api_key to your key'
