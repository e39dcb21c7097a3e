from unittest import mock

from nova import test


class TestStats(test.NoDBTestCase):
    # The class is a unique sentinel: the test checks the driver hands back what it holds.
    def test_get_stats(self):
        with mock.patch.object(self.driver, '_stats', mock.Mock) as stats:
            self.assertEqual(stats, self.driver.get_stats())

    def test_get_stats_refresh(self):
        with mock.patch.object(self.driver, '_stats', new=mock.MagicMock) as stats:
            result = self.driver.get_stats(refresh=True)
        self.assertIs(stats, result)
        self.assertIn(stats, [result])
