from unittest import mock


class ClockMixin:
    def setUp(self):
        super().setUp()
        self.clock_p = mock.patch('time.monotonic')
        self.clock = self.clock_p.start()  # expect: patcher-not-stopped[high]
