"""Retention on a real SQLite store: what a pass prunes, what it keeps, in which batches.

The test bodies take a ``store`` fixture; tests/unit/test_retention_postgres.py runs the
same ones on PostgreSQL and adds the multi-process cases.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from bot.analysis.model import Finding, Severity, Suppression
from bot.store import Job, JobKind, JobSpec, JobStatus, ReviewRecord, Store, retention
from bot.store import queries as q
from bot.store.schema import FindingModel, JobEventModel

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
DAYS = 90
LATER = T0 + timedelta(days=DAYS + 10)  # "now" of a pass that finds T0's jobs old
MESSAGE = "Security review of patch set 1: 1 defect.\n" + "x" * 2000
COMMENTS = {"pkg/tests/test_a.py": [{"line": 10, "message": "shell=True: " + "y" * 500}]}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


# -- building jobs ---------------------------------------------------------------------------


def finding(line: int, rule: str = "SB101") -> Finding:
    return Finding(
        rule=rule,
        cwe=78,
        cwe_name="OS Command Injection",
        pillars=(707,),
        severity=Severity.HIGH,
        confidence="high",
        path="pkg/tests/test_a.py",
        line=line,
        end_line=line,
        message="`subprocess.call(cmd, shell=True)` runs a shell." + "m" * 300,
        recommendation="Pass an argument list and drop shell=True." + "r" * 300,
        code="subprocess.call('ls ' + name, shell=True)",
        fingerprint=f"{rule}:fp:{line}",
        function="test_shell",
        title="Shell injection",
    )


def review(*, findings: bool = True) -> ReviewRecord:
    return ReviewRecord(
        verdict="defects" if findings else "clean",
        message=MESSAGE,
        comments=COMMENTS if findings else {},
        files_analysed=2,
        lines_changed=40,
        rules_run=30,
        duration_ms=250.0,
        timings={"fetch": 100.0, "analysis": 150.0},
        findings=[(finding(10), True), (finding(20, "SB202"), False)] if findings else [],
        suppressed=[Suppression(finding(30, "SB303"), comment="# nosec B602")] if findings else [],
    )


def spec(change: int, patchset: int = 1, **kw: Any) -> JobSpec:
    values: dict[str, Any] = {
        "trigger_key": f"ps:openstack/nova:{change}:{patchset}",
        "kind": JobKind.NEW,
        "project": "openstack/nova",
        "change": change,
        "patchset": patchset,
        "revision": f"{change:034x}{patchset:06x}",
        "subject": f"Change {change}",
        "owner": "alice",
        "branch": "master",
    }
    values.update(kw)
    return JobSpec(**values)


def finished(
    store: Store,
    change: int,
    patchset: int = 1,
    *,
    at: datetime = T0,
    status: JobStatus = JobStatus.POSTED,
    rec: ReviewRecord | None = None,
    with_review: bool = True,
) -> Job:
    """A job enqueued, claimed and completed at ``at`` (with a review unless told not to)."""
    job = store.enqueue(spec(change, patchset), now=at)
    assert job is not None
    claimed = store.claim_job(job.id, "w1", 300, now=at)
    assert claimed is not None
    store.add_event(job.id, "fetched", "3 files " + "z" * 200, now=at)
    record = (rec or review()) if with_review else None
    assert store.complete(job.id, "w1", status, reason="done", review=record, now=at)
    done = store.job(job.id)
    assert done is not None
    return done


def events_of(store: Store, job_id: int) -> list[str]:
    return [e.event for e in store.events(job_id)]


def count(store: Store, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@dataclass
class Snapshot:
    """Everything a pass must leave as it was."""

    job: Job
    verdict: str | None
    review_numbers: tuple[Any, ...] | None
    findings: list[tuple[Any, ...]]


def snapshot(store: Store, job_id: int) -> Snapshot:
    job = store.job(job_id)
    assert job is not None
    rv = store.review_for_job(job_id)
    findings = store.findings_for_review(rv.id) if rv else []
    return Snapshot(
        job=job,
        verdict=rv.verdict if rv else None,
        review_numbers=(
            rv.files_analysed,
            rv.lines_changed,
            rv.rules_run,
            rv.duration_ms,
            rv.timings,
            rv.finding_count,
            rv.suppressed_count,
            rv.errors,
            rv.posted_at,
            rv.carried_from,
        )
        if rv
        else None,
        findings=[
            (
                f.rule,
                f.cwe,
                f.severity,
                f.path,
                f.line,
                f.end_line,
                f.fingerprint,
                f.posted_inline,
                f.suppressed,
                f.title,
                f.function,
            )
            for f in findings
        ],
    )


# -- what is pruned, what is kept ------------------------------------------------------------


def test_an_old_job_loses_its_bulky_details_and_keeps_its_verdict(store: Store) -> None:
    old = finished(store, 1001)
    before = snapshot(store, old.id)
    result = retention.prune(store, DAYS, now=LATER)

    assert result.jobs_pruned == 1 and result.reviews_pruned == 1
    assert result.events_deleted == 4  # enqueued, claimed, fetched, posted
    assert result.findings_pruned == 3
    # The history is one "pruned" event saying what went and why.
    events = store.events(old.id)
    assert [e.event for e in events] == ["pruned"]
    assert f"{DAYS}-day retention" in events[0].detail and events[0].at == LATER
    rv = store.review_for_job(old.id)
    assert rv is not None and rv.message == "" and rv.comments == {}
    for f in store.findings_for_review(rv.id):
        assert (f.message, f.recommendation, f.code, f.nosec_comment) == ("", "", "", "")
    # The verdict history, the counts and every finding's identity are as they were.
    assert snapshot(store, old.id) == before
    assert before.verdict == "defects" and len(before.findings) == 3


def test_recent_unfinished_and_unreviewed_jobs_are_left_alone(store: Store) -> None:
    recent = finished(store, 2001, at=LATER - timedelta(days=DAYS - 1))
    pending = store.enqueue(spec(2002), now=T0)  # queued long ago, never claimed
    assert pending is not None
    running = store.enqueue(spec(2003), now=T0)
    assert running is not None
    assert store.claim_job(running.id, "w9", 10**9, now=T0) is not None
    skipped = store.enqueue(spec(2004, status=JobStatus.SKIPPED, reason="no tests"), now=T0)
    assert skipped is not None
    recent_rv = store.review_for_job(recent.id)

    result = retention.prune(store, DAYS, now=LATER)

    assert result.jobs_pruned == 1  # the skipped one: its event goes
    assert events_of(store, skipped.id) == ["pruned"]
    assert events_of(store, recent.id) == ["enqueued", "claimed", "fetched", "posted"]
    assert store.review_for_job(recent.id) == recent_rv
    assert events_of(store, pending.id) == ["enqueued"]
    assert events_of(store, running.id) == ["enqueued", "claimed"]
    job = store.job(skipped.id)
    assert job is not None and job.status is JobStatus.SKIPPED and job.reason == "no tests"


def test_zero_days_keeps_everything(store: Store) -> None:
    old = finished(store, 3001)
    result = retention.prune(store, 0, now=LATER + timedelta(days=3650))
    assert result.skipped and result.jobs_pruned == 0
    assert events_of(store, old.id) == ["enqueued", "claimed", "fetched", "posted"]
    rv = store.review_for_job(old.id)
    assert rv is not None and rv.message == MESSAGE


def test_overview_counts_and_verdicts_do_not_change(store: Store) -> None:
    for n in range(5):
        finished(store, 4000 + n, rec=review(findings=n % 2 == 0))
    finished(store, 4100, status=JobStatus.FAILED, with_review=False)
    before = (store.counts(), q.verdict_counts(store), q.findings_by_rule(store))
    retention.prune(store, DAYS, now=LATER)
    assert (store.counts(), q.verdict_counts(store), q.findings_by_rule(store)) == before


def test_carried_verdicts_and_fingerprints_survive_for_an_open_change(store: Store) -> None:
    """A change open longer than the retention: patch set 3 must not repeat what patch
    set 1 posted inline, and a trivial rebase still carries patch set 1's verdict."""
    finished(store, 5001, 1)
    fingerprints = store.posted_fingerprints(5001, 3)
    assert fingerprints == {"SB101:fp:10"}  # inline, unsuppressed only
    retention.prune(store, DAYS, now=LATER)
    assert store.posted_fingerprints(5001, 3) == fingerprints
    prior = store.latest_review_before(5001, 3)
    assert prior is not None and prior.verdict == "defects" and prior.patchset == 1


# -- batches, idempotence, the high-water mark -----------------------------------------------


def test_work_is_done_in_batches_of_the_given_size(store: Store) -> None:
    jobs = [finished(store, 6000 + n, rec=review(findings=n % 3 == 0)) for n in range(10)]
    markers: list[int] = []

    @event.listens_for(store.engine, "after_cursor_execute")
    def _count(_c: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO job_events"):  # one per write transaction
            markers.append(cursor.rowcount)

    result = retention.prune(store, DAYS, now=LATER, batch_size=3)
    event.remove(store.engine, "after_cursor_execute", _count)
    assert result.write_batches == 4 and markers == [3, 3, 3, 1]
    assert result.jobs_pruned == 10
    assert all(events_of(store, j.id) == ["pruned"] for j in jobs)


def test_a_second_pass_finds_nothing_left(store: Store) -> None:
    jobs = [finished(store, 7000 + n) for n in range(4)]
    first = retention.prune(store, DAYS, now=LATER)
    events = count(store, JobEventModel)
    second = retention.prune(store, DAYS, now=LATER + timedelta(hours=1), full=True)
    assert first.jobs_pruned == 4
    assert second.jobs_pruned == 0 and second.write_batches == 0
    assert count(store, JobEventModel) == events == len(jobs)  # one marker each, no more


def test_the_high_water_mark_stops_at_the_first_job_it_could_not_prune(store: Store) -> None:
    a = finished(store, 8001)
    b = finished(store, 8002)
    waiting = store.enqueue(spec(8003), now=T0)  # pending: not prunable
    assert waiting is not None
    c = finished(store, 8004)
    fresh = finished(store, 8005, at=LATER)

    first = retention.prune(store, DAYS, now=LATER)
    assert first.jobs_pruned == 3 and first.through_id == b.id
    assert store.get_cursor(retention.CURSOR) == str(b.id)
    # The next pass starts after b: it sees the waiting job, c and the fresh one.
    second = retention.prune(store, DAYS, now=LATER)
    assert second.jobs_scanned == 3 and second.jobs_pruned == 0
    # The waiting job is reviewed; once it is old too, the mark moves past c.
    assert store.claim_job(waiting.id, "w1", 300, now=T0) is not None
    assert store.complete(waiting.id, "w1", JobStatus.POSTED, review=review(), now=T0)
    third = retention.prune(store, DAYS, now=LATER)
    assert third.jobs_pruned == 1 and third.through_id == c.id
    assert events_of(store, a.id) == events_of(store, c.id) == ["pruned"]
    assert "posted" in events_of(store, fresh.id)


def test_a_job_retried_after_pruning_is_found_again_by_a_full_pass(store: Store) -> None:
    old = finished(store, 9001, status=JobStatus.FAILED, with_review=False)
    finished(store, 9002)
    retention.prune(store, DAYS, now=LATER)
    # An operator retries the old job; it runs again and fails again, long ago too.
    assert store.requeue(old.id, reason="retry", now=T0 + timedelta(days=1))
    assert store.claim_job(old.id, "w1", 300, now=T0 + timedelta(days=1)) is not None
    assert store.complete(old.id, "w1", JobStatus.FAILED, now=T0 + timedelta(days=1))
    assert events_of(store, old.id) == ["pruned", "requeued", "claimed", "failed"]
    assert retention.prune(store, DAYS, now=LATER).jobs_pruned == 0  # below the mark
    assert retention.prune(store, DAYS, now=LATER, full=True).jobs_pruned == 1
    assert events_of(store, old.id) == ["pruned"]


def test_a_pass_ends_between_two_batches_when_the_process_stops(store: Store) -> None:
    jobs = [finished(store, 9201 + n) for n in range(5)]
    asked = 0

    def stopping() -> bool:
        nonlocal asked
        asked += 1
        return asked > 1  # stop after the first batch

    result = retention.prune(store, DAYS, now=LATER, batch_size=2, stopping=stopping)
    assert result.jobs_pruned == 2 and result.through_id == jobs[1].id
    assert [events_of(store, j.id)[0] for j in jobs] == ["pruned"] * 2 + ["enqueued"] * 3
    assert retention.prune(store, DAYS, now=LATER).jobs_pruned == 3  # the next pass goes on


def test_an_unreadable_high_water_mark_means_starting_over(store: Store) -> None:
    old = finished(store, 9101)
    store.set_cursor(retention.CURSOR, "not a number")
    assert retention.prune(store, DAYS, now=LATER).jobs_pruned == 1
    assert events_of(store, old.id) == ["pruned"]


def test_bad_arguments_are_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        retention.prune(store, -1)
    with pytest.raises(ValueError):
        retention.prune(store, DAYS, batch_size=0)


# -- concurrency -----------------------------------------------------------------------------


def run_concurrently(store: Store, passes: int, **kw: Any) -> list[retention.PruneResult]:
    """``passes`` retention passes started together in threads."""
    barrier = threading.Barrier(passes)
    results: list[retention.PruneResult] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            barrier.wait()
            results.append(retention.prune(store, DAYS, now=LATER, **kw))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(passes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return results


def test_two_passes_at_once_prune_each_job_once(store: Store) -> None:
    jobs = [finished(store, 10000 + n) for n in range(30)]
    results = run_concurrently(store, 2, batch_size=4)
    assert sum(r.jobs_pruned for r in results) == len(jobs)
    assert all(events_of(store, j.id) == ["pruned"] for j in jobs)
    assert count(store, JobEventModel) == len(jobs)


def test_the_review_loop_keeps_working_while_a_pass_runs(store: Store) -> None:
    """Workers enqueue, claim and complete while a pass prunes 100 jobs in small batches:
    none of their writes fails (each waits its turn for a short batch, never long)."""
    for n in range(100):
        finished(store, 20000 + n)
    stop = threading.Event()
    done: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        n = 0
        try:
            while not stop.is_set() or n < 5:
                n += 1
                job = store.enqueue(spec(30000 + n))
                assert job is not None
                assert store.claim_job(job.id, "w2", 300) is not None
                assert store.complete(job.id, "w2", JobStatus.POSTED, review=review())
                done.append(job.id)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    try:
        result = retention.prune(store, DAYS, now=LATER, batch_size=10)
    finally:
        stop.set()
        worker.join(60)
    assert not errors, errors
    assert result.jobs_pruned == 100 and result.write_batches == 10
    assert len(done) >= 5
    assert all("posted" in events_of(store, j) for j in done)  # new jobs untouched


# -- the service, the CLI, the dashboard -----------------------------------------------------


def test_the_cli_runs_one_pass(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import cli

    old = finished(store, 11001, at=datetime.now(UTC) - timedelta(days=DAYS + 1))
    recent = finished(store, 11002, at=datetime.now(UTC) - timedelta(days=1))
    config = tmp_path / "bot.toml"
    config.write_text(f'[store]\nurl = "{store.url.render_as_string()}"\nretention_days = {DAYS}\n')
    assert cli.main(["--config", str(config), "prune", "--json", "--batch-size", "10"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["jobs_pruned"] == 1 and out["retention_days"] == DAYS
    assert out["size_before"]["used_bytes"] > 0 and out["size_after"]["file_bytes"] > 0
    assert events_of(store, old.id) == ["pruned"]
    assert "posted" in events_of(store, recent.id)
    # --days overrides the configuration; --vacuum compacts the file afterwards.
    assert cli.main(["--config", str(config), "prune", "--days", "0", "--vacuum"]) == 0
    assert "skipped" in capsys.readouterr().out
    assert cli.main(["--config", str(config), "prune", "--days", "-3"]) == 2


def test_the_dashboard_says_what_the_retention_is_and_renders_a_pruned_job(
    store: Store,
) -> None:
    from bot.config import Config, DashboardConfig, GerritConfig, StoreConfig
    from bot.dashboard import create_app

    old = finished(store, 12001)
    retention.prune(store, DAYS, now=LATER)
    config = Config(
        gerrit=GerritConfig(url="https://review.example.org"),
        store=StoreConfig(url=store.url.render_as_string(), retention_days=DAYS),
        dashboard=DashboardConfig(public_read=True),
    )
    client = create_app(store, config).test_client()
    overview = client.get("/api/overview").get_json()
    assert overview["retention"]["days"] == DAYS
    assert f"more than {DAYS} days ago" in client.get("/").get_data(as_text=True)

    page = client.get(f"/changes/{old.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="pruned"' in html and "were pruned" in html
    assert "Message and inline comments pruned" in html
    assert "SB101" in html and "defects" in html  # the finding and the verdict are still there
    detail = client.get(f"/api/changes/{old.id}").get_json()
    assert detail["pruned"]["event"] == "pruned"
    assert detail["review"]["verdict"] == "defects"

    keep = Config(store=StoreConfig(retention_days=0), dashboard=DashboardConfig(public_read=True))
    text = create_app(store, keep).test_client().get("/api/overview").get_json()["retention"]
    assert text["keeps_everything"] is True


def test_config_refuses_negative_retention() -> None:
    from bot.config import ConfigError, StoreConfig

    with pytest.raises(ConfigError):
        StoreConfig(retention_days=-1)
    with pytest.raises(ConfigError):
        StoreConfig(retention_batch_size=0)


def count_findings_text(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(FindingModel).where(FindingModel.message != "")
            ).scalar_one()
        )


# -- the whole loop: fake Gerrit over HTTP, real git ----------------------------------------

DEFECTIVE = (
    "import subprocess\n"
    "\n"
    "\n"
    "class TestX:\n"
    "    def test_shell(self, name):\n"
    "        subprocess.call('ls ' + name, shell=True)\n"
)


def check_no_repeated_comments_after_pruning(fake_gerrit: Any, service: Any) -> None:
    """Patch set 1 is reviewed, its job pruned as if months had passed, then patch set 2
    (same defect, shifted) is uploaded: its review must not post the comment again."""
    from tests.support import PROJECT, bot_reviews, drain

    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_x.py": DEFECTIVE}, "Defects")
    service.poller.poll_once()
    drain(service)
    first = bot_reviews(fake_gerrit, change)
    assert len(first) == 1 and first[0].get("comments")

    result = retention.prune(service.store, 1, now=datetime.now(UTC) + timedelta(days=2))
    assert result.jobs_pruned == 1
    job = service.store.jobs(change=change)[0]
    assert events_of(service.store, job.id) == ["pruned"]

    fake_gerrit.upload_patchset(change, {"sample/tests/test_x.py": "# header\n\n" + DEFECTIVE})
    service.poller.poll_once()
    drain(service)
    reviews = bot_reviews(fake_gerrit, change)
    assert [r["_patchset"] for r in reviews] == [1, 2]
    assert not reviews[1].get("comments")  # the fingerprint was kept: no second comment
    assert "already reported on an earlier patch set" in reviews[1]["message"]


def test_after_pruning_a_new_patch_set_does_not_repeat_the_inline_comments(
    fake_gerrit: Any, make_service: Any
) -> None:
    check_no_repeated_comments_after_pruning(fake_gerrit, make_service())


def test_the_service_schedules_the_pass_and_survives_a_failing_one(
    make_service: Any, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service(store={"retention_interval_seconds": 1800.0})
    service.start()
    try:
        job = service.scheduler.get_job("retention")
        assert job is not None and job.trigger.interval == timedelta(seconds=1800)
        first = service.prune_safely()
        assert first is not None and not first.skipped
        assert service._full_prune is False  # the first pass after start looked at every job
    finally:
        service.stop()

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("boom")

    def away(*_a: Any, **_k: Any) -> Any:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    service.store.get_cursor = broken  # an internal error: logged, not raised
    with caplog.at_level("WARNING"):
        assert service.prune_safely() is None
        assert "retention pass failed" in caplog.text
        service.store.get_cursor = away  # the database away: the outage's one line
        assert service.prune_safely() is None
    assert service.outage.down_for is not None


def test_no_pass_is_scheduled_when_everything_is_kept(make_service: Any) -> None:
    service = make_service(store={"retention_days": 0})
    service.start()
    try:
        assert service.scheduler.get_job("retention") is None
    finally:
        service.stop()


def test_the_benchmark_runs_and_shows_the_store_shrinking(tmp_path: Path) -> None:
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[2] / "bench"
    out = tmp_path / "retention.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(bench / "retention.py"),
            "--quick",
            "--sqlite-only",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=bench.parent,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["benchmark"] == "retention" and result["quick"] is True
    assert result["retention_jobs_pruned"] > 0
    assert result["store_mib_per_100k_after_vacuum"] < result["store_mib_per_100k_before"]
    assert result["retention_pass_s_per_100k"] > 0
    assert result["retention_next_pass_jobs_scanned"] < result["retention_patch_sets"]
