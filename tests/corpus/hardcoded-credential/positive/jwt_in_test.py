import testtools

SIGNED = (  # expect: hardcoded-credential
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.'
    'eyJzdWIiOiJub3ZhIiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzAwMDAwMDAwfQ.'
    'Q2x4mZ8rT5vL1nR8tY3wB6cF0hJ5sD2gK9aE7pW4qXo')


class TestAuth(testtools.TestCase):
    def test_header(self):
        headers = {'X-Auth-Token': SIGNED}
        self.client.access_key = 'ASIAQ3MZ7VL1NR8TY3WB'  # expect: hardcoded-credential
        self.client.get('/', headers=headers)
