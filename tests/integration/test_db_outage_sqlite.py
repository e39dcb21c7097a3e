"""SQLite's "database is locked" under a long read (issue 17 #21), on a real database file.

The bot keeps its SQLite file in WAL mode, where readers never block the writer: a long
read (an operator's ``sqlite3`` shell in the middle of a query, a backup) must not stop
polling or reviewing at all. A file that is not in WAL mode (created before, or switched
back by a tool) is another matter: there a long read locks every writer out, and the
bot's own connections cannot switch it to WAL while the read lasts. Then it is an outage
like PostgreSQL's: one log line, ``/healthz`` failing with the reason, no job failed, and
the review posted once the read ends.

Also here: ``security-bot run`` started while the database is locked waits for it
(``store.startup_wait``) instead of exiting with a traceback.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.demo import harness as demo_harness
from bot.service import Service
from bot.store import Store, db
from bot.store.outage import DatabaseAway, Outage, wait_for_database
from fakegerrit import FakeGerrit
from tests.support import PROJECT, bot_reviews, drain

BUSY_TIMEOUT = 0.3  # the bot's busy timeout here, so that "locked" comes in a fraction of a second


def _healthz(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=20) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _database_file(service: Service) -> Path:
    return Path(service.config.store.url.removeprefix("sqlite:///"))


def _long_read(path: Path) -> sqlite3.Connection:
    """Another program's read transaction, left open (a shell in the middle of a query)."""
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM jobs").fetchone() is not None
    return reader


def _a_change(fake: FakeGerrit, n: int) -> int:
    body = f"def test_long_read_{n}():\n    assert {n}\n"
    return fake.create_change(PROJECT, {f"sample/tests/test_read_{n}.py": body}, f"Read {n}")


def _ticks(service: Service, count: int) -> None:
    for _ in range(count):
        service.poll_safely()
        for worker in service.workers:
            worker.run_one()


def _outage_lines(caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[str]]:
    messages = [r.getMessage() for r in caplog.records]
    return (
        [m for m in messages if m.startswith("database unavailable")],
        [m for m in messages if m.startswith("database available again")],
    )


def test_a_long_read_on_the_wal_database_does_not_stop_the_bot(
    fake_gerrit: FakeGerrit,
    make_service: Callable[..., Service],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", BUSY_TIMEOUT)
    service = make_service()
    path = _database_file(service)
    change = _a_change(fake_gerrit, 1)
    caplog.set_level(logging.WARNING)
    reader = _long_read(path)
    try:
        started = time.monotonic()
        service.poll_safely()
        drain(service)
        # Reviewed and recorded while the read lasted, for far longer than the busy timeout.
        assert len(bot_reviews(fake_gerrit, change)) == 1
        assert service.store.counts()["posted"] == 1
        time.sleep(max(0.0, 3 * BUSY_TIMEOUT - (time.monotonic() - started)))
        _ticks(service, 3)
        assert reader.execute("SELECT count(*) FROM jobs").fetchone() is not None
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert _outage_lines(caplog) == ([], [])
    assert service.health.database_down_since is None
    assert not [r for r in caplog.records if r.exc_info]


def test_a_long_read_on_a_database_not_in_wal_mode_is_one_outage_and_nothing_failed(
    fake_gerrit: FakeGerrit,
    make_service: Callable[..., Service],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", BUSY_TIMEOUT)
    service = make_service()
    config = service.config
    path = _database_file(service)
    server = demo_harness.serve_dashboard(service, config, scheduler_alive=True)
    try:
        first = _a_change(fake_gerrit, 1)
        service.poll_safely()
        drain(service)
        assert len(bot_reviews(fake_gerrit, first)) == 1
        # A tool switched the file back to a rollback journal while the bot's pool was idle.
        service.store.engine.dispose()
        tool = sqlite3.connect(path, isolation_level=None)
        assert tool.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
        tool.close()
        second = _a_change(fake_gerrit, 2)
        caplog.set_level(logging.WARNING)
        reader = _long_read(path)
        try:
            _ticks(service, 4)
            away, back = _outage_lines(caplog)
            assert len(away) == 1 and "locked" in away[0] and back == []
            status, body = _healthz(server.url)
            assert status == 503 and "store" in body["failing"]
            assert "none is marked failed" in body["checks"]["store"]["detail"]
            assert bot_reviews(fake_gerrit, second) == []
        finally:
            reader.execute("ROLLBACK")
            reader.close()
        service.poll_safely()  # the poll that ends the outage queues the second change
        drain(service)
        assert len(bot_reviews(fake_gerrit, first)) == len(bot_reviews(fake_gerrit, second)) == 1
        counts = service.store.counts()
        assert counts["posted"] == 2 and counts["failed"] == 0
        away, back = _outage_lines(caplog)
        assert len(away) == 1 and len(back) == 1
        assert _healthz(server.url)[0] == 200
        assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
        with sqlite3.connect(path) as check:  # the bot's next connection made it WAL again
            assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        server.stop()


def test_start_up_waits_for_a_locked_database_then_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", BUSY_TIMEOUT)
    path = tmp_path / "bot.db"
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN EXCLUSIVE")  # another writer holds the new file: migrations wait
    threading.Timer(2.0, lambda: (locker.execute("ROLLBACK"), locker.close())).start()
    caplog.set_level(logging.WARNING)
    outage = Outage()
    store = wait_for_database(lambda: Store(f"sqlite:///{path}"), patience=60, outage=outage)
    try:
        assert store.counts()["pending"] == 0
    finally:
        store.close()
    away, back = _outage_lines(caplog)
    assert len(away) == 1 and len(back) == 1
    assert outage.down_for is None


def test_start_up_gives_up_in_one_line_when_the_database_stays_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", BUSY_TIMEOUT)
    path = tmp_path / "bot.db"
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseAway) as caught:
            wait_for_database(lambda: Store(f"sqlite:///{path}"), patience=1.0, pause=0.2)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    text = str(caught.value)
    assert "store.startup_wait" in text and "locked" in text and "\n" not in text
