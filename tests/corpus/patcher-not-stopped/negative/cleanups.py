import unittest
from unittest import mock


class TestCleanups(unittest.TestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch('nova.utils.execute')
        self.mock_exec = patcher.start()
        self.addCleanup(patcher.stop)
        self.sleep_p = mock.patch('time.sleep')
        self.sleep_p.start()
        self.listdir_p = mock.patch('os.listdir')
        self.listdir_p.start()

    def tearDown(self):
        self.listdir_p.stop()
        super().tearDown()

    def _stop_sleep(self):
        self.addCleanup(self.sleep_p.stop)

    def test_local(self):
        p = mock.patch.dict('os.environ', {})
        p.start()
        try:
            run()
        finally:
            p.stop()
