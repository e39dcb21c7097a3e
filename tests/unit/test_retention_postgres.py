"""Retention on a real PostgreSQL server: the SQLite tests again, and several processes.

The database comes from ``SECURITY_BOT_TEST_PG_DSN`` (default: the local test server);
when it is unreachable the tests are skipped with the reason, except under CI.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import text

from bot.store import Store, retention
from tests.support import postgres_database
from tests.unit import test_retention as base
from tests.unit.test_retention import (  # the same tests, on this module's store
    test_a_job_retried_after_pruning_is_found_again_by_a_full_pass,
    test_a_pass_ends_between_two_batches_when_the_process_stops,
    test_a_second_pass_finds_nothing_left,
    test_an_old_job_loses_its_bulky_details_and_keeps_its_verdict,
    test_an_unreadable_high_water_mark_means_starting_over,
    test_carried_verdicts_and_fingerprints_survive_for_an_open_change,
    test_overview_counts_and_verdicts_do_not_change,
    test_recent_unfinished_and_unreviewed_jobs_are_left_alone,
    test_the_cli_runs_one_pass,
    test_the_dashboard_says_what_the_retention_is_and_renders_a_pruned_job,
    test_the_high_water_mark_stops_at_the_first_job_it_could_not_prune,
    test_the_review_loop_keeps_working_while_a_pass_runs,
    test_two_passes_at_once_prune_each_job_once,
    test_work_is_done_in_batches_of_the_given_size,
    test_zero_days_keeps_everything,
)

pytestmark = pytest.mark.postgres

__all__ = [
    "test_a_job_retried_after_pruning_is_found_again_by_a_full_pass",
    "test_a_pass_ends_between_two_batches_when_the_process_stops",
    "test_a_second_pass_finds_nothing_left",
    "test_an_old_job_loses_its_bulky_details_and_keeps_its_verdict",
    "test_an_unreadable_high_water_mark_means_starting_over",
    "test_carried_verdicts_and_fingerprints_survive_for_an_open_change",
    "test_overview_counts_and_verdicts_do_not_change",
    "test_recent_unfinished_and_unreviewed_jobs_are_left_alone",
    "test_the_cli_runs_one_pass",
    "test_the_dashboard_says_what_the_retention_is_and_renders_a_pruned_job",
    "test_the_high_water_mark_stops_at_the_first_job_it_could_not_prune",
    "test_the_review_loop_keeps_working_while_a_pass_runs",
    "test_two_passes_at_once_prune_each_job_once",
    "test_work_is_done_in_batches_of_the_given_size",
    "test_zero_days_keeps_everything",
]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_database("security_bot_retention") as url:
        yield url


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    s = Store(pg_url)
    with s.engine.begin() as conn:  # every test starts from empty tables
        conn.execute(
            text("TRUNCATE jobs, job_events, reviews, findings, poll_cursors RESTART IDENTITY")
        )
    yield s
    s.close()


@contextmanager
def _no_advisory_lock(_store: Store) -> Iterator[bool]:
    yield True


def test_passes_that_miss_the_advisory_lock_still_prune_each_job_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if the lock's session had dropped: two passes really run at once, batch by
    batch on the same rows, and the row locks alone keep the result right."""
    monkeypatch.setattr(retention, "_single_pass", _no_advisory_lock)
    jobs = [base.finished(store, 40000 + n) for n in range(40)]
    results = base.run_concurrently(store, 3, batch_size=5)
    assert not any(r.skipped for r in results)
    assert sum(r.jobs_pruned for r in results) == len(jobs)
    assert all(base.events_of(store, j.id) == ["pruned"] for j in jobs)
    assert base.count(store, retention.EVENTS) == len(jobs)


def test_a_pass_waits_for_no_one_while_another_process_holds_the_lock(store: Store) -> None:
    old = base.finished(store, 41001)
    with store.engine.connect() as other:  # another process's pass, in effect
        assert other.execute(
            text("SELECT pg_try_advisory_lock(:k)"), {"k": retention.RETENTION_LOCK_KEY}
        ).scalar()
        result = retention.prune(store, base.DAYS, now=base.LATER)
        assert "another process" in result.skipped
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": retention.RETENTION_LOCK_KEY})
        other.commit()
    assert "posted" in base.events_of(store, old.id)
    assert retention.prune(store, base.DAYS, now=base.LATER).jobs_pruned == 1
    with store.engine.connect() as conn:  # released: nobody holds it after the pass
        assert not conn.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :k"),
            {"k": retention.RETENTION_LOCK_KEY & 0xFFFFFFFF},
        ).scalar()


def _process_pass(url: str, start: Any, queue: Any) -> None:
    store = Store(url, migrate=False)
    try:
        start.wait(60)
        result = retention.prune(store, base.DAYS, now=base.LATER, batch_size=4)
        queue.put((result.jobs_pruned, result.skipped))
    finally:
        store.close()


def test_two_bot_processes_prune_each_job_once(store: Store, pg_url: str) -> None:
    jobs = [base.finished(store, 42000 + n) for n in range(40)]
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    queue = ctx.Queue()
    procs = [ctx.Process(target=_process_pass, args=(pg_url, start, queue)) for _ in range(2)]
    for p in procs:
        p.start()
    start.set()
    outcomes = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert sum(n for n, _ in outcomes) == len(jobs)
    assert all(base.events_of(store, j.id) == ["pruned"] for j in jobs)
    assert base.count(store, retention.EVENTS) == len(jobs)


def test_after_pruning_a_new_patch_set_does_not_repeat_the_inline_comments_pg(
    fake_gerrit: Any, make_service: Any, store: Store, pg_url: str
) -> None:
    base.check_no_repeated_comments_after_pruning(fake_gerrit, make_service(store={"url": pg_url}))
