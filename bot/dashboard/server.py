"""Serve the dashboard with waitress, a production WSGI server, from a background thread.

waitress answers on a bounded pool of ``dashboard.threads`` worker threads,
closes connections idle for ``dashboard.channel_timeout`` seconds, and caps
open connections (its default, 100), so a slow or hostile client cannot tie
up the bot's process.  Its event loop runs in one daemon thread;
:meth:`DashboardServer.stop` asks that loop (through waitress's trigger, so
nothing is closed under its feet) to close the listening socket and every
open connection, waits for it to end and then for the worker threads.

The listening socket is bound here, before waitress sees it: exactly one
address for ``host`` (``localhost`` is not split into an IPv4 and an IPv6
socket with two different ports), port 0 picks a free port, and a taken port
raises :class:`OSError` at once (the demo then falls back to a free port).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from typing import Any

from flask import Flask
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

from bot.config import DashboardConfig
from bot.dashboard.views import EXTENSION

log = logging.getLogger("bot.dashboard")


class DashboardServer:
    """A running dashboard: ``url``, ``host``, ``port`` (the real one when 0 was asked)."""

    def __init__(self, server: BaseWSGIServer, thread: threading.Thread, host: str) -> None:
        self._server = server
        self._thread = thread
        self._stopped = False
        self.host = host
        self.port = int(server.effective_port)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self, timeout: float = 5.0) -> None:
        """Close the listening socket and every connection; wait for the threads to end."""
        if self._stopped:
            return
        self._stopped = True
        server = self._server
        if self._thread.is_alive():
            # Closed from inside the loop: the loop then finds its map empty and returns.
            # (OSError: the trigger is already closed, the loop is ending by itself)
            with contextlib.suppress(OSError):
                server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
            self._thread.join(timeout)
        if self._thread.is_alive():  # pragma: no cover - the loop did not answer in time
            log.warning("dashboard: the server loop did not stop within %s s", timeout)
        else:
            wasyncore.close_all(server._map)  # no-op after a clean stop
        server.task_dispatcher.shutdown(timeout=timeout)

    def __enter__(self) -> DashboardServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _settings(app: Flask) -> DashboardConfig:
    """The app's ``[dashboard]`` settings (the defaults for an app not made by create_app)."""
    dashboard = app.extensions.get(EXTENSION)
    config = getattr(dashboard, "config", None)
    return config.dashboard if config is not None else DashboardConfig()


def _bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (IPv6 when the host is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _run(server: BaseWSGIServer) -> None:
    try:
        server.run()
    except Exception:  # pragma: no cover - logged, the thread ends
        log.exception("dashboard: the server loop failed")


def serve(
    app: Flask,
    host: str,
    port: int,
    *,
    threads: int | None = None,
    channel_timeout: int | None = None,
) -> DashboardServer:
    """Start serving ``app`` on ``host:port`` (0 picks a free port) in a daemon thread.

    ``threads`` and ``channel_timeout`` default to the app's ``dashboard.threads``
    and ``dashboard.channel_timeout``.
    """
    settings = _settings(app)
    sock = _bind(host, port)
    options: dict[str, Any] = {
        "threads": threads or settings.threads,
        "channel_timeout": channel_timeout or settings.channel_timeout,
        # The app believes X-Forwarded-* from dashboard.trusted_proxies (a list of networks,
        # which waitress's single trusted_proxy cannot say) and removes them from anyone
        # else itself (bot.dashboard.proxies); waitress must hand them over untouched.
        "clear_untrusted_proxy_headers": False,
    }
    try:
        server = create_server(app, sockets=[sock], **options)
    except BaseException:
        sock.close()
        raise
    assert isinstance(server, BaseWSGIServer)  # one socket: one server, never a multi-server
    thread = threading.Thread(target=_run, args=(server,), name="dashboard-http", daemon=True)
    thread.start()
    running = DashboardServer(server, thread, host)
    log.info("dashboard on %s", running.url)
    return running
