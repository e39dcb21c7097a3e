import unittest

from proj import utils
import pytest


def test_bad(api):
    with pytest.raises(Exception, match='not found'):
        api.get(None)


class TestPinned(unittest.TestCase):
    def test_blocked_execute(self):
        exc = self.assertRaises(Exception, utils.execute, 'ls')  # noqa
        self.assertEqual("Don't call utils.execute() in tests", str(exc))
