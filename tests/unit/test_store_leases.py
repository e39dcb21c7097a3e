"""Leases in real time, through the real worker: a heartbeating job keeps its lease past the
lease length; a job whose worker stops heartbeating is reclaimed by another worker.

The scenarios are plain functions taking a store, so the PostgreSQL suite runs them too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.config import WorkerConfig
from bot.review.pipeline import LeaseLost, Outcome
from bot.store import Job, JobKind, JobSpec, JobStatus, ReviewRecord, Store
from bot.worker import Worker

LEASE = 1.0  # seconds: every scenario runs for a few leases


class StubPipeline:
    """Stands in for the review pipeline: runs ``body(heartbeat)``, then reports a review."""

    def __init__(self, body: Callable[[Callable[[], bool]], None]) -> None:
        self.body = body
        self.runs: list[int] = []

    def run(self, job: Job, *, heartbeat: Callable[[], bool] = lambda: True) -> Outcome:
        self.runs.append(job.id)
        self.body(heartbeat)
        return Outcome(JobStatus.POSTED, "", ReviewRecord("clean"))


def _beat(heartbeat: Callable[[], bool]) -> None:
    if not heartbeat():
        raise LeaseLost("lease taken over")


def _worker(
    store: Store, pipeline: StubPipeline, name: str, *, max_job_seconds: float = 3600.0
) -> Worker:
    config = WorkerConfig(
        threads=1,
        lease_seconds=LEASE,
        retry_backoff=0.0,
        retry_cap=0.0,
        max_job_seconds=max_job_seconds,
    )
    return Worker(store, pipeline, config, worker_id=name)  # type: ignore[arg-type]


def _spec() -> JobSpec:
    return JobSpec(
        trigger_key="ps:openstack/nova:900001:1",
        kind=JobKind.NEW,
        project="openstack/nova",
        change=900001,
        patchset=1,
        revision="a" * 40,
    )


class Thief(threading.Thread):
    """Another worker trying to claim every 50 ms until stopped or successful."""

    def __init__(self, store: Store) -> None:
        super().__init__(daemon=True)
        self.store = store
        self.stop = threading.Event()
        self.claimed: Job | None = None
        self.tries = 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.tries += 1
            job = self.store.claim("thief", LEASE)
            if job is not None:
                self.claimed = job
                return
            time.sleep(0.05)


def heartbeating_job_outlives_its_lease_and_is_not_stolen(store: Store) -> None:
    job = store.enqueue(_spec())
    assert job is not None
    thief = Thief(store)

    def slow(heartbeat: Callable[[], bool]) -> None:
        thief.start()
        for _ in range(8):  # 8 x 0.3 s = 2.4 leases
            time.sleep(0.3)
            _beat(heartbeat)

    pipeline = StubPipeline(slow)
    started = time.monotonic()
    assert _worker(store, pipeline, "slow").run_one()
    elapsed = time.monotonic() - started
    thief.stop.set()
    thief.join(timeout=5)
    assert elapsed > 2 * LEASE
    assert thief.claimed is None and thief.tries > 10
    done = store.job(job.id)
    assert done is not None and done.status is JobStatus.POSTED and done.attempts == 1
    assert "lease-expired" not in [e.event for e in store.events(job.id)]
    assert store.review_for_job(job.id) is not None


def long_stage_keeps_its_lease_without_heartbeats(store: Store) -> None:
    """One stage that runs for 2.4 leases without a heartbeat between stages (a first
    fetch of a big project, the analysis of a hostile push) keeps its lease: it used to be
    taken over, and both workers started over, for ever."""
    job = store.enqueue(_spec())
    assert job is not None
    thief = Thief(store)

    def one_long_stage(heartbeat: Callable[[], bool]) -> None:
        _beat(heartbeat)
        thief.start()
        time.sleep(2.4 * LEASE)
        _beat(heartbeat)

    assert _worker(store, StubPipeline(one_long_stage), "slow").run_one()
    thief.stop.set()
    thief.join(timeout=5)
    assert thief.claimed is None and thief.tries > 10
    done = store.job(job.id)
    assert done is not None and done.status is JobStatus.POSTED and done.attempts == 1
    assert "lease-expired" not in [e.event for e in store.events(job.id)]


def silent_job_is_reclaimed_and_finished_once(store: Store) -> None:
    job = store.enqueue(_spec())
    assert job is not None
    thief = Thief(store)

    def hangs(heartbeat: Callable[[], bool]) -> None:
        _beat(heartbeat)
        thief.start()
        thief.join(timeout=10 * LEASE)  # no heartbeat while "hung"
        _beat(heartbeat)  # the worker wakes up: the lease is gone, so it must stop

    pipeline = StubPipeline(hangs)
    # hung past max_job_seconds: the lease keeper stops renewing, the lease runs out
    hung = _worker(store, pipeline, "hung", max_job_seconds=LEASE / 2)
    assert hung.run_one()  # returns after LeaseLost, recording nothing
    assert thief.claimed is not None and thief.claimed.id == job.id
    assert thief.claimed.attempts == 2
    mid = store.job(job.id)
    assert mid is not None and mid.status is JobStatus.RUNNING and mid.lease_owner == "thief"
    # The new holder finishes it; the old one cannot.
    assert not store.complete(job.id, "hung", JobStatus.POSTED)
    rescuer = _worker(store, StubPipeline(_beat), "thief")
    rescuer.process(thief.claimed)
    done = store.job(job.id)
    assert done is not None and done.status is JobStatus.POSTED
    events = [e.event for e in store.events(job.id)]
    assert events == ["enqueued", "claimed", "lease-expired", "claimed", "posted"]
    assert store.review_for_job(job.id) is not None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'leases.db'}")
    yield s
    s.close()


def test_heartbeating_job_outlives_its_lease_and_is_not_stolen(store: Store) -> None:
    heartbeating_job_outlives_its_lease_and_is_not_stolen(store)


def test_long_stage_keeps_its_lease_without_heartbeats(store: Store) -> None:
    long_stage_keeps_its_lease_without_heartbeats(store)


def test_silent_job_is_reclaimed_and_finished_once(store: Store) -> None:
    silent_job_is_reclaimed_and_finished_once(store)
