import testtools
from oslotest import base

from proj.tests import mixins


class TestStopped(mixins.ClockMixin, base.BaseTestCase):
    def test_a(self):
        self.assertEqual(0, self.clock.call_count)


class TestClock(mixins.ClockMixin, testtools.TestCase):
    """testtools.TestCase registers no stopall: this class leaks the mixin's patch."""

    def test_b(self):
        self.assertEqual(0, self.clock.call_count)
