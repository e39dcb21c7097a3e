"""The database going away is not a job's failure (issue 17 #21), on a real SQLite file:
another connection holds it locked past the busy timeout ("database is locked"), the
worker logs one line for the whole outage, fails nothing and claims the job once the
lock is gone.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import cast

import pytest

from bot.config import WorkerConfig
from bot.review.pipeline import ReviewPipeline
from bot.store import JobKind, JobSpec, JobStatus, Outage, Store, db
from bot.worker import Worker


def test_a_locked_sqlite_database_is_one_log_line_and_no_failed_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "store.db"
    store = Store(f"sqlite:///{path}")
    try:
        job = store.enqueue(
            JobSpec(
                trigger_key="ps:openstack/nova:1:1",
                kind=JobKind.NEW,
                project="openstack/nova",
                change=1,
                patchset=1,
                revision="a" * 40,
            )
        )
        assert job is not None
        # The claim never reaches the pipeline while the database is locked.
        worker = Worker(store, cast(ReviewPipeline, None), WorkerConfig(max_attempts=2))
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        caplog.set_level(logging.WARNING, logger="bot.store")
        for _ in range(4):  # more ticks than max_attempts
            assert worker.run_one() is False
        away = [r for r in caplog.records if "database unavailable" in r.getMessage()]
        assert len(away) == 1 and "locked" in away[0].getMessage()
        assert worker.outage.down_for is not None
        locker.execute("ROLLBACK")
        locker.close()

        claimed = store.claim("other-worker", 60.0, max_attempts=2)
        assert claimed is not None and claimed.id == job.id and claimed.attempts == 1
        assert claimed.status == JobStatus.RUNNING
        worker.outage.ok()
        assert any("available again" in r.getMessage() for r in caplog.records)
    finally:
        store.close()


def test_the_poll_through_a_locked_database_logs_one_line_and_no_traceback(
    fake_gerrit, make_service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    fake_gerrit.create_change(
        "openstack/sample", {"sample/tests/test_ok.py": "def test_ok():\n    pass\n"}, "ok"
    )
    service = make_service()
    path = service.config.store.url.removeprefix("sqlite:///")
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    caplog.set_level(logging.WARNING)
    try:
        for _ in range(3):
            service.poll_safely()
            service.workers[0].run_one()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    away = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(away) == 1
    assert not [r for r in caplog.records if r.exc_info]  # no traceback
    assert service.health.last_poll_error == "database unavailable"
    service.poll_safely()
    assert service.health.last_poll_error == ""
    assert service.store.pending_count() == 1  # the poll enqueued once the lock was gone


def test_healthz_fails_with_the_reason_while_the_bots_database_is_away(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.config import build_config
    from bot.dashboard import create_app

    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        now = datetime.now(UTC)
        state: dict[str, object] = {
            "started_at": now - timedelta(hours=1),
            "last_poll_ok": now - timedelta(seconds=5),
            "scheduler_alive": True,
            "polling": False,  # a standby process: its health still depends on its database
            "database_down_since": now - timedelta(seconds=42),
        }
        app = create_app(store, build_config({}, env={}), health=lambda: state)
        client = app.test_client()
        answer = client.get("/healthz")
        body = answer.get_json()
        # The dashboard's own read works (a writer's lock, say): the bot's outage still counts.
        assert answer.status_code == 503 and body["failing"] == ["store"]
        store_check = body["checks"]["store"]
        assert store_check["ok"] is False and store_check["down_seconds"] >= 42
        detail = store_check["detail"]
        assert f"for {store_check['down_seconds']:.0f} s" in detail
        assert "none is marked failed" in detail and "resumes by itself" in detail
        state["database_down_since"] = (now - timedelta(seconds=3)).isoformat()  # a JSON provider
        assert client.get("/healthz").get_json()["checks"]["store"]["down_seconds"] < 30
        state["database_down_since"] = None  # back: green again
        answer = client.get("/healthz")
        assert answer.status_code == 200 and answer.get_json()["checks"]["store"] == {"ok": True}
    finally:
        store.close()


def test_an_outage_is_one_line_whichever_threads_meet_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import threading

    from sqlalchemy.exc import OperationalError

    changes: list[object] = []
    outage = Outage(on_change=changes.append)
    error = OperationalError("SELECT 1", {}, Exception("connection refused\nsecond line"))
    caplog.set_level(logging.WARNING, logger="bot.store")
    threads = [threading.Thread(target=outage.failed, args=(error,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outage.since is not None and outage.down_for is not None
    for _ in range(3):
        outage.ok()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and "connection refused" in lines[0] and "second line" not in lines[0]
    assert lines[1].startswith("database available again")
    assert len(changes) == 2 and changes[1] is None and outage.since is None
