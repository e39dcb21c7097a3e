from unittest import mock

from octavia.tests.unit import base


class FakeDriver(object):
    """A hand-written fake keeps its own counters under these names."""

    def __init__(self):
        self.call_counts = {}
        self.side_effects = []

    def create(self, name):
        self.call_counts[name] = self.call_counts.get(name, 0) + 1


class TestFakes(base.TestCase):
    def test_fake(self):
        driver = FakeDriver()
        driver.create('lb')
        self.assertEqual(1, driver.call_counts['lb'])
        driver.side_effects.append('x')

    def check(self, m):
        # a helper: what m is depends on the caller
        self.assertEqual(1, m.call_counts)

    def test_real_attributes(self):
        m = mock.Mock()
        m.return_value = 1
        m.side_effect = None
        self.assertTrue(m.called)
        self.assertEqual(0, m.call_count)
        self.assertEqual([], m.call_args_list)
