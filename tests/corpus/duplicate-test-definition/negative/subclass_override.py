from keystone.tests import unit


class IdentityTests(unit.TestCase):
    def test_create_user(self):
        self.assertIsNotNone(self.identity_api.create_user({'name': 'u'}))

    def test_delete_user(self):
        self.identity_api.delete_user('u')


class LDAPIdentityTests(IdentityTests):
    # an intentional override: the LDAP backend cannot delete users
    def test_delete_user(self):
        self.skipTest('read-only backend')

    def test_create_user(self):
        self.assertRaises(Exception, self.identity_api.create_user, {})  # noqa
