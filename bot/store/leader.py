"""Elect one poller among several bot processes sharing a PostgreSQL database.

Every process runs workers, but only one should query Gerrit for new patch sets,
or N replicas would put N times the polling load on Gerrit.  The poller is the
process holding a PostgreSQL *session* advisory lock, taken with
``pg_try_advisory_lock`` on a connection of its own that stays open for the life
of the process (outside the store's pool, so the pool can never hand the session
to someone else or recycle it).

The lock belongs to the session: when the holder exits, is killed or loses its
connection, PostgreSQL releases it, and the next process to ask becomes the
poller.  Each call of :meth:`PollerElection.is_leader` (once per poll interval)
checks that the connection is still alive, reconnects when it broke, and tries
to take the lock when it is not held.  Advisory locks are per database, so bot
deployments with different databases on one server do not compete.

The database going away (a restart, a server stopped for minutes) is no error here:
the lock is gone with the session, :meth:`PollerElection.is_leader` answers False until
the database answers again, and then takes the lock back if no other process was faster.
Given the process's :class:`~bot.store.outage.Outage`, the election reports the outage
there (one log line for the whole process) and ends it when the database answers.

SQLite needs none of this: one process owns the file, and it always polls.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from typing import Any

import psycopg
from sqlalchemy.engine import URL

from bot.store.db import normalise_url, safe_url
from bot.store.outage import Outage

log = logging.getLogger("bot.store.leader")

#: The advisory lock key of the poller (a bigint; distinct from the migration lock's).
POLLER_LOCK_KEY = 0x5EC0B07_0001


def libpq_conninfo(url: str | URL) -> str:
    """A libpq connection URI for a SQLAlchemy PostgreSQL URL (``postgresql+psycopg://…``)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {safe_url(parsed)}")
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


class PollerElection:
    """Whether this process is the poller; see the module docstring.

    Thread-safe.  Never raises from :meth:`is_leader`: an unreachable database
    means "not the poller" (and a warning in the log), and the next call tries
    again.
    """

    def __init__(
        self,
        store_url: str | URL,
        key: int = POLLER_LOCK_KEY,
        *,
        connect_timeout: float = 5.0,
        application_name: str | None = None,
        outage: Outage | None = None,
    ) -> None:
        self._conninfo = libpq_conninfo(store_url)
        self._where = safe_url(store_url)
        self.key = key
        self._connect_args: dict[str, Any] = {
            "autocommit": True,  # no transaction left open on the dedicated session
            "connect_timeout": max(1, round(connect_timeout)),
            # Names the holder in pg_stat_activity: "security-bot poller PID@HOST".
            "application_name": application_name
            or f"security-bot poller {os.getpid()}@{socket.gethostname()}"[:63],
            # Notice a dead server or network on our side within about a minute.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        self._conn: psycopg.Connection[Any] | None = None
        self._held = False
        self._closed = False
        self._unreachable_logged = False
        self._outage = outage
        self._lock = threading.Lock()

    # -- public ---------------------------------------------------------------------------------

    @property
    def held(self) -> bool:
        """Whether the lock was held at the last check (no database round trip)."""
        return self._held

    def is_leader(self) -> bool:
        """True when this process holds the poller lock (taking it when it is free)."""
        with self._lock:
            if self._closed:
                return False
            if self._held:
                if self._alive():
                    if self._outage is not None:
                        self._outage.ok()
                    return True
                # Expected when the database restarts or goes away: the outage (if any) is
                # the operator's line; this one says what it did to the poller.
                log.info(
                    "lost the poller lock: the connection to %s broke; trying to take it again",
                    self._where,
                )
                self._drop()
            return self._try_acquire()

    def close(self) -> None:
        """Release the lock (if held) and close the dedicated connection; idempotent."""
        with self._lock:
            self._closed = True
            if self._conn is not None and self._held:
                try:
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
                    log.info("released the poller lock")
                except psycopg.Error:
                    pass  # closing the session releases it anyway
            self._drop()

    def __enter__(self) -> PollerElection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PollerElection({self._where!r}, key={self.key}, held={self._held})"

    # -- internals ------------------------------------------------------------------------------

    def _try_acquire(self) -> bool:
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self._conninfo, **self._connect_args)
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        except psycopg.Error as exc:
            if self._outage is not None:
                self._outage.failed(exc)
            elif not self._unreachable_logged:
                log.warning(
                    "poller election: %s unreachable (%s); not polling until it is back",
                    self._where,
                    _one_line(exc),
                )
            self._unreachable_logged = True
            self._drop()
            return False
        if self._unreachable_logged:
            log.info("poller election: %s answers again", self._where)
        self._unreachable_logged = False
        if self._outage is not None:
            self._outage.ok()
        self._held = bool(row and row[0])
        if self._held:
            log.info("this process is now the poller (advisory lock %d taken)", self.key)
        return self._held

    def _alive(self) -> bool:
        conn = self._conn
        if conn is None or conn.closed:
            return False
        try:
            conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def _drop(self) -> None:
        self._held = False
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(psycopg.Error):  # closing a broken socket
                conn.close()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
