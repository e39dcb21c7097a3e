from unittest import mock


class StatsChecksMixin:
    """Shared checks: the class, not an instance, stands in for the refresh hook."""

    def test_stats_refreshed(self):
        with mock.patch.object(self.driver, '_update_stats', mock.MagicMock) as update:  # expect: mock-class-as-replacement
            self.driver.get_share_stats(refresh=True)
            self.assertTrue(update.called)
