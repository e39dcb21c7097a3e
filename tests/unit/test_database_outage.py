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
from bot.store import JobKind, JobSpec, JobStatus, Store, db
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
