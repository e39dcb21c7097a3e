"""The database going away: which errors mean "not now", and one log line per outage.

A PostgreSQL restart or a stopped server, or SQLite's "database is locked" past its busy
timeout, is not a failure of any job: the worker leaves the job to its lease and tries
again on its next tick. :class:`Outage` turns the per-tick errors into one warning when
the outage starts and one line when the database answers again, and tells health checks
since when it has been away.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import InterfaceError, OperationalError

log = logging.getLogger("bot.store")

#: The errors of a database that is away (connection refused or lost, locked too long).
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


class Outage:
    """Tracks one database's availability across threads; logs once per outage."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._since: float | None = None

    @property
    def down_for(self) -> float | None:
        """Seconds the database has been away, or None while it answers."""
        with self._lock:
            return None if self._since is None else time.monotonic() - self._since

    def failed(self, exc: BaseException) -> None:
        """An operation failed with ``exc``, one of :data:`UNAVAILABLE`."""
        with self._lock:
            if self._since is not None:
                return
            self._since = time.monotonic()
        text = str(getattr(exc, "orig", exc) or type(exc).__name__).strip().splitlines()
        log.warning(
            "database unavailable (%s): jobs wait, nothing is marked failed; retrying",
            text[0][:200] if text else type(exc).__name__,
        )

    def ok(self) -> None:
        """An operation succeeded: the outage, if any, is over."""
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            log.warning("database available again after %.0f s", time.monotonic() - since)
