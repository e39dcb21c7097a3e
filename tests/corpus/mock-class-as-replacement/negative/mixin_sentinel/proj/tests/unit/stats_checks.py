from unittest import mock


class StatsChecksMixin:
    """Shared checks: every driver's test class mixes them in (see test_driver.py)."""

    def test_stats_handed_back(self):
        with mock.patch.object(self.driver, '_stats', mock.Mock) as stats:
            self.assertEqual(stats, self.driver.get_share_stats())
