import time

from proj.tests import base


class TestPeriodic(base.TestCase):
    def test_periodic_runs(self):
        self.service.start()
        time.sleep(self.interval * 2)  # expect: sleep-synchronization
        for _ in range(3):
            time.sleep(0.2)  # expect: sleep-synchronization
        self.assertEqual(2, self.service.runs)
