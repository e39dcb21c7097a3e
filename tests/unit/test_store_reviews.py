"""Reviews and findings: atomic recording, carried verdicts, fingerprints across patch sets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.analysis.model import Finding, Severity, Suppression
from bot.store import Job, JobKind, JobSpec, JobStatus, ReviewRecord, Store
from bot.store import store as store_module
from bot.store.schema import FindingModel, ReviewModel

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
CHANGE = 912345


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


def finding(line: int = 10, *, rule: str = "SB101", fp: str | None = None) -> Finding:
    return Finding(
        rule=rule,
        cwe=78,
        cwe_name="OS Command Injection",
        pillars=(707,),
        severity=Severity.HIGH,
        confidence="high",
        path="nova/tests/unit/test_x.py",
        line=line,
        end_line=line + 1,
        message="`subprocess.call(cmd, shell=True)` runs a shell.",
        recommendation="Pass an argument list and drop shell=True.",
        code="subprocess.call(cmd, shell=True)",
        fingerprint=fp or f"{rule}:{line}",
        function="test_run",
        title="Shell injection",
    )


def running_job(store: Store, patchset: int, *, now: datetime, key: str | None = None) -> Job:
    job = store.enqueue(
        JobSpec(
            trigger_key=key or f"ps:openstack/nova:{CHANGE}:{patchset}",
            kind=JobKind.NEW,
            project="openstack/nova",
            change=CHANGE,
            patchset=patchset,
            revision=f"{patchset:040x}",
        ),
        now=now,
    )
    assert job is not None
    claimed = store.claim("w", 300, now=now)
    assert claimed is not None and claimed.id == job.id
    return claimed


def row_counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        reviews = conn.execute(select(func.count()).select_from(ReviewModel)).scalar_one()
        findings = conn.execute(select(func.count()).select_from(FindingModel)).scalar_one()
    return reviews, findings


def test_complete_records_review_and_findings(store: Store) -> None:
    job = running_job(store, 1, now=T0)
    posted, unposted = finding(10), finding(20, rule="SB202")
    hidden = Suppression(finding(30, rule="SB303"), comment="# nosec B602")
    review = ReviewRecord(
        verdict="defects",
        message="Patch set 1: 2 defects.",
        comments={"nova/tests/unit/test_x.py": [{"line": 10, "message": "shell=True"}]},
        files_analysed=3,
        lines_changed=42,
        rules_run=17,
        duration_ms=12.5,
        timings={"fetch": 0.2, "analyse": 0.01},
        findings=[(posted, True), (unposted, False)],
        suppressed=[hidden],
        errors=["nova/tests/bad.py: does not parse"],
    )
    assert store.complete(job.id, "w", JobStatus.POSTED, review=review, now=at(5))

    row = store.review_for(CHANGE, 1)
    assert row is not None
    assert row.job_id == job.id
    assert (row.project, row.change, row.patchset) == ("openstack/nova", CHANGE, 1)
    assert row.verdict == "defects"
    assert row.message == "Patch set 1: 2 defects."
    assert row.comments == review.comments
    assert row.carried_from is None
    assert (row.files_analysed, row.lines_changed, row.rules_run) == (3, 42, 17)
    assert row.duration_ms == 12.5
    assert row.timings == {"fetch": 0.2, "analyse": 0.01}
    assert row.posted_at == at(5)
    assert row.run_marker == job.run_marker
    assert row.finding_count == 2
    assert row.suppressed_count == 1
    assert row.errors == ("nova/tests/bad.py: does not parse",)
    assert store.review_for_job(job.id) == row

    rows = store.findings_for_review(row.id)
    assert [(r.rule, r.posted_inline, r.suppressed) for r in rows] == [
        ("SB101", True, False),
        ("SB202", False, False),
        ("SB303", False, True),
    ]
    assert rows[2].nosec_comment == "# nosec B602"
    assert rows[0].to_finding() == posted
    assert rows[0].severity is Severity.HIGH
    assert rows[0].pillars == (707,)
    assert store.events(job.id)[-1].event == "posted"


def test_failure_while_recording_findings_rolls_everything_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = running_job(store, 1, now=T0)
    calls = 0
    real = store_module._finding_values

    def flaky(*args: object, **kwargs: object) -> dict[str, object]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "_finding_values", flaky)
    review = ReviewRecord(verdict="defects", findings=[(finding(1), True), (finding(2), True)])
    with pytest.raises(RuntimeError):
        store.complete(job.id, "w", JobStatus.POSTED, review=review, now=at(5))
    # The review row was inserted before the failure; it must be gone with the rest.
    assert row_counts(store) == (0, 0)
    still = store.job(job.id)
    assert still is not None
    assert still.status is JobStatus.RUNNING and still.lease_owner == "w"
    assert [e.event for e in store.events(job.id)] == ["enqueued", "claimed"]

    monkeypatch.setattr(store_module, "_finding_values", real)
    assert store.complete(job.id, "w", JobStatus.POSTED, review=review, now=at(6))
    assert row_counts(store) == (1, 2)


def test_database_error_in_findings_rolls_back(store: Store) -> None:
    job = running_job(store, 1, now=T0)
    broken = replace(finding(2), line=None)  # type: ignore[arg-type]  # violates NOT NULL
    review = ReviewRecord(verdict="defects", findings=[(finding(1), True), (broken, True)])
    with pytest.raises(IntegrityError):
        store.complete(job.id, "w", JobStatus.POSTED, review=review, now=at(5))
    assert row_counts(store) == (0, 0)
    still = store.job(job.id)
    assert still is not None and still.status is JobStatus.RUNNING


def test_posted_fingerprints_across_patch_sets(store: Store) -> None:
    j1 = running_job(store, 1, now=T0)
    store.complete(
        j1.id,
        "w",
        JobStatus.POSTED,
        review=ReviewRecord(
            verdict="defects",
            findings=[(finding(1, fp="fp-a"), True), (finding(2, fp="fp-b"), False)],
            suppressed=[Suppression(finding(3, fp="fp-c"), "# nosec")],
        ),
        now=at(1),
    )
    j2 = running_job(store, 2, now=at(10))
    store.complete(
        j2.id,
        "w",
        JobStatus.POSTED,
        review=ReviewRecord(verdict="defects", findings=[(finding(5, fp="fp-d"), True)]),
        now=at(11),
    )
    # Another change's findings never count.
    other = store.enqueue(JobSpec("ps:x:1:1", JobKind.NEW, "x", 1, 1, "f" * 40), now=at(12))
    assert other is not None
    store.claim("w", 60, now=at(12))
    store.complete(
        other.id,
        "w",
        JobStatus.POSTED,
        review=ReviewRecord(verdict="defects", findings=[(finding(1, fp="fp-x"), True)]),
        now=at(13),
    )
    assert store.posted_fingerprints(CHANGE, 1) == set()
    assert store.posted_fingerprints(CHANGE, 2) == {"fp-a"}
    assert store.posted_fingerprints(CHANGE, 3) == {"fp-a", "fp-d"}
    assert store.posted_fingerprints(CHANGE, 99) == {"fp-a", "fp-d"}


def test_carried_review_and_latest_review_before(store: Store) -> None:
    j1 = running_job(store, 1, now=T0)
    store.complete(
        j1.id,
        "w",
        JobStatus.POSTED,
        review=ReviewRecord(
            verdict="clean", message="No security defects are detected in the code."
        ),
        now=at(1),
    )
    j2 = running_job(store, 2, now=at(10))
    before = store.latest_review_before(CHANGE, 2)
    assert before is not None and before.patchset == 1 and before.verdict == "clean"
    store.complete(
        j2.id,
        "w",
        JobStatus.CARRIED,
        reason="TRIVIAL_REBASE",
        review=ReviewRecord(verdict="carried", carried_from=1),
        now=at(11),
    )
    carried = store.review_for(CHANGE, 2)
    assert carried is not None
    assert carried.verdict == "carried" and carried.carried_from == 1 and carried.message == ""
    assert carried.run_marker == j2.run_marker
    done = store.job(j2.id)
    assert done is not None and done.status is JobStatus.CARRIED

    # A recheck of patch set 2 records a newer review; review_for returns the latest.
    j3 = running_job(store, 2, now=at(20), key=f"recheck:{CHANGE}:msg-1")
    store.complete(j3.id, "w", JobStatus.POSTED, review=ReviewRecord(verdict="defects"), now=at(21))
    latest = store.review_for(CHANGE, 2)
    assert latest is not None and latest.verdict == "defects" and latest.job_id == j3.id

    after = store.latest_review_before(CHANGE, 5)
    assert after is not None and after.patchset == 2 and after.job_id == j3.id
    assert store.latest_review_before(CHANGE, 1) is None
    assert store.review_for(CHANGE, 3) is None


def test_complete_without_review_writes_no_review(store: Store) -> None:
    job = running_job(store, 1, now=T0)
    assert store.complete(job.id, "w", JobStatus.SKIPPED, reason="no test code", now=at(1))
    assert row_counts(store) == (0, 0)
    assert store.review_for(CHANGE, 1) is None
