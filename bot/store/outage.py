"""The database going away: which errors mean "not now", and one log line per outage.

A PostgreSQL restart or a stopped server, or SQLite's "database is locked" past its busy
timeout, is not a failure of any job: the worker leaves the job to its lease and tries
again on its next tick. :class:`Outage` turns the per-tick errors into one warning when
the outage starts and one line when the database answers again, and tells health checks
since when it has been away.

One :class:`Outage` is shared by everything in a process that talks to the database (the
workers, their lease keepers, the poll and the poller election), so an outage is one line
however many threads run into it, and any of them seeing the database answer ends it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy.exc import InterfaceError, OperationalError

log = logging.getLogger("bot.store")

T = TypeVar("T")

#: The errors of a database that is away (connection refused or lost, locked too long).
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def describe(exc: BaseException) -> str:
    """The first line of the driver's message (no traceback, no connection string)."""
    text = str(getattr(exc, "orig", None) or exc or type(exc).__name__).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class Outage:
    """Tracks one database's availability across threads; logs once per outage.

    ``on_change`` is called with the outage's start (UTC) when it starts and with None
    when it ends, so health checks can say since when the database is away.
    """

    def __init__(self, on_change: Callable[[datetime | None], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._since: float | None = None
        self._since_utc: datetime | None = None
        self.on_change = on_change

    @property
    def down_for(self) -> float | None:
        """Seconds the database has been away, or None while it answers."""
        with self._lock:
            return None if self._since is None else time.monotonic() - self._since

    @property
    def since(self) -> datetime | None:
        """When the current outage started (UTC), or None while the database answers."""
        with self._lock:
            return self._since_utc

    def failed(self, exc: BaseException) -> bool:
        """An operation failed with ``exc``, one of :data:`UNAVAILABLE`; True if it is news."""
        with self._lock:
            if self._since is not None:
                return False
            self._since = time.monotonic()
            self._since_utc = since = datetime.now(UTC)
        log.warning(
            "database unavailable (%s): jobs wait, nothing is marked failed; retrying",
            describe(exc),
        )
        if self.on_change is not None:
            self.on_change(since)
        return True

    def ok(self) -> None:
        """An operation succeeded: the outage, if any, is over."""
        with self._lock:
            since, self._since, self._since_utc = self._since, None, None
        if since is not None:
            log.warning("database available again after %.0f s", time.monotonic() - since)
            if self.on_change is not None:
                self.on_change(None)


class DatabaseAway(RuntimeError):
    """The database did not answer within the start-up's patience; ``str()`` is the line."""


def wait_for_database(
    open_store: Callable[[], T],
    *,
    patience: float,
    outage: Outage | None = None,
    pause: float = 2.0,
) -> T:
    """``open_store()``, tried again while the database is away, for up to ``patience`` s.

    A bot (re)started while its database restarts, or before the database is up (pods and
    compose services start together), waits with one log line instead of exiting with a
    traceback and being restarted in a loop. A database that stays away (a wrong host,
    a refused password) ends the wait with :class:`DatabaseAway`, in one line.
    """
    outage = outage or Outage()
    deadline = time.monotonic() + max(0.0, patience)
    while True:
        try:
            value = open_store()
        except UNAVAILABLE as exc:
            if time.monotonic() + pause > deadline:
                raise DatabaseAway(
                    f"the database did not answer within store.startup_wait ({patience:g} s): "
                    f"{describe(exc)}"
                ) from None
            outage.failed(exc)
            time.sleep(pause)
            continue
        outage.ok()
        return value
