def get_fake_oauth_token():
    """Creates a fake oauth access token."""
    return {
        "username": "johndow",
        "access_token": "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOi",
        "expires_at": "922337203775807",
    }


class FakeKeystoneClient(object):
    auth_token = 'q7W-e9R2t5Y8u1I4o6P3a0S'
