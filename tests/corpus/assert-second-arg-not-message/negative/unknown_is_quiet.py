import unittest


class TestUnknown(unittest.TestCase):
    def test_unknown(self):
        self.assertTrue(self.ok, self._format_failure(self.ok))
        self.assertTrue(self.ok, messages[0])
        self.assertTrue(self.ok, _('translated message'))
        self.assertFalse(self.bad, e)
        self.assertEqual(self.value, expected)
        self.assertIs(self.value, True)
        self.assertTrue(usage_line.startswith('usage: '), usage_line)
        self.assertTrue(name in names, names)
        self.assertFalse(not ok, result)
        self.assertIsNotNone(result.value, result)
