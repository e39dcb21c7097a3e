from nova import test


class TestFlavors(test.NoDBTestCase):
    def test_flavor(self):
        flavor = self.api.get('m1.small')
        self.assertTrue(flavor.is_public, True)  # expect: assert-second-arg-not-message
        self.assertTrue(len(flavor.extra_specs), 2)  # expect: assert-second-arg-not-message
        self.assertFalse(flavor.disabled, expected)  # expect: assert-second-arg-not-message
        self.assertIsNone(flavor.description, None)  # expect: assert-second-arg-not-message
        self.assertIsNotNone(flavor.id, flavor.flavorid)  # expect: assert-second-arg-not-message
