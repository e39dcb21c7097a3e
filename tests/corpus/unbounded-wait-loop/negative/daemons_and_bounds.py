import threading
import time

import eventlet
import fixtures

from proj.tests import base


def fake_heartbeat_server(sock):
    """A small daemon the functional tests start: it runs until its process is killed."""
    while True:
        conn, _ = sock.accept()
        conn.sendall(b'ok')
        time.sleep(0.1)


class Reporter(threading.Thread):
    def run(self):
        while not self.stopped:
            self.report()
            time.sleep(1)


class TestWaits(base.TestCase):
    def test_bounded_by_eventlet_timeout(self):
        with eventlet.Timeout(10):
            while not self.server.ready:
                eventlet.sleep(0.1)

    def test_bounded_by_fixture(self):
        with fixtures.Timeout(30, gentle=True):
            while self.queue.empty():
                time.sleep(0.1)

    def test_bounded_by_max_execution_time(self):
        with self.assert_max_execution_time():
            while not self.done():
                time.sleep(0.01)


def fake_upload(data, *args):
    while True:
        report_progress()
        time.sleep(0.01)
        if not data.read(65536):
            break
