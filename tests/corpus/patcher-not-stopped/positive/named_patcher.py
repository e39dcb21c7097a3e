import unittest
from unittest import mock


class TestVolume(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.exec_patcher = mock.patch('cinder.utils.execute')
        self.mock_exec = self.exec_patcher.start()  # expect: patcher-not-stopped
        sleep_patcher = mock.patch.object(time, 'sleep')
        sleep_patcher.start()  # expect: patcher-not-stopped

    def test_create(self):
        env = mock.patch.dict('os.environ', {'LANG': 'C'})
        env.start()  # expect: patcher-not-stopped
        self.driver.create_volume(self.volume)
