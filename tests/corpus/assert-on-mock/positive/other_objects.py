from keystone.tests import unit


class TestTokens(unit.TestCase):
    def test_token(self):
        token = self.token_provider.issue_token(self.user_id)
        # meant self.assertIsNotNone(token.audit_ids): a token has no such method
        token.assertIsNotNone(token.audit_ids)  # expect: assert-on-mock[medium]
        response = self.get('/auth/tokens')
        response.assertEqual(200, response.status_code)  # expect: assert-on-mock[medium]
