"""Migrations build exactly the schema the models declare (SQLite).

The PostgreSQL suite (``tests/integration/test_store_postgres.py``) runs the
every-revision scenarios below on PostgreSQL too.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from bot.store import Job, JobKind, JobSpec, JobStatus, Store
from bot.store import migrate as store_migrate
from bot.store.db import create_engine, safe_url
from bot.store.schema import JobEventModel, JobModel, include_name, metadata

#: Revisions whose jobs table has no ``reply`` column yet (it came with 0003).
BEFORE_REPLY = frozenset({"0001", "0002"})
#: Columns of ``jobs`` that later revisions added, with the revision that added them.
ADDED_JOB_COLUMNS = {
    "reply": "0003",
    "verdict": "0005_dashboard_indexes",
    "finding_count": "0005_dashboard_indexes",
    "duration_ms": "0005_dashboard_indexes",
}
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def schema_diff(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        ctx = MigrationContext.configure(conn, opts=opts)
        return list(compare_metadata(ctx, metadata))


def modelled_tables(engine: Engine) -> set[str]:
    """The tables in the database, without the search index's (no model describes them)."""
    return {t for t in inspect(engine).get_table_names() if include_name(t, "table")}


def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        assert schema_diff(store) == []
        tables = modelled_tables(store.engine)
        assert tables == set(metadata.tables) | {"alembic_version"}
        assert store_migrate.current_revision(store.engine) == store_migrate.head_revision()
        jobs = inspect(store.engine)
        assert {u["name"] for u in jobs.get_unique_constraints("jobs")} == {"uq_jobs_trigger_key"}
        assert {"ix_jobs_status_not_before", "ix_jobs_change_patchset"} <= {
            i["name"] for i in jobs.get_indexes("jobs")
        }
        fks = jobs.get_foreign_keys("findings")
        assert [(fk["referred_table"], fk["constrained_columns"]) for fk in fks] == [
            ("reviews", ["review_id"])
        ]


def test_without_migrate_nothing_is_created(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'b.db'}", migrate=False) as store:
        assert inspect(store.engine).get_table_names() == []


def test_upgrade_is_idempotent_and_downgrade_removes_everything(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with Store(url) as store:
        store.set_cursor("changes", "x")
    with Store(url) as store:  # second upgrade: a no-op, data kept
        assert store.get_cursor("changes") == "x"
        store_migrate.downgrade(store.engine, "base")
        assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
        store_migrate.upgrade(store.engine)
        assert schema_diff(store) == []


def test_memory_database_works(tmp_path: Path) -> None:
    with Store("sqlite://") as store:
        assert store.get_cursor("x") is None
        assert schema_diff(store) == []


def test_engine_masks_password_and_maps_postgres_driver() -> None:
    engine = create_engine("postgresql://bot:s3cret@db.example/bot")
    try:
        assert engine.url.drivername == "postgresql+psycopg"
    finally:
        engine.dispose()
    assert "s3cret" not in safe_url("postgresql://bot:s3cret@db.example/bot")


def all_revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(store_migrate.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_revisions_are_one_line_of_history() -> None:
    revisions = all_revisions()
    assert revisions[0] == "0001" and revisions[-1] == store_migrate.head_revision()
    assert revisions == sorted(revisions)


@pytest.mark.parametrize("start", all_revisions())
def test_upgrade_from_every_revision_keeps_the_data(tmp_path: Path, start: str) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store(url, migrate=False) as old:
        store_migrate.upgrade(old.engine, start)
        assert store_migrate.current_revision(old.engine) == start
        # Every revision has the jobs table and cursors; write as that revision's bot did.
        job = enqueue_at(old, start, spec_for_migration())
        old.set_cursor("poll:changes", "2025-03-01T12:00:00+00:00")
    with Store(url) as store:  # the start-up migration brings it to head
        assert store_migrate.current_revision(store.engine) == store_migrate.head_revision()
        assert schema_diff(store) == []
        assert store.job(job.id) == job
        assert store.get_cursor("poll:changes") == "2025-03-01T12:00:00+00:00"
        claimed = store.claim("w", 60)
        assert claimed is not None and claimed.id == job.id


def test_claim_index_exists_at_head(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'i.db'}") as store:
        indexes = {i["name"]: i["column_names"] for i in inspect(store.engine).get_indexes("jobs")}
        assert indexes["ix_jobs_status_created_at"] == ["status", "created_at"]
        store_migrate.downgrade(store.engine, "0001")
        indexes = {i["name"] for i in inspect(store.engine).get_indexes("jobs")}
        assert "ix_jobs_status_created_at" not in indexes
        assert "ix_jobs_status_not_before" in indexes


def spec_for_migration() -> JobSpec:
    return JobSpec(
        trigger_key="ps:openstack/nova:900001:1",
        kind=JobKind.NEW,
        project="openstack/nova",
        change=900001,
        patchset=1,
        revision="a" * 40,
        subject="Add a test",
    )


def enqueue_at(store: Store, revision: str, spec: JobSpec, *, events: tuple[str, ...] = ()) -> Job:
    """Enqueue ``spec`` into a database at ``revision``, as the bot of that revision did.

    From 0003 on that is the store's own ``enqueue``; before it, the jobs table has no
    ``reply`` column, so the row (and its ``enqueued`` event, then ``events``) is written
    with that revision's columns. Returns the job as the store at head must read it back.
    """
    if revision >= max(ADDED_JOB_COLUMNS.values()):
        job = store.enqueue(spec, now=T0)
        assert job is not None
        for detail in events:
            store.add_event(job.id, "note", detail, now=T0)
        return job
    values = {
        "trigger_key": spec.trigger_key,
        "kind": spec.kind.value,
        "project": spec.project,
        "change": spec.change,
        "patchset": spec.patchset,
        "revision": spec.revision,
        "subject": spec.subject,
        "owner": spec.owner,
        "branch": spec.branch,
        "requested_by": spec.requested_by,
        "status": spec.status.value,
        "reason": spec.reason,
        "attempts": 0,
        "run_marker": uuid.uuid4().hex,
        "lease_owner": None,
        "lease_expires": None,
        "not_before": None,
        "created_at": T0,
        "updated_at": T0,
        "uploaded_at": spec.uploaded_at,
        "finished_at": None,
    }
    reply = {} if revision in BEFORE_REPLY else {"reply": spec.reply}
    job_id = _insert_legacy(
        store.engine, revision, {**values, **reply}, (_enqueued_detail(spec), *events)
    )
    return Job(id=job_id, **{"reply": "", **values, **reply})  # type: ignore[arg-type]


def _insert_legacy(
    engine: Engine, revision: str, values: dict[str, object], details: tuple[str, ...]
) -> int:
    old_jobs = sa.table(
        "jobs",
        *(
            sa.column(c.name, c.type)
            for c in JobModel.__table__.c
            if ADDED_JOB_COLUMNS.get(c.name, "0000") <= revision
        ),
    )
    events = sa.table("job_events", *(sa.column(c.name, c.type) for c in JobEventModel.__table__.c))
    with engine.begin() as conn:
        job_id = conn.execute(
            sa.insert(old_jobs).values(**values).returning(old_jobs.c.id)
        ).scalar_one()
        for detail in details:
            conn.execute(
                sa.insert(events).values(job_id=job_id, at=T0, event="enqueued", detail=detail)
            )
    return int(job_id)


def _enqueued_detail(spec: JobSpec) -> str:
    detail = spec.reason or f"kind={spec.kind.value}"
    return detail + (f" requested_by={spec.requested_by}" if spec.requested_by else "")


def refusal_spec(n: int, reason: str) -> JobSpec:
    return JobSpec(
        trigger_key=f"recheck:{900000 + n}:msg-{n}",
        kind=JobKind.REFUSAL,
        project="openstack/nova",
        change=900000 + n,
        patchset=1,
        revision="b" * 40,
        requested_by="Bob",
        reason=reason,
    )


LIMIT = "the limit of 1 security rechecks per change in 1 hour is reached"


def queue_refusals_before_the_reply_column(url: str) -> dict[str, int]:
    """Refusal jobs as a bot at 0002 left them, some retried since (their reason overwritten)."""
    with Store(url, migrate=False) as old:
        store_migrate.upgrade(old.engine, "0002")
        queued = enqueue_at(old, "0002", refusal_spec(1, "refused: " + LIMIT))
        not_allowed = enqueue_at(
            old,
            "0002",
            refusal_spec(2, "refused: Bob is not allowed to request a security recheck"),
        )
        with old.engine.begin() as conn:  # a retry overwrote the reason; the event still has it
            conn.execute(
                sa.update(JobModel.__table__)
                .where(JobModel.__table__.c.id == not_allowed.id)
                .values(reason="Gerrit unreachable: timed out")
            )
        no_event = enqueue_at(old, "0002", refusal_spec(3, "refused: " + LIMIT + " (reason only)"))
        with old.engine.begin() as conn:  # only the reason is left to recover the reply from
            conn.execute(
                sa.delete(JobEventModel.__table__).where(
                    JobEventModel.__table__.c.job_id == no_event.id
                )
            )
        new = enqueue_at(old, "0002", spec_for_migration())
    return {
        "queued": queued.id,
        "not_allowed": not_allowed.id,
        "no_event": no_event.id,
        "new": new.id,
    }


def check_refusal_replies(url: str, ids: dict[str, int]) -> None:
    with Store(url) as store:
        replies = {name: store.job(job_id).reply for name, job_id in ids.items()}  # type: ignore[union-attr]
        assert replies == {
            "queued": LIMIT,
            "not_allowed": "Bob is not allowed to request a security recheck",
            "no_event": LIMIT + " (reason only)",
            "new": "",
        }
        claimed = store.claim("w", 60)
        assert claimed is not None and claimed.kind is JobKind.REFUSAL and claimed.reply == LIMIT
        assert claimed.status is JobStatus.RUNNING


def test_refusals_queued_before_the_reply_column_keep_their_reply(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'refusals.db'}"
    check_refusal_replies(url, queue_refusals_before_the_reply_column(url))


def test_reply_is_stored_and_removed_by_its_downgrade(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'r.db'}") as store:
        job = store.enqueue(dataclasses.replace(refusal_spec(4, "refused: no"), reply="no"))
        assert job is not None and store.job(job.id).reply == "no"  # type: ignore[union-attr]
        store_migrate.downgrade(store.engine, "0002")
        columns = {c["name"] for c in inspect(store.engine).get_columns("jobs")}
        assert "reply" not in columns and "reason" in columns
