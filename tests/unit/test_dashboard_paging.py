"""The dashboard at scale, on a real SQLite store: keyset paging, totals, the search index,
the counters the triggers keep, a patch set's findings paged, the 0005 upgrade's backfill.

(The query plans themselves are checked in ``test_query_plans.py``.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.analysis.model import Finding, Severity
from bot.dashboard import create_app
from bot.store import JobKind, JobSpec, JobStatus, ReviewRecord, Store
from bot.store import migrate as store_migrate
from bot.store import queries as q
from tests.unit.test_dashboard import TOKEN, make_config

PROJECTS = ("openstack/nova", "openstack/neutron", "openstack/cinder")
OWNERS = ("alice", "bob", "carol", "dave")


def finding(line: int, *, rule: str = "shell-injection") -> Finding:
    return Finding(
        rule=rule,
        cwe=78,
        cwe_name="OS Command Injection",
        pillars=(707,),
        severity=Severity.HIGH,
        confidence="high",
        path=f"nova/tests/unit/test_{line % 7}.py",
        line=line,
        end_line=line,
        message="shell=True",
        recommendation="use a list",
        code="subprocess.call(cmd, shell=True)",
        fingerprint=f"fp-{line}",
    )


def spec(n: int, **kw: Any) -> JobSpec:
    values: dict[str, Any] = {
        "trigger_key": f"ps:x:{n}",
        "kind": JobKind.NEW,
        "project": PROJECTS[n % 3],
        "change": 500 + n // 3,
        "patchset": 1 + n % 3,
        "revision": f"{n:040x}",
        "subject": f"Change {n}: {'Fix race condition' if n % 4 == 0 else 'Add unit tests'}",
        "owner": OWNERS[n % 4],
        "branch": "master",
        "uploaded_at": datetime.now(UTC) - timedelta(minutes=5),
    }
    values.update(kw)
    return JobSpec(**values)


def run(store: Store, job_spec: JobSpec, status: JobStatus, review: ReviewRecord | None) -> int:
    job = store.enqueue(job_spec)
    assert job is not None
    claimed = store.claim("w", 60)
    assert claimed is not None and claimed.id == job.id
    assert store.complete(job.id, "w", status, reason="" if review else "no", review=review)
    return job.id


def review(n: int) -> ReviewRecord:
    found = [(finding(line), True) for line in range(n % 3)]
    return ReviewRecord(
        verdict="defects" if found else "clean",
        message="m",
        duration_ms=float(n % 5) * 10.0,  # ties on purpose
        findings=found,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'paging.db'}")
    yield s
    s.close()


@pytest.fixture
def many(store: Store) -> Store:
    return fill(store)


def fill(store: Store) -> Store:
    """23 jobs: reviewed (clean and with findings), skipped, failed, pending; ties in every
    sort key."""
    for n in range(23):
        if n % 5 == 3:
            run(store, spec(n), JobStatus.FAILED, None)
        elif n % 7 == 6:
            store.enqueue(spec(n, status=JobStatus.SKIPPED, reason="docs only"))
        elif n == 22:
            store.enqueue(spec(n))
        else:
            run(store, spec(n), JobStatus.POSTED, review(n))
    return store


def expected_order(store: Store, flt: q.ChangeFilter, *, text: str = "") -> list[int]:
    """The listing's order, computed from the jobs table in Python (of the jobs whose
    subject holds ``text``, if given)."""
    names = q.SORT_COLUMNS[flt.sort]
    query = sa.select(*(q.JOBS.c[n] for n in names))
    if text:
        query = query.where(q.JOBS.c.subject.contains(text))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    rows.sort(reverse=flt.descending)
    return [int(r[-1]) for r in rows]  # the key ends in the job id


@pytest.mark.parametrize("sort", q.SORT_KEYS)
@pytest.mark.parametrize("descending", [True, False])
def test_paging_forward_and_back_visits_every_job_once_in_order(
    many: Store, sort: str, descending: bool
) -> None:
    walk(many, q.ChangeFilter(sort=sort, descending=descending), pages=6)


@pytest.mark.parametrize("sort", ["when", "owner"])  # the search index's own order, and not
def test_paging_a_search_forward_and_back(many: Store, sort: str) -> None:
    flt = q.ChangeFilter(text="Add unit", sort=sort)
    matches = set(expected_order(many, q.ChangeFilter(sort=sort), text="Add unit"))
    assert len(matches) == 17
    walk(many, flt, pages=5, only=matches)


def walk(store: Store, flt: q.ChangeFilter, *, pages: int, only: set[int] | None = None) -> None:
    """Page through ``flt`` 4 rows at a time to the end, then back to the top: every job
    once, in the listing's order, the same pages both ways."""
    want = [i for i in expected_order(store, flt) if only is None or i in only]
    page = q.list_changes(store, flt, limit=4)
    assert page.before is None  # the top
    visited = [page]
    while page.after is not None:
        page = q.list_changes(store, flt, limit=4, after=page.after)
        visited.append(page)
    assert [r.job_id for p in visited for r in p.rows] == want
    assert len(visited) == pages
    back = visited[-1]  # and back up from the last page, page by page, to the top
    for previous in reversed(visited[:-1]):
        assert back.before is not None
        back = q.list_changes(store, flt, limit=4, before=back.before)
        assert [r.job_id for r in back.rows] == [r.job_id for r in previous.rows]
    assert back.before is None


def test_a_filter_pages_within_its_matches(many: Store) -> None:
    flt = q.ChangeFilter(verdict="defects")
    first = q.list_changes(many, flt, limit=3)
    second = q.list_changes(many, flt, limit=3, after=first.after)
    rows = first.rows + second.rows
    assert {r.verdict for r in rows} == {"defects"}
    assert [r.job_id for r in rows] == sorted((r.job_id for r in rows), reverse=True)
    assert first.total == second.total == len(q.list_changes(many, flt, limit=100).rows)


def test_a_vanished_anchor_starts_from_the_top(many: Store) -> None:
    page = q.list_changes(many, q.ChangeFilter(), limit=5, after=10**9)
    assert page.before is None and len(page.rows) == 5


def test_totals_are_exact_from_the_counters_or_marked_as_estimates(many: Store) -> None:
    with many.engine.connect() as conn:
        query = sa.select(q.JOBS.c.status, sa.func.count()).group_by(q.JOBS.c.status)
        by_status = {str(s): int(n) for s, n in conn.execute(query)}
    assert q.list_changes(many, q.ChangeFilter(status="failed")).total == by_status["failed"]
    assert q.list_changes(many, q.ChangeFilter()).total == 23
    # a search is not counted: one page of matches is "more than" its rows, all of them exact
    capped = q.list_changes(many, q.ChangeFilter(text="Change"), limit=3)
    assert (capped.total, capped.exact) == (3, False)
    capped = q.list_changes(many, q.ChangeFilter(text="Change", sort="owner"), limit=3)
    assert (capped.total, capped.exact) == (3, False)
    whole = q.list_changes(many, q.ChangeFilter(text="race cond"), limit=100)
    assert whole.exact and whole.total == len(whole.rows) == 6
    exact = q.list_changes(many, q.ChangeFilter(project="openstack/nova", status="posted"))
    assert exact.exact and exact.total > 3  # the counters need no cap
    assert exact.total == len(
        q.list_changes(
            many,
            exact_filter := q.ChangeFilter(project="openstack/nova", status="posted"),
            limit=100,
        ).rows
    )
    assert q.list_changes(many, q.ChangeFilter(status="failed", verdict="clean")).total == 0
    assert exact_filter.project == "openstack/nova"
    client = create_app(many, make_config(public_read=True)).test_client()
    view = client.get("/api/changes?q=Change&per_page=3").get_json()
    assert (view["total_exact"], view["pages"]) == (False, None)
    html = client.get("/changes?q=Change&per_page=3").get_data(as_text=True)
    assert "more than 3 patch set jobs" in html and "(estimate)" in html


def test_the_pager_links_carry_the_cursor(many: Store) -> None:
    client = create_app(many, make_config(public_read=True)).test_client()
    html = client.get("/changes?per_page=10&status=posted").get_data(as_text=True)
    assert "page 1 of 2" in html and 'rel="prev"' not in html
    first = client.get("/api/changes?per_page=10&status=posted").get_json()
    link = f'href="/changes?per_page=10&amp;status=posted&amp;after={first["next"]}&amp;page=2"'
    assert link in html
    second = client.get(f"/changes?per_page=10&status=posted&after={first['next']}&page=2")
    text = second.get_data(as_text=True)
    assert "page 2 of 2" in text and 'rel="prev"' in text and 'rel="next"' not in text
    back = client.get(f"/api/changes?per_page=10&status=posted&before={first['next']}&page=2")
    assert back.get_json()["page"] == 1  # back at the top: numbered 1 again
    assert client.get("/api/changes?after=x&before=-1").status_code == 200


def test_job_counts_follow_every_transition(store: Store) -> None:
    def truth() -> dict[tuple[str, str], int]:
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    q.JOBS.c.project, q.JOBS.c.status, q.JOBS.c.verdict, sa.func.count()
                ).group_by(q.JOBS.c.project, q.JOBS.c.status, q.JOBS.c.verdict)
            )
            return {(p, s, v): n for p, s, v, n in rows}

    def kept() -> dict[tuple[str, str], int]:
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(q.COUNTS.c.project, q.COUNTS.c.status, q.COUNTS.c.verdict, q.COUNTS.c.n)
            )
            return {(p, s, v): n for p, s, v, n in rows if n}

    clean = run(store, spec(1), JobStatus.POSTED, review(3))
    assert kept() == truth() == {("openstack/neutron", "posted", "clean"): 1}
    failed = run(store, spec(2), JobStatus.FAILED, None)
    store.enqueue(spec(3))
    assert store.requeue(failed)
    assert kept() == truth()
    claimed = store.claim("w", 60)
    assert claimed is not None
    assert store.complete(claimed.id, "w", JobStatus.POSTED, review=review(4))
    assert kept() == truth()
    assert q.status_counts(store)["posted"] == 2
    assert q.verdict_counts(store) == {"clean": 1, "defects": 1}

    def findings_truth() -> dict[tuple[str, int, bool], int]:
        findings = q.FINDINGS.c
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    findings.rule, findings.cwe, findings.suppressed, sa.func.count()
                ).group_by(findings.rule, findings.cwe, findings.suppressed)
            )
            return {(r, c, bool(s)): n for r, c, s, n in rows}

    def findings_kept() -> dict[tuple[str, int, bool], int]:
        return {(t.rule, t.cwe, t.suppressed): t.count for t in q.finding_tallies(store)}

    assert findings_kept() == findings_truth() == {("shell-injection", 78, False): 1}
    with store.engine.begin() as conn:  # what a retention pass may do
        conn.execute(sa.delete(q.JOBS).where(q.JOBS.c.id == clean))
        conn.execute(sa.delete(q.JOBS).where(q.JOBS.c.id == claimed.id))  # its findings go too
    assert kept() == truth()
    assert q.verdict_counts(store) == {} and findings_kept() == findings_truth() == {}


def test_the_search_index_follows_inserts_updates_and_deletes(store: Store) -> None:
    job = run(store, spec(0, subject="Add UNIT tests for the scheduler"), JobStatus.POSTED, None)

    def found(text: str) -> list[int]:
        return [r.job_id for r in q.list_changes(store, q.ChangeFilter(text=text)).rows]

    assert found("unit tes") == [job]  # a substring, any case
    assert found("alice") == [job] and found("zelda") == []  # the owner is searched too
    assert found(str(500)) == [job]  # the change number
    with store.engine.begin() as conn:
        conn.execute(sa.update(q.JOBS).where(q.JOBS.c.id == job).values(subject="Renamed"))
    assert found("unit tes") == [] and found("rename") == [job]
    assert found("50%") == [] and found('"quoted') == []  # literal, no query syntax
    short = q.list_changes(store, q.ChangeFilter(text="ab"))
    assert short.search_too_short and short.rows == []
    with store.engine.begin() as conn:
        conn.execute(sa.delete(q.JOBS).where(q.JOBS.c.id == job))
    assert found("rename") == []


def test_a_patch_sets_findings_and_comments_are_paged(store: Store) -> None:
    many_findings = [(finding(line), True) for line in range(1, 251)]
    comments = {"a.py": [{"line": n, "message": f"c{n}"} for n in range(250)]}
    job = run(
        store,
        spec(1),
        JobStatus.POSTED,
        ReviewRecord(verdict="defects", message="m", comments=comments, findings=many_findings),
    )
    client = create_app(store, make_config()).test_client()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    first = client.get(f"/api/changes/{job}", headers=headers).get_json()
    assert len(first["findings"]) == 100
    assert first["findings_page"] == {"page": 1, "pages": 3, "per_page": 100, "total": 250}
    third = client.get(f"/api/changes/{job}?findings_page=3", headers=headers).get_json()
    assert len(third["findings"]) == 50
    every = []
    for page in (1, 2, 3):
        view = client.get(f"/api/changes/{job}?findings_page={page}", headers=headers)
        every += [(f["path"], f["line"]) for f in view.get_json()["findings"]]
    assert len(set(every)) == 250 and every == sorted(every)
    assert first["review"]["comments_total"] == 250
    assert sum(len(v) for v in first["review"]["comments"].values()) == 200
    html = client.get(f"/changes/{job}?findings_page=2", headers=headers).get_data(as_text=True)
    assert "101\u2013200 of 250" in html and "findings_page=3" in html and "findings_page=1" in html
    assert "the first 200 of 250" in html
    beyond = client.get(f"/api/changes/{job}?findings_page=99", headers=headers).get_json()
    assert beyond["findings_page"]["page"] == 3


def test_upgrading_to_0005_backfills_the_columns_counters_and_search(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store(url, migrate=False) as old:
        store_migrate.upgrade(old.engine, "0004_file_summaries")
        at = datetime(2025, 3, 1, tzinfo=UTC).replace(tzinfo=None)
        job = {
            "trigger_key": "ps:x:1",
            "kind": "new",
            "project": "openstack/nova",
            "change": 7,
            "patchset": 1,
            "revision": "a" * 40,
            "subject": "Fix race condition",
            "owner": "alice",
            "branch": "master",
            "requested_by": "",
            "status": "posted",
            "reason": "",
            "reply": "",
            "attempts": 1,
            "run_marker": "m",
            "created_at": at,
            "updated_at": at,
        }
        review_row = {
            "job_id": 1,
            "project": "openstack/nova",
            "change": 7,
            "patchset": 1,
            "verdict": "defects",
            "message": "",
            "comments": "{}",
            "files_analysed": 1,
            "lines_changed": 1,
            "rules_run": 1,
            "duration_ms": 12.5,
            "timings": "{}",
            "errors": "[]",
            "finding_count": 2,
            "suppressed_count": 0,
            "posted_at": at,
            "run_marker": "m",
        }
        with old.engine.begin() as conn:
            for values in (job, {**job, "trigger_key": "ps:x:2", "status": "skipped"}):
                cols = ", ".join(f'"{k}"' for k in values)
                marks = ", ".join(f":{k}" for k in values)
                conn.execute(sa.text(f"INSERT INTO jobs ({cols}) VALUES ({marks})"), values)
            cols = ", ".join(f'"{k}"' for k in review_row)
            marks = ", ".join(f":{k}" for k in review_row)
            conn.execute(sa.text(f"INSERT INTO reviews ({cols}) VALUES ({marks})"), review_row)
    with Store(url) as store:
        page = q.list_changes(store, q.ChangeFilter(verdict="defects"))
        assert [r.job_id for r in page.rows] == [1] and page.rows[0].finding_count == 2
        assert q.status_counts(store)["posted"] == 1 and q.status_counts(store)["skipped"] == 1
        assert q.verdict_counts(store) == {"defects": 1}
        found = q.list_changes(store, q.ChangeFilter(text="race cond"))
        assert sorted(r.job_id for r in found.rows) == [1, 2]
        by_findings = q.list_changes(store, q.ChangeFilter(sort="findings"))
        assert [r.job_id for r in by_findings.rows] == [1, 2]


def test_latency_is_a_sample_of_the_newest_but_counts_the_whole_window(
    many: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = q.review_latency(many)
    with many.engine.connect() as conn:
        reviewed = conn.execute(
            sa.select(sa.func.count()).where(q.JOBS.c.status.in_(("posted", "carried")))
        ).scalar_one()
    assert whole.count == reviewed and whole.p50 is not None and 250 <= whole.p50 <= 400
    monkeypatch.setattr(q, "LATENCY_SAMPLE", 2)
    sample = q.review_latency(many)
    assert sample.count == reviewed and sample.p50 is not None
    assert q.review_latency(many, now=datetime.now(UTC) + timedelta(days=8)).count == 0
