import eventlet
from eventlet import greenthread

from proj.tests import base


class TestWorker(base.TestCase):
    def test_worker_picks_up_job(self):
        self.worker.start()
        eventlet.sleep(0.5)  # expect: sleep-synchronization
        greenthread.sleep(1)  # expect: sleep-synchronization
        self.assertTrue(self.worker.done)

    def test_yield_only(self):
        self.worker.start()
        eventlet.sleep(0)
        self.assertTrue(self.worker.started)
