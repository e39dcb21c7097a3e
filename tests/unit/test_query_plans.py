"""Every dashboard query reads through an index, never a whole big table (SQLite).

Each case runs the real query functions the dashboard calls, records every SELECT they
send (an engine event) and asks SQLite for its plan (``EXPLAIN QUERY PLAN``) with the same
parameters.  A later change that brings back a full scan of ``jobs``, ``reviews``,
``findings`` or ``job_events``, sorts a whole result to page it, or stops using the index
meant for a filter or sort fails here, long before a store of a million jobs notices.

Without ``ANALYZE`` statistics SQLite plans for big tables, so the plans of this small
store are the plans of a large one.  ``tests/integration/test_query_plans_postgres.py``
checks the same cases on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bot.store import Store
from bot.store import queries as q
from tests.unit.test_dashboard import Filled

BIG_TABLES = ("jobs", "reviews", "findings", "job_events")


@dataclass(frozen=True)
class Case:
    """One dashboard query: how to run it and which indexes its plan must use."""

    name: str
    run: Callable[[Store, Filled], object]
    indexes: tuple[str, ...] = ()  # each must appear in the plans
    walk: tuple[str, ...] = ()  # full walks of these indexes are the point (ordered + LIMIT)
    listing: bool = False  # a page of the change list: never sorted whole


def _listing(flt: q.ChangeFilter, *, anchor: str = "") -> Callable[[Store, Filled], object]:
    def run(store: Store, filled: Filled) -> object:
        if anchor == "after":
            return q.list_changes(store, flt, limit=2, after=filled.failed)
        if anchor == "before":
            return q.list_changes(store, flt, limit=2, before=filled.failed)
        return q.list_changes(store, flt, limit=2)

    return run


SORT_INDEX = {
    "when": "",  # the rowid (the job id) itself
    "change": "ix_jobs_change_patchset",
    "project": "ix_jobs_project_id",
    "verdict": "ix_jobs_verdict_id",
    "findings": "ix_jobs_finding_count_id",
    "duration": "ix_jobs_duration_ms_id",
    "status": "ix_jobs_status_id",
    "owner": "ix_jobs_owner_id",
}


def cases() -> list[Case]:
    out: list[Case] = []
    for sort, index in SORT_INDEX.items():
        for descending in (True, False):
            for anchor in ("", "after", "before"):
                flt = q.ChangeFilter(sort=sort, descending=descending)
                out.append(
                    Case(
                        f"list sort={sort} {'desc' if descending else 'asc'} {anchor or 'top'}",
                        _listing(flt, anchor=anchor),
                        indexes=(index,) if index else (),
                        walk=(index,) if index else (),
                        listing=True,
                    )
                )
    filters = {
        "project": (q.ChangeFilter(project="openstack/neutron"), ("ix_jobs_project_id",)),
        "status": (q.ChangeFilter(status="failed"), ("ix_jobs_status_id",)),
        "verdict": (q.ChangeFilter(verdict="defects"), ("ix_jobs_verdict_id",)),
        "no verdict": (q.ChangeFilter(verdict="none"), ("ix_jobs_verdict_id",)),
        "status and verdict": (
            q.ChangeFilter(status="posted", verdict="clean"),
            ("ix_jobs_",),
        ),
        "project and status": (
            q.ChangeFilter(project="openstack/neutron", status="failed"),
            ("ix_jobs_project_status_id",),
        ),
        "search words": (q.ChangeFilter(text="unit tests"), ("jobs_search",)),
        "search a change number": (
            q.ChangeFilter(text="101"),
            ("ix_jobs_change_patchset", "jobs_search"),
        ),
    }
    for name, (flt, indexes) in filters.items():
        for anchor in ("", "after", "before"):
            out.append(
                Case(
                    f"list {name} {anchor or 'top'}",
                    _listing(flt, anchor=anchor),
                    indexes=indexes,
                    # a change number or a text: its matches (few) may be sorted
                    listing=name != "search a change number",
                )
            )
    out += [
        Case("status counts", lambda s, f: q.status_counts(s)),
        Case("verdict counts", lambda s, f: q.verdict_counts(s)),
        Case("verdict menu", lambda s, f: q.verdicts(s)),
        Case("finding tallies", lambda s, f: q.finding_tallies(s)),  # finding_counts
        Case(
            "review latency",
            lambda s, f: q.review_latency(s),
            ("ix_jobs_finished_at_status_kind_uploaded_at",),
        ),
        Case(
            "throughput",
            lambda s, f: q.throughput(s),
            ("ix_jobs_finished_at_status_kind_uploaded_at",),
        ),
        Case(
            "project menu",
            lambda s, f: q.projects(s),
            ("ix_jobs_project",),
            walk=("ix_jobs_project",),  # min(project): the index's first entry
        ),
        Case(
            "runs of a patch set",
            lambda s, f: q.jobs_of_patchset(s, 101, 1),
            ("ix_jobs_change_patchset", "ix_reviews_job_id"),
        ),
        Case(
            "a page of findings",
            lambda s, f: q.findings_page(
                s, _review_id(s, f.defects), suppressed=False, limit=100, offset=0
            ),
            ("ix_findings_review_order",),
        ),
        Case(
            "a patch set's job, review and history",
            lambda s, f: (s.job(f.defects), s.review_for_job(f.defects), s.events(f.defects)),
            ("ix_reviews_job_id", "ix_job_events_job_id"),
        ),
    ]
    return out


def _review_id(store: Store, job_id: int) -> int:
    review = store.review_for_job(job_id)
    assert review is not None
    return review.id


@dataclass(frozen=True)
class Plan:
    statement: str
    lines: list[str]


def record(engine: Engine, run: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECTs ``run`` sends, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def listener(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def sqlite_plans(store: Store, run: Callable[[], object]) -> list[Plan]:
    plans = []
    for statement, params in record(store.engine, run):
        raw = store.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("EXPLAIN QUERY PLAN " + statement, params)
            plans.append(Plan(statement, [str(row[3]) for row in cursor.fetchall()]))
        finally:
            raw.close()
    return plans


def problems(case: Case, plans: list[Plan]) -> list[str]:
    """What is wrong with the plans of ``case`` (empty when nothing)."""
    found: list[str] = []
    text = "\n".join(line for p in plans for line in p.lines)
    for index in case.indexes:
        if index not in text:
            found.append(f"{index} is not used")
    for plan in plans:
        for line in plan.lines:
            for table in BIG_TABLES:
                if line == f"SCAN {table}":
                    rowid_walk = (
                        table == "jobs" and case.listing and "ORDER BY jobs.id" in (plan.statement)
                    )
                    if not rowid_walk:  # newest first along the rowid, stopped by the LIMIT
                        found.append(f"full scan of {table}: {line}")
                elif line.startswith(f"SCAN {table} USING") and not any(
                    f"INDEX {w}" in line for w in case.walk
                ):
                    found.append(f"whole index walked: {line}")
        if case.listing and "USE TEMP B-TREE FOR ORDER BY" in plan.lines:
            merged = "MERGE (UNION ALL)" in plan.lines  # branches of at most LIMIT rows each
            if not merged and "FROM jobs" in plan.statement and "LIMIT" in plan.statement:
                found.append("the page is sorted, not read in index order")
    return found


@pytest.fixture(scope="module")
def filled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Filled]]:
    path: Path = tmp_path_factory.mktemp("plans") / "plans.db"
    store = Store(f"sqlite:///{path}")
    filled = Filled(store)
    yield store, filled
    store.close()


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_dashboard_query_plans_use_indexes(case: Case, filled_store: tuple[Store, Filled]) -> None:
    store, filled = filled_store
    plans = sqlite_plans(store, lambda: case.run(store, filled))
    assert plans, "the case ran no query"
    assert problems(case, plans) == [], "\n\n".join(
        p.statement + "\n  " + "\n  ".join(p.lines) for p in plans
    )


def test_the_checker_catches_a_full_scan_and_a_sorted_page(
    filled_store: tuple[Store, Filled],
) -> None:
    """The rules above can fail: a LIKE over every subject and an unindexed sort do."""
    from sqlalchemy import select

    store, _ = filled_store
    jobs = q.JOBS

    def like_scan() -> object:
        with store.engine.connect() as conn:
            query = select(jobs.c.id).where(jobs.c.subject.like("%unit%")).limit(5)
            return conn.execute(query).all()

    def sorted_page() -> object:
        with store.engine.connect() as conn:
            query = select(jobs.c.id).order_by(jobs.c.subject).limit(5)
            return conn.execute(query).all()

    scan = problems(Case("like", lambda s, f: None), sqlite_plans(store, like_scan))
    assert any(p.startswith("full scan of jobs") for p in scan)
    page = problems(
        Case("sorted", lambda s, f: None, listing=True), sqlite_plans(store, sorted_page)
    )
    assert "the page is sorted, not read in index order" in page
