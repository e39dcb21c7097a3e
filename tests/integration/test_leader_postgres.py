"""One poller among several bot processes: the PostgreSQL advisory-lock election.

Runs against the machine's PostgreSQL (a fresh database per module); skipped with
the reason when it is unreachable and ``CI`` is unset.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.service import Service
from bot.store.leader import PollerElection, libpq_conninfo
from tests.support import postgres_database

pytestmark = pytest.mark.postgres

KEY = 0x5EC0B07_7E57  # not the bot's own key, so a bot running on this database is unaffected


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_database("security_bot_leader") as url:
        yield url


def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _terminate_sessions(url: str, application_name: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :name AND datname = current_database()"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        engine.dispose()


def test_one_leader_and_a_takeover_on_close(pg_url: str) -> None:
    a = PollerElection(pg_url, KEY)
    b = PollerElection(pg_url, KEY)
    try:
        assert a.is_leader()
        assert not b.is_leader()
        assert a.is_leader() and a.held  # still ours: no re-election each poll
        assert not b.is_leader() and not b.held
        a.close()
        assert not a.is_leader()  # closed for good
        assert b.is_leader()
    finally:
        a.close()
        b.close()


def test_other_keys_and_databases_do_not_compete(pg_url: str) -> None:
    with PollerElection(pg_url, KEY) as a, PollerElection(pg_url, KEY + 1) as b:
        assert a.is_leader() and b.is_leader()


def test_the_lock_goes_with_a_killed_holder(pg_url: str, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pathlib\n"
            "from bot.store.leader import PollerElection\n"
            "e = PollerElection(sys.argv[1], int(sys.argv[2]))\n"
            "assert e.is_leader()\n"
            "pathlib.Path(sys.argv[3]).write_text('ok')\n"
            "time.sleep(120)\n",
            pg_url,
            str(KEY),
            str(ready),
        ],
        cwd=Path(__file__).resolve().parents[2],
    )
    other = PollerElection(pg_url, KEY)
    try:
        assert _wait_for(ready.exists, 30), "the holder process did not take the lock"
        assert not other.is_leader()
        os.kill(holder.pid, signal.SIGKILL)  # no clean-up code runs
        holder.wait(timeout=10)
        assert _wait_for(other.is_leader, 10), "the lock was not released with the dead session"
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=10)
        other.close()


def test_a_broken_connection_is_noticed_and_reconnected(pg_url: str) -> None:
    a = PollerElection(pg_url, KEY, application_name="election-a")
    b = PollerElection(pg_url, KEY, application_name="election-b")
    try:
        assert a.is_leader()
        assert _terminate_sessions(pg_url, "election-a") == 1  # e.g. a database restart
        # b can take it now; a notices its session is gone and is no longer the poller.
        assert b.is_leader()
        assert not a.is_leader()
        b.close()
        assert a.is_leader()  # a's reconnected session takes it over
    finally:
        a.close()
        b.close()


def test_unreachable_database_means_not_leader_without_raising() -> None:
    election = PollerElection(
        "postgresql+psycopg://postgres@127.0.0.1:1/none", KEY, connect_timeout=1
    )
    try:
        assert not election.is_leader()
        assert not election.is_leader()
    finally:
        election.close()


def test_conninfo_keeps_the_password_and_rejects_sqlite() -> None:
    info = libpq_conninfo("postgresql+psycopg://bot:p%40ss@db.example:5433/bot?sslmode=require")
    assert info == "postgresql://bot:p%40ss@db.example:5433/bot?sslmode=require"
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        libpq_conninfo("sqlite:///x.db")
    assert "p%40ss" not in repr(PollerElection("postgresql://bot:p%40ss@db.example/bot"))


def test_services_on_one_database_elect_one_poller(
    pg_url: str, make_service: Callable[..., Service]
) -> None:
    first = make_service(store={"url": pg_url})
    second = make_service(store={"url": pg_url})
    assert first.election is not None and second.election is not None
    gates = [first.poll_gate(), second.poll_gate()]
    assert sorted(gates) == [False, True]
    leader, follower = (first, second) if gates[0] else (second, first)
    leader.close()  # e.g. the replica is stopped
    assert follower.poll_gate()


def test_sqlite_service_always_polls(make_service: Callable[..., Service]) -> None:
    service = make_service()
    assert service.election is None
    assert service.poll_gate() and service.poll_gate()
