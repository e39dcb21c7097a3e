# corpus: not-test
AWS_KEY_ID = 'AKIAZ7QW3RT5YU8IOP2X'  # expect: hardcoded-credential
GITHUB = 'ghp_4kP9xQ2mZ7vL1nR8tY3wB6cF0hJ5sD2gK9aE'  # expect: hardcoded-credential
SLACK_HOOK_TOKEN = 'xoxb-2048391-8812349-Qk3mZp9VvX2'  # expect: hardcoded-credential
MAPS = {'key': 'AIzaSyD3kP9xQ2mZ7vL1nR8tY3wB6cF0hJ5sD2g'}  # expect: hardcoded-credential
DEPLOY_KEY = (  # expect: hardcoded-credential
    """-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6j8aDRH7kXW5nKjtVvLq0c3Ez
q9aL0f8kT2vB7nR4sW1xY6uZ3mC5pD8gH0jK2lN9oQ7rS4tU6vW1xY3zA5bC7dE9
-----END RSA PRIVATE KEY-----""")
