"""Every dashboard query reads through an index on PostgreSQL too (``EXPLAIN``).

The cases are SQLite's (``tests/unit/test_query_plans.py``).  A handful of rows would
rightly be read by a sequential scan, so each plan is asked for with sequential scans
priced out (``enable_seqscan`` off), and sorts too for pages of the change list: the
planner then takes an index wherever one serves the query, and a ``Seq Scan`` of a big
table, or a ``Sort`` under a page of the change list, left in the plan means no index can.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.store import Store
from tests.support import postgres_database
from tests.unit.test_dashboard import Filled
from tests.unit.test_query_plans import BIG_TABLES, Case, cases, record

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def filled_store() -> Iterator[tuple[Store, Filled]]:
    with postgres_database("security_bot_plans") as url:
        store = Store(url)
        filled = Filled(store)
        yield store, filled
        store.close()


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def pg_plans(store: Store, case: Case, filled: Filled) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for statement, params in record(store.engine, lambda: case.run(store, filled)):
        raw = store.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("SET enable_seqscan = off")
            if case.listing:  # a page must come in index order; elsewhere a sort may be right
                cursor.execute("SET enable_sort = off")
            cursor.execute("EXPLAIN (FORMAT JSON) " + statement, params)
            document = cursor.fetchone()[0]
            plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
            out.append((statement, plan))
            raw.rollback()
        finally:
            raw.close()
    return out


def problems(case: Case, plans: list[tuple[str, dict[str, Any]]]) -> list[str]:
    found = []
    used = {n.get("Index Name", "") for _, p in plans for n in nodes(p)}
    # On a handful of rows PostgreSQL may rightly prefer another index than the one a large
    # table needs; the index each sort of the change list needs is still required.
    for index in case.indexes if case.listing and "sort=" in case.name else ():
        wanted = "ix_jobs_search_trgm" if index == "jobs_search" else index
        if not any(u.startswith(wanted) for u in used):
            found.append(f"{wanted} is not used ({sorted(u for u in used if u)})")
    for statement, plan in plans:
        for node in nodes(plan):
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
                found.append(f"sequential scan of {node['Relation Name']}")
            searched = "ILIKE" in statement.upper() or "job_id IN" in statement
            paged = "FROM jobs" in statement and "LIMIT" in statement
            if node["Node Type"] == "Sort" and case.listing and paged and not searched:
                found.append("the page is sorted, not read in index order")
    return found


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_dashboard_query_plans_use_indexes_on_postgres(
    case: Case, filled_store: tuple[Store, Filled]
) -> None:
    store, filled = filled_store
    plans = pg_plans(store, case, filled)
    assert plans, "the case ran no query"
    assert problems(case, plans) == [], "\n\n".join(
        s + "\n" + json.dumps(p, indent=1)[:3000] for s, p in plans
    )
