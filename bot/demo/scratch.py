"""Throwaway resources for tests, benchmarks and tools (never used by the running bot).

* :func:`postgres_database`: a fresh, uniquely named PostgreSQL database on a server (by
  default ``$SECURITY_BOT_TEST_PG_DSN``, else the local test server), dropped afterwards,
  so parallel runs never share tables. An unreachable server raises
  :class:`DatabaseUnavailable` with the reason; whether that skips or fails is the
  caller's decision (the test suite skips, except under CI).
* :func:`chromium_launch_options`: how Debian's ``chromium`` package is started headless
  (``$SECURITY_BOT_CHROMIUM``, else ``/usr/bin/chromium``), for Playwright's
  ``chromium.launch(**options)``; a downloaded browser is never used. Playwright itself is
  imported by the callers only: the bot does not depend on it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

PG_DSN_ENV = "SECURITY_BOT_TEST_PG_DSN"
DEFAULT_PG_DSN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

CHROMIUM_ENV = "SECURITY_BOT_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class DatabaseUnavailable(RuntimeError):
    """The PostgreSQL server to create the throwaway database on cannot be reached."""


def admin_url(dsn: str | URL | None = None) -> URL:
    """The server's URL (``dsn``, else the environment's, else the local test server)."""
    url = make_url(dsn or os.environ.get(PG_DSN_ENV, DEFAULT_PG_DSN))
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


@contextmanager
def postgres_database(
    prefix: str = "security_bot_scratch", dsn: str | URL | None = None
) -> Iterator[str]:
    """A new empty database named ``<prefix>_<random>``; yields its URL, drops it afterwards.

    The DSN's own database is only used to create and drop it.
    """
    server = admin_url(dsn)
    admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        where = server.render_as_string(hide_password=True)
        raise DatabaseUnavailable(
            f"PostgreSQL at {where} is unreachable: {type(exc).__name__}: {exc}"
        ) from exc
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def chromium_path() -> str:
    return os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)


def chromium_missing(executable: str | None = None) -> str:
    """Why Chromium cannot be started ("" when it can)."""
    path = executable or chromium_path()
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        return f"Chromium not found at {path} (apt-get install chromium)"
    return ""


def chromium_launch_options(executable: str | None = None) -> dict[str, Any]:
    """Keyword arguments for Playwright's ``chromium.launch``: Debian's binary, headless."""
    return {
        "executable_path": executable or chromium_path(),
        "args": list(CHROMIUM_ARGS),
        "headless": True,
    }
