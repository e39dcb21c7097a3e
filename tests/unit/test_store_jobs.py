"""Job queue: enqueue, claim, leases, retries, cursors and concurrent claiming (SQLite)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.store import Job, JobKind, JobSpec, JobStatus, ReviewRecord, Store

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def spec(n: int = 1, *, key: str | None = None, **kw: object) -> JobSpec:
    values: dict[str, object] = {
        "trigger_key": key or f"ps:openstack/nova:{900000 + n}:1",
        "kind": JobKind.NEW,
        "project": "openstack/nova",
        "change": 900000 + n,
        "patchset": 1,
        "revision": f"{n:040x}",
    }
    values.update(kw)
    return JobSpec(**values)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# -- enqueue ---------------------------------------------------------------


def test_enqueue_returns_the_new_job(store: Store) -> None:
    uploaded = datetime(2025, 3, 1, 11, 0, tzinfo=UTC)
    job = store.enqueue(
        spec(1, subject="Fix tests", owner="alice", branch="master", uploaded_at=uploaded),
        now=T0,
    )
    assert job is not None
    assert job.status is JobStatus.PENDING
    assert job.kind is JobKind.NEW
    assert (job.project, job.change, job.patchset) == ("openstack/nova", 900001, 1)
    assert (job.subject, job.owner, job.branch) == ("Fix tests", "alice", "master")
    assert job.attempts == 0
    assert len(job.run_marker) == 32 and int(job.run_marker, 16) >= 0
    assert job.lease_owner is None and job.lease_expires is None and job.not_before is None
    assert job.created_at == T0 and job.updated_at == T0
    assert job.uploaded_at == uploaded
    assert job.finished_at is None
    assert store.job(job.id) == job
    assert store.job_by_key(job.trigger_key) == job
    assert [e.event for e in store.events(job.id)] == ["enqueued"]


def test_enqueue_is_idempotent_on_trigger_key(store: Store) -> None:
    first = store.enqueue(spec(1), now=T0)
    assert first is not None
    assert store.enqueue(spec(1), now=at(5)) is None
    assert store.enqueue(spec(2, key=first.trigger_key), now=at(6)) is None
    assert store.job_by_key(first.trigger_key) == first
    assert store.counts()["pending"] == 1
    assert [e.event for e in store.events(first.id)] == ["enqueued"]


def test_concurrent_enqueue_of_one_key_inserts_once(store: Store) -> None:
    results: list[Job | None] = []
    barrier = threading.Barrier(8)

    def go() -> None:
        barrier.wait()
        results.append(store.enqueue(spec(7)))

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1
    assert store.counts()["pending"] == 1


def test_enqueue_with_final_status_records_it(store: Store) -> None:
    job = store.enqueue(spec(1, status=JobStatus.SKIPPED, reason="touches no test code"), now=T0)
    assert job is not None
    assert job.status is JobStatus.SKIPPED
    assert job.reason == "touches no test code"
    assert job.finished_at == T0
    assert [e.event for e in store.events(job.id)] == ["recorded-skipped"]
    assert store.claim("w", 60, now=at(1)) is None


def test_enqueue_as_running_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.enqueue(spec(1, status=JobStatus.RUNNING))


def test_timestamps_round_trip_as_aware_utc(store: Store) -> None:
    plus_two = timezone(timedelta(hours=2))
    local = datetime(2025, 3, 1, 14, 0, tzinfo=plus_two)
    job = store.enqueue(spec(1, uploaded_at=local), now=local)
    assert job is not None
    loaded = store.job(job.id)
    assert loaded is not None
    assert loaded.created_at == T0
    assert loaded.created_at.tzinfo is UTC
    assert loaded.uploaded_at is not None and loaded.uploaded_at.tzinfo is UTC
    # A naive datetime is taken to be UTC.
    naive = store.enqueue(spec(2), now=datetime(2025, 3, 1, 12, 0))
    assert naive is not None and naive.created_at == T0


# -- claim -----------------------------------------------------------------


def test_claim_takes_the_oldest_job_first(store: Store) -> None:
    ids = []
    for n in range(3):
        job = store.enqueue(spec(n), now=at(n))
        assert job is not None
        ids.append(job.id)
    claimed = [store.claim("w", 60, now=at(10)) for _ in range(3)]
    assert [j.id for j in claimed if j] == ids
    assert store.claim("w", 60, now=at(10)) is None


def test_claim_sets_lease_and_attempts(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    claimed = store.claim("worker-1", 90, now=at(1))
    assert claimed is not None
    assert claimed.id == job.id
    assert claimed.status is JobStatus.RUNNING
    assert claimed.lease_owner == "worker-1"
    assert claimed.lease_expires == at(91)
    assert claimed.attempts == 1
    assert claimed.run_marker == job.run_marker
    events = store.events(job.id)
    assert [e.event for e in events] == ["enqueued", "claimed"]
    assert "worker-1" in events[-1].detail and "attempt=1" in events[-1].detail
    assert events[-1].at == at(1)


def test_claim_on_empty_store_returns_none(store: Store) -> None:
    assert store.claim("w", 60) is None


def test_claim_job_takes_that_job_whatever_is_queued_before_it(store: Store) -> None:
    backlog = [store.enqueue(spec(n), now=at(n)) for n in range(3)]
    wanted = store.enqueue(spec(9), now=at(5))
    assert wanted is not None and all(backlog)
    claimed = store.claim_job(wanted.id, "cli", 60, now=at(6))
    assert claimed is not None and claimed.id == wanted.id
    assert claimed.status is JobStatus.RUNNING and claimed.attempts == 1
    assert [e.event for e in store.events(wanted.id)] == ["enqueued", "claimed"]
    # Held now: neither a second claim of it nor a claim of the backlog takes it.
    assert store.claim_job(wanted.id, "other", 60, now=at(7)) is None
    assert [store.claim("w", 60, now=at(8)).id for _ in backlog] == [j.id for j in backlog]  # type: ignore[union-attr]
    assert store.claim_job(wanted.id, "other", 60, now=at(67)) is not None  # lease ran out


def test_claim_job_of_a_finished_job_is_none(store: Store) -> None:
    job = store.enqueue(spec(1, status=JobStatus.SKIPPED, reason="no tests"), now=T0)
    assert job is not None
    assert store.claim_job(job.id, "cli", 60, now=at(1)) is None
    assert store.claim_job(job.id + 100, "cli", 60, now=at(1)) is None


def test_refusal_reply_round_trips(store: Store) -> None:
    job = store.enqueue(spec(1, kind=JobKind.REFUSAL, reply="not allowed"), now=T0)
    assert job is not None and job.reply == "not allowed"
    assert store.job(job.id) == job
    plain = store.enqueue(spec(2), now=T0)
    assert plain is not None and plain.reply == ""


def test_not_before_delays_a_job(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    claimed = store.claim("w", 60, now=at(1))
    assert claimed is not None
    assert store.retry_later(job.id, "w", "gerrit 503", 30, now=at(2))
    retried = store.job(job.id)
    assert retried is not None
    assert retried.status is JobStatus.PENDING
    assert retried.not_before == at(32)
    assert retried.lease_owner is None and retried.lease_expires is None
    assert retried.reason == "gerrit 503"
    assert store.claim("w", 60, now=at(31)) is None
    again = store.claim("w2", 60, now=at(32))
    assert again is not None and again.id == job.id
    assert again.attempts == 2
    assert [e.event for e in store.events(job.id)] == ["enqueued", "claimed", "retry", "claimed"]


def test_due_job_is_claimed_before_a_later_one_that_is_not_due(store: Store) -> None:
    first = store.enqueue(spec(1), now=T0)
    second = store.enqueue(spec(2), now=at(1))
    assert first is not None and second is not None
    assert store.claim("w", 60, now=at(2)) is not None
    assert store.retry_later(first.id, "w", "later", 100, now=at(3))
    claimed = store.claim("w", 60, now=at(4))
    assert claimed is not None and claimed.id == second.id


def test_expired_lease_makes_a_running_job_claimable_again(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.claim("dead-worker", 60, now=at(1)) is not None
    # Still leased: nobody else gets it.
    assert store.claim("w2", 60, now=at(60)) is None
    assert store.claim("w2", 60, now=at(61)) is None  # expires at 61; not yet *before* now
    taken = store.claim("w2", 60, now=at(62))
    assert taken is not None
    assert taken.id == job.id
    assert taken.lease_owner == "w2"
    assert taken.attempts == 2
    assert taken.run_marker == job.run_marker
    assert [e.event for e in store.events(job.id)] == [
        "enqueued",
        "claimed",
        "lease-expired",
        "claimed",
    ]


def test_a_job_whose_last_allowed_lease_expired_fails_instead_of_looping(store: Store) -> None:
    # A job that outlives its lease every time (or kills its worker) used to be taken
    # over again and again, its attempts counting past max_attempts.
    job = store.enqueue(spec(1), now=T0)
    other = store.enqueue(spec(2), now=at(0.5))
    assert job is not None and other is not None
    for n, when in enumerate((1, 100, 200), start=1):
        taken = store.claim(f"w{n}", 60, max_attempts=3, now=at(when))
        assert taken is not None and taken.id == job.id and taken.attempts == n
    # The third lease runs out: the next claim gives job 1 up and takes the next job.
    taken = store.claim("w4", 60, max_attempts=3, now=at(300))
    assert taken is not None and taken.id == other.id
    failed = store.job(job.id)
    assert failed is not None and failed.status == JobStatus.FAILED and failed.attempts == 3
    assert "gave up after 3 attempts" in failed.reason
    assert [e.event for e in store.events(job.id)][-1] == "failed"
    assert store.claim_job(job.id, "w5", 60, max_attempts=3, now=at(400)) is None


def test_claim_job_enforces_max_attempts_too(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.claim_job(job.id, "w1", 60, max_attempts=1, now=at(1)) is not None
    assert store.claim_job(job.id, "w2", 60, max_attempts=1, now=at(100)) is None
    assert store.job(job.id).status == JobStatus.FAILED  # type: ignore[union-attr]


def test_extend_lease_keeps_the_job(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.claim("w1", 60, now=at(1)) is not None
    assert store.extend_lease(job.id, "w1", 60, now=at(50))
    extended = store.job(job.id)
    assert extended is not None and extended.lease_expires == at(110)
    assert store.claim("w2", 60, now=at(100)) is None
    assert not store.extend_lease(job.id, "w2", 60, now=at(100))


def test_extend_and_complete_refused_after_takeover(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.claim("slow", 60, now=at(1)) is not None
    assert store.claim("fast", 60, now=at(100)) is not None
    assert not store.extend_lease(job.id, "slow", 60, now=at(101))
    review = ReviewRecord(verdict="clean", message="No security defects are detected in the code.")
    assert not store.complete(job.id, "slow", JobStatus.POSTED, review=review, now=at(102))
    assert not store.retry_later(job.id, "slow", "x", 5, now=at(102))
    current = store.job(job.id)
    assert current is not None
    assert current.status is JobStatus.RUNNING and current.lease_owner == "fast"
    assert store.review_for(job.change, job.patchset) is None
    # The new owner completes normally.
    assert store.complete(job.id, "fast", JobStatus.POSTED, review=review, now=at(103))
    assert store.review_for(job.change, job.patchset) is not None
    # And nobody can complete it twice.
    assert not store.complete(job.id, "fast", JobStatus.FAILED, now=at(104))


def test_complete_sets_final_state(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.claim("w", 60, now=at(1)) is not None
    assert store.complete(job.id, "w", JobStatus.FAILED, reason="boom", now=at(5))
    done = store.job(job.id)
    assert done is not None
    assert done.status is JobStatus.FAILED
    assert done.reason == "boom"
    assert done.finished_at == at(5) and done.updated_at == at(5)
    assert done.lease_owner is None and done.lease_expires is None
    assert store.events(job.id)[-1].event == "failed"
    assert store.events(job.id)[-1].detail == "boom"
    # A finished job is never claimable again, however old its lease.
    assert store.claim("w", 60, now=at(10_000)) is None


def test_complete_needs_a_final_status(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert store.claim("w", 60, now=at(1)) is not None
    with pytest.raises(ValueError):
        store.complete(job.id, "w", JobStatus.PENDING)


def test_requeue_failed_job(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    assert not store.requeue(job.id)  # pending: nothing to do
    store.claim("w", 60, now=at(1))
    assert not store.requeue(job.id)  # running: refused
    store.complete(job.id, "w", JobStatus.FAILED, reason="boom", now=at(2))
    assert store.requeue(job.id, reason="operator retry", now=at(3))
    again = store.job(job.id)
    assert again is not None
    assert again.status is JobStatus.PENDING
    assert again.finished_at is None
    # It ran before: one attempt stays counted, so the next claim is attempt 2 and the
    # pipeline looks for the run marker on Gerrit before posting again.
    assert again.attempts == 1
    assert again.run_marker == job.run_marker
    assert store.events(job.id)[-1].event == "requeued"
    claimed = store.claim("w", 60, now=at(4))
    assert claimed is not None and claimed.id == job.id and claimed.attempts == 2


def test_requeue_skipped_but_not_posted(store: Store) -> None:
    skipped = store.enqueue(spec(1, status=JobStatus.SKIPPED), now=T0)
    assert skipped is not None
    assert store.requeue(skipped.id, now=at(1))
    requeued = store.job(skipped.id)
    assert requeued is not None and requeued.status is JobStatus.PENDING
    assert requeued.attempts == 0  # never ran: nothing can have been posted
    posted = store.enqueue(spec(2), now=T0)
    assert posted is not None
    claimed = store.claim("w", 60, now=at(2))
    assert claimed is not None and claimed.id == skipped.id  # same age: lower id first
    claimed = store.claim("w", 60, now=at(2))
    assert claimed is not None and claimed.id == posted.id
    assert store.complete(posted.id, "w", JobStatus.POSTED, now=at(3))
    assert not store.requeue(posted.id)
    assert not store.requeue(999_999)


def test_add_event_and_unknown_job(store: Store) -> None:
    job = store.enqueue(spec(1), now=T0)
    assert job is not None
    store.add_event(job.id, "note", "fetched 3 files", now=at(1))
    events = store.events(job.id)
    assert (events[-1].event, events[-1].detail, events[-1].at) == (
        "note",
        "fetched 3 files",
        at(1),
    )
    with pytest.raises(KeyError):
        store.add_event(999_999, "note")


def test_jobs_listing_filters_and_counts(store: Store) -> None:
    for n in range(5):
        store.enqueue(
            spec(n, project="openstack/nova" if n % 2 else "openstack/neutron"), now=at(n)
        )
    store.enqueue(spec(9, status=JobStatus.SKIPPED), now=at(9))
    listed = store.jobs()
    assert [j.change for j in listed] == [900009, 900004, 900003, 900002, 900001, 900000]
    assert [j.change for j in store.jobs(limit=2, offset=1)] == [900004, 900003]
    assert {j.change for j in store.jobs(project="openstack/neutron")} == {900000, 900002, 900004}
    assert [j.change for j in store.jobs(status=JobStatus.SKIPPED)] == [900009]
    assert [j.change for j in store.jobs(change=900003)] == [900003]
    assert store.job_count(project="openstack/nova") == 3
    counts = store.counts()
    assert counts == {
        "pending": 5,
        "running": 0,
        "posted": 0,
        "carried": 0,
        "skipped": 1,
        "failed": 0,
    }
    assert store.pending_count() == 5


# -- cursors ---------------------------------------------------------------


def test_cursors(store: Store) -> None:
    assert store.get_cursor("changes") is None
    store.set_cursor("changes", "2025-03-01 12:00:00.000000000", now=T0)
    store.set_cursor("rechecks", "a", now=T0)
    store.set_cursor("changes", "2025-03-01 12:05:00.000000000", now=at(300))
    assert store.get_cursor("changes") == "2025-03-01 12:05:00.000000000"
    assert store.get_cursor("rechecks") == "a"


def test_cursor_survives_reopening(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'bot.db'}"
    with Store(url) as first:
        first.set_cursor("changes", "x")
    with Store(url) as second:
        assert second.get_cursor("changes") == "x"


# -- SQLite engine set-up and concurrency -------------------------------------


def test_sqlite_engine_settings(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 10_000


def test_claim_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = Store(f"sqlite:///{path}")
    try:
        job = store.enqueue(spec(1))
        assert job is not None
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE jobs SET reason = 'held' WHERE id = ?", (job.id,))

        def release() -> None:
            time.sleep(0.5)
            other.execute("COMMIT")

        t = threading.Thread(target=release)
        t.start()
        started = time.monotonic()
        claimed = store.claim("w", 60)
        t.join()
        other.close()
        assert claimed is not None and claimed.id == job.id
        assert time.monotonic() - started >= 0.3
    finally:
        store.close()


def claim_all(store: Store, worker: str, out: list[int], lease: float = 300) -> None:
    while True:
        job = store.claim(worker, lease)
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
            claim_all(store, f"thread-{i}", claimed[i])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    every = [job_id for per_thread in claimed for job_id in per_thread]
    assert Counter(every).most_common(1)[0][1] == 1
    assert set(every) == ids
    assert store.counts()["posted"] == 200
    assert all(j.attempts == 1 for j in store.jobs(limit=500))
    # Work was actually shared out.
    assert sum(1 for per_thread in claimed if per_thread) >= 2


def _process_worker(url: str, name: str, queue: multiprocessing.Queue[list[int]]) -> None:
    store = Store(url, migrate=False)
    out: list[int] = []
    try:
        claim_all(store, name, out)
    finally:
        store.close()
        queue.put(out)


@pytest.mark.slow
def test_several_processes_claim_each_job_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(url) as store:
        for n in range(120):
            store.enqueue(spec(n))
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[list[int]] = ctx.Queue()
    procs = [ctx.Process(target=_process_worker, args=(url, f"proc-{i}", queue)) for i in range(4)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    every = [job_id for r in results for job_id in r]
    assert len(every) == 120
    assert len(set(every)) == 120
    with Store(url) as store:
        assert store.counts()["posted"] == 120
