"""The store on a real PostgreSQL server: migrations and concurrent claiming.

Each test module run creates its own uniquely named database and drops it
afterwards.  The server comes from ``SECURITY_BOT_TEST_PG_DSN``; when it is
unreachable the tests are skipped with the reason shown, except under CI
(``CI`` set), where an unreachable server is a failure.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text

from bot.analysis.model import Finding, Severity, Suppression
from bot.store import JobKind, JobSpec, JobStatus, ReviewRecord, Store
from bot.store import migrate as store_migrate
from bot.store.schema import include_name, metadata
from tests.support import postgres_database
from tests.unit import test_store_leases as leases
from tests.unit import test_store_migrations as migrations

pytestmark = pytest.mark.postgres

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    s = Store(pg_url)
    with s.engine.begin() as conn:  # every test starts from empty tables
        conn.execute(
            text(
                "TRUNCATE jobs, job_events, reviews, findings, poll_cursors, job_counts"
                " RESTART IDENTITY"
            )
        )
    yield s
    s.close()


def spec(n: int) -> JobSpec:
    return JobSpec(
        trigger_key=f"ps:openstack/nova:{900000 + n}:1",
        kind=JobKind.NEW,
        project="openstack/nova",
        change=900000 + n,
        patchset=1,
        revision=f"{n:040x}",
    )


def finding(line: int, fp: str) -> Finding:
    return Finding(
        rule="SB101",
        cwe=78,
        cwe_name="OS Command Injection",
        pillars=(707,),
        severity=Severity.HIGH,
        confidence="high",
        path="nova/tests/unit/test_x.py",
        line=line,
        end_line=line,
        message="shell=True",
        recommendation="use a list",
        code="subprocess.call(cmd, shell=True)",
        fingerprint=fp,
    )


def test_migrations_build_exactly_the_models(pg_url: str) -> None:
    with Store(pg_url) as store:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            assert compare_metadata(ctx, metadata) == []
        assert set(inspect(store.engine).get_table_names()) == set(metadata.tables) | {
            "alembic_version"
        }
        assert store_migrate.current_revision(store.engine) == store_migrate.head_revision()
        columns = {c["name"]: c for c in inspect(store.engine).get_columns("jobs")}
        assert getattr(columns["created_at"]["type"], "timezone", None) is True
    # Downgrade to nothing and back up again.
    with Store(pg_url, migrate=False) as store:
        store_migrate.downgrade(store.engine, "base")
        assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
        store_migrate.upgrade(store.engine)
        assert set(inspect(store.engine).get_table_names()) == set(metadata.tables) | {
            "alembic_version"
        }


def test_concurrent_store_start_up_migrates_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            Store(pg_url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_round_trip(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.enqueue(spec(1), now=T0) is None
    assert job.created_at == T0 and job.created_at.tzinfo is UTC
    claimed = store.claim("w", 60, now=T0 + timedelta(seconds=1))
    assert claimed is not None and claimed.lease_expires == T0 + timedelta(seconds=61)
    assert store.claim("w2", 60, now=T0 + timedelta(seconds=2)) is None
    taken = store.claim("w2", 60, now=T0 + timedelta(seconds=62))
    assert taken is not None and taken.attempts == 2
    assert not store.complete(job.id, "w", JobStatus.POSTED)
    review = ReviewRecord(
        verdict="defects",
        message="m",
        comments={"a.py": [{"line": 1, "message": "x"}]},
        timings={"fetch": 0.5},
        findings=[(finding(1, "fp-a"), True)],
        suppressed=[Suppression(finding(2, "fp-b"), "# nosec")],
    )
    assert store.complete(job.id, "w2", JobStatus.POSTED, review=review, now=T0 + timedelta(70))
    row = store.review_for(job.change, 1)
    assert row is not None
    assert row.comments == review.comments and row.timings == {"fetch": 0.5}
    assert row.finding_count == 1 and row.suppressed_count == 1
    assert [f.suppressed for f in store.findings_for_review(row.id)] == [False, True]
    assert store.posted_fingerprints(job.change, 2) == {"fp-a"}
    store.set_cursor("changes", "1")
    store.set_cursor("changes", "2")
    assert store.get_cursor("changes") == "2"
    assert store.counts()["posted"] == 1


def _claim_all(store: Store, worker: str, out: list[int]) -> None:
    while True:
        job = store.claim(worker, 300)
        if job is None:
            return
        out.append(job.id)
        assert store.complete(job.id, worker, JobStatus.POSTED, review=ReviewRecord("clean"))


def test_eight_threads_claim_two_hundred_jobs_exactly_once(store: Store) -> None:
    ids = set()
    for n in range(200):
        job = store.enqueue(spec(n))
        assert job is not None
        ids.add(job.id)
    claimed: list[list[int]] = [[] for _ in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(i: int) -> None:
        try:
            barrier.wait()
            _claim_all(store, f"thread-{i}", claimed[i])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    every = [j for c in claimed for j in c]
    assert Counter(every).most_common(1)[0][1] == 1
    assert set(every) == ids
    assert store.counts()["posted"] == 200


def _process_worker(url: str, name: str, queue: multiprocessing.Queue[list[int]]) -> None:
    store = Store(url, migrate=False)
    out: list[int] = []
    try:
        _claim_all(store, name, out)
    finally:
        store.close()
        queue.put(out)


@pytest.mark.slow
def test_several_processes_claim_each_job_once(store: Store, pg_url: str) -> None:
    for n in range(200):
        assert store.enqueue(spec(n)) is not None
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[list[int]] = ctx.Queue()
    procs = [
        ctx.Process(target=_process_worker, args=(pg_url, f"proc-{i}", queue)) for i in range(4)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    every = [j for r in results for j in r]
    assert len(every) == 200 and len(set(every)) == 200
    assert store.counts()["posted"] == 200


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(store_migrate.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.mark.parametrize("start", _revisions())
def test_upgrade_from_every_revision_keeps_the_data(start: str) -> None:
    with postgres_database("security_bot_mig") as url:
        with Store(url, migrate=False) as old:
            store_migrate.upgrade(old.engine, start)
            assert store_migrate.current_revision(old.engine) == start
            job = migrations.enqueue_at(old, start, spec(1))
            old.set_cursor("poll:changes", "2025-03-01T12:00:00+00:00")
        with Store(url) as store:
            assert store_migrate.current_revision(store.engine) == store_migrate.head_revision()
            with store.engine.connect() as conn:
                ctx = MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_name": include_name}
                )
                assert compare_metadata(ctx, metadata) == []
            assert store.job(job.id) == job
            assert store.get_cursor("poll:changes") == "2025-03-01T12:00:00+00:00"
            indexes = {i["name"] for i in inspect(store.engine).get_indexes("jobs")}
            assert "ix_jobs_status_created_at" in indexes


def test_refusals_queued_before_the_reply_column_keep_their_reply() -> None:
    with postgres_database("security_bot_mig") as url:
        migrations.check_refusal_replies(
            url, migrations.queue_refusals_before_the_reply_column(url)
        )


def test_claim_uses_skip_locked_and_the_claim_index(store: Store) -> None:
    for n in range(50):
        store.enqueue(spec(n))
    compiled: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        compiled.append(statement)

    try:
        assert store.claim("w", 60) is not None
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert any("FOR UPDATE SKIP LOCKED" in s for s in compiled)


def test_a_locked_candidate_is_skipped_not_waited_for(store: Store) -> None:
    first = store.enqueue(spec(1), now=T0)
    second = store.enqueue(spec(2), now=T0 + timedelta(seconds=1))
    assert first is not None and second is not None
    # Another session holds the oldest job's row lock (mid-claim); a claim must not block.
    with store.engine.connect() as other, other.begin():
        other.execute(text("SELECT id FROM jobs WHERE id = :id FOR UPDATE"), {"id": first.id})
        claimed = store.claim("w", 60)
        assert claimed is not None and claimed.id == second.id


def test_expired_lease_is_claimable_and_the_old_holder_can_no_longer_finish(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.claim("a", 10, now=T0) is not None
    assert store.claim("b", 10, now=T0 + timedelta(seconds=9)) is None
    assert store.extend_lease(job.id, "a", 10, now=T0 + timedelta(seconds=9))
    assert store.claim("b", 10, now=T0 + timedelta(seconds=18)) is None  # extended to 19 s
    taken = store.claim("b", 10, now=T0 + timedelta(seconds=20))
    assert taken is not None and taken.lease_owner == "b" and taken.attempts == 2
    assert not store.extend_lease(job.id, "a", 10, now=T0 + timedelta(seconds=21))
    assert not store.complete(job.id, "a", JobStatus.POSTED)
    assert not store.retry_later(job.id, "a", "x", 0)
    assert store.complete(job.id, "b", JobStatus.POSTED, review=ReviewRecord("clean"))
    assert [e.event for e in store.events(job.id)] == [
        "enqueued",
        "claimed",
        "lease-expired",
        "claimed",
        "posted",
    ]


def test_heartbeating_job_outlives_its_lease_and_is_not_stolen(store: Store) -> None:
    leases.heartbeating_job_outlives_its_lease_and_is_not_stolen(store)


def test_long_stage_keeps_its_lease_without_heartbeats(store: Store) -> None:
    leases.long_stage_keeps_its_lease_without_heartbeats(store)


def test_silent_job_is_reclaimed_and_finished_once(store: Store) -> None:
    leases.silent_job_is_reclaimed_and_finished_once(store)
