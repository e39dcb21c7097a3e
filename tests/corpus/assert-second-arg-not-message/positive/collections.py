import unittest


class TestResult(unittest.TestCase):
    def test_result(self):
        result = compute()
        self.assertTrue(result, ['a', 'b'])  # expect: assert-second-arg-not-message
        self.assertTrue(result.keys(), {'a': 1})  # expect: assert-second-arg-not-message
        self.assertFalse(  # expect: assert-second-arg-not-message
            result.errors,
            result.count == 0)
