import unittest


class TestQuota(unittest.TestCase):
    def tset_over_limit(self):  # expect: test-never-collected
        self.assertRaises(ValueError, self.quota.reserve, 11)

    def check_under_limit_reserves(self):  # expect: test-never-collected
        self.quota.reserve(1)
        self.assertEqual(1, self.quota.used)
