"""Engine creation for the store.

SQLite is the default (one file, WAL journal, foreign keys on, a generous busy
timeout).  SQLAlchemy, not the ``sqlite3`` module, decides when a transaction
begins, so write transactions can take the write lock up front with
``BEGIN IMMEDIATE``: a transaction that first reads and later writes would
otherwise fail with "database is locked" when another connection wrote in
between, instead of waiting for the busy timeout.

PostgreSQL is selected with a ``postgresql+psycopg://`` URL (psycopg 3); a
plain ``postgresql://`` URL is mapped to psycopg 3 too, as that is the
driver the bot depends on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as _sa_create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

#: Execution option asking for ``BEGIN IMMEDIATE`` on SQLite (ignored elsewhere).
IMMEDIATE = "security_bot_begin_immediate"

#: How long a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_S = 30.0

#: How long opening a PostgreSQL connection may take: a server that is down answers at
#: once, but one behind a dead network would otherwise hold a worker tick for minutes.
PG_CONNECT_TIMEOUT_S = 10

DEFAULT_URL = "sqlite:///security-bot.db"


def normalise_url(url: str | URL) -> URL:
    """Parse ``url`` and pin PostgreSQL URLs to the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for in-memory databases and other backends."""
    if url.get_backend_name() != "sqlite" or is_memory_sqlite(url):
        return None
    database = url.database or ""
    if database.startswith("file:"):  # URI form; leave it to the driver
        return None
    return Path(database)


def safe_url(url: str | URL) -> str:
    """The URL with any password masked, for logs and error messages."""
    return normalise_url(url).render_as_string(hide_password=True)


def create_engine(
    url: str | URL = DEFAULT_URL,
    *,
    pool_size: int = 10,
    max_overflow: int = 30,
    echo: bool = False,
) -> Engine:
    """Create the store's engine for ``url``.

    For a SQLite file the parent directory is created.  Several worker
    threads share one engine; the pool is sized so each can hold a
    connection.
    """
    parsed = normalise_url(url)
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if backend == "sqlite":
        path = sqlite_path(parsed)
        if path is not None and path.parent != Path():
            path.parent.mkdir(parents=True, exist_ok=True)
        connect_args: dict[str, Any] = {
            "timeout": SQLITE_BUSY_TIMEOUT_S,
            "check_same_thread": False,
        }
        kwargs["connect_args"] = connect_args
        if is_memory_sqlite(parsed):
            # One shared connection, or every checkout would see a new empty database.
            kwargs["poolclass"] = StaticPool
        else:
            kwargs["pool_size"] = pool_size
            kwargs["max_overflow"] = max_overflow
        engine = _sa_create_engine(parsed, **kwargs)
        _configure_sqlite(engine, memory=is_memory_sqlite(parsed))
        return engine
    if backend == "postgresql":
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = max_overflow
        # A restart leaves every pooled connection dead: each is tested when checked out.
        kwargs["pool_pre_ping"] = True
        if "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        return _sa_create_engine(parsed, **kwargs)
    return _sa_create_engine(parsed, **kwargs)


def _configure_sqlite(engine: Engine, *, memory: bool) -> None:
    busy_ms = int(SQLITE_BUSY_TIMEOUT_S * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop the sqlite3 module from issuing BEGIN itself (and from committing
        # before DDL); the "begin" hook below issues it instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(IMMEDIATE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
