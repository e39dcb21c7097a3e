"""Migrations build exactly the schema the models declare (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.store import JobKind, JobSpec, Store
from bot.store import migrate as store_migrate
from bot.store.db import create_engine, safe_url
from bot.store.schema import metadata


def schema_diff(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, metadata))


def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        assert schema_diff(store) == []
        tables = set(inspect(store.engine).get_table_names())
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
        # Every revision has the jobs table and cursors; write through the store's API.
        job = old.enqueue(spec_for_migration())
        assert job is not None
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
