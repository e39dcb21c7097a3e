"""Serve the dashboard from a background thread (werkzeug's threaded WSGI server)."""

from __future__ import annotations

import logging
import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

log = logging.getLogger("bot.dashboard")


class DashboardServer:
    """A running dashboard: ``url``, ``port`` (the real one when 0 was asked) and ``stop()``."""

    def __init__(self, server: BaseWSGIServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.host = str(server.host)
        self.port = int(server.server_port)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self, timeout: float = 5.0) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout)

    def __enter__(self) -> DashboardServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def serve(app: Flask, host: str, port: int) -> DashboardServer:
    """Start serving ``app`` on ``host:port`` (0 picks a free port) in a daemon thread."""
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, name="dashboard-http", kwargs={"poll_interval": 0.2}
    )
    thread.daemon = True
    thread.start()
    running = DashboardServer(server, thread)
    log.info("dashboard on %s", running.url)
    return running
