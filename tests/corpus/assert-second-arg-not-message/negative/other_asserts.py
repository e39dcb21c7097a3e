import testtools


class TestOthers(testtools.TestCase):
    def test_other(self):
        self.assertIn(a, b)
        self.assertEqual(a, 2)
        self.assertIsInstance(a, dict)
        self.assertThat(a, matchers.Equals(2))
        self.assertTrue(*args)
        checker.assertTrue(flag)
