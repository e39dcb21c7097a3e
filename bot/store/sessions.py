"""The dashboard's administrator sessions, kept in the store so logout really ends them.

The signed cookie carries a random session id; the store keeps only its SHA-256 and
when it expires.  Every dashboard process over the same store therefore agrees on
which sessions are live: a login on one is accepted by the others, a logout on one
is refused by all of them, and a restart changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Engine, Table, delete, insert, select

from bot.store.db import IMMEDIATE
from bot.store.schema import DashboardSessionModel
from bot.store.store import Store

SESSIONS = cast(Table, DashboardSessionModel.__table__)


def _engine(store: Store | Engine) -> Engine:
    return store if isinstance(store, Engine) else store.engine


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def open_session(store: Store | Engine, lifetime: timedelta, *, now: datetime | None = None) -> str:
    """A new live session: its id (for the cookie only; the store keeps its hash)."""
    at = _now(now)
    session_id = secrets.token_urlsafe(32)
    engine = _engine(store)
    with engine.connect().execution_options(**{IMMEDIATE: True}) as conn, conn.begin():
        conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at <= at))
        conn.execute(
            insert(SESSIONS).values(
                id_hash=_hash(session_id), created_at=at, expires_at=at + lifetime
            )
        )
    return session_id


def is_live(store: Store | Engine, session_id: str, *, now: datetime | None = None) -> bool:
    """Whether ``session_id`` was opened, not closed, and has not expired."""
    if not session_id:
        return False
    with _engine(store).connect() as conn:
        expires = conn.execute(
            select(SESSIONS.c.expires_at).where(SESSIONS.c.id_hash == _hash(session_id))
        ).scalar_one_or_none()
    if expires is None:
        return False
    return bool(expires.astimezone(UTC) > _now(now))


def close_session(store: Store | Engine, session_id: str) -> None:
    """End ``session_id`` for every process (logout)."""
    if not session_id:
        return
    engine = _engine(store)
    with engine.connect().execution_options(**{IMMEDIATE: True}) as conn, conn.begin():
        conn.execute(delete(SESSIONS).where(SESSIONS.c.id_hash == _hash(session_id)))
