"""The dashboard's queries on a real PostgreSQL server (same checks as on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from bot.dashboard import create_app
from bot.store import Store
from bot.store import queries as q
from tests.support import postgres_database
from tests.unit.test_dashboard import TOKEN, Filled, make_config
from tests.unit.test_dashboard_paging import expected_order, fill, walk

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_database("security_bot_dash") as url:
        yield url


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    s = Store(pg_url)
    with s.engine.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE jobs, job_events, reviews, findings, poll_cursors, job_counts"
                " RESTART IDENTITY"
            )
        )
    yield s
    s.close()


def test_queries_and_api_on_postgres(store: Store) -> None:
    filled = Filled(store)
    assert q.verdict_counts(store) == {"clean": 2, "defects": 1}
    buckets = q.throughput(store, hours=3)
    assert sum(b.total for b in buckets) == 5 and buckets[-1].counts.get("posted") == 3
    assert q.review_latency(store).count == 2
    page = q.list_changes(store, q.ChangeFilter(text="DOCS"))
    assert (page.total, page.exact) == (1, True) and page.rows[0].change == 103
    page = q.list_changes(store, q.ChangeFilter(sort="findings"), limit=2)
    assert page.total == 6 and page.rows[0].change == 102
    rest = q.list_changes(store, q.ChangeFilter(sort="findings"), limit=10, after=page.after)
    assert len(rest.rows) == 4 and (rest.before, rest.after) == (rest.rows[0].job_id, None)
    assert {r.job_id for r in rest.rows}.isdisjoint(r.job_id for r in page.rows)
    page = q.list_changes(store, q.ChangeFilter(verdict="none"))
    assert {r.change for r in page.rows} == {103, 104, 105}
    client = create_app(store, make_config()).test_client()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/overview", headers=headers).status_code == 200
    assert client.get(f"/api/changes/{filled.defects}", headers=headers).status_code == 200
    assert client.get("/api/rules", headers=headers).status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("sort", q.SORT_KEYS)
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_paging_on_postgres(store: Store, sort: str, descending: bool) -> None:
    """PostgreSQL seeks with a row comparison (SQLite merges per-prefix seeks): the same walk."""
    walk(fill(store), q.ChangeFilter(sort=sort, descending=descending), pages=6)


def test_search_paging_and_counters_on_postgres(store: Store) -> None:
    fill(store)
    matches = set(expected_order(store, q.ChangeFilter(), text="Add unit"))
    walk(store, q.ChangeFilter(text="add UNIT"), pages=5, only=matches)
    page = q.list_changes(store, q.ChangeFilter(text="50%"))
    assert page.rows == [] and page.exact
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM jobs GROUP BY status"))
        truth = {str(status): int(n) for status, n in rows}
    assert {k: v for k, v in q.status_counts(store).items() if v} == truth


def test_concurrent_reviews_keep_the_counters_exact_without_deadlock(store: Store) -> None:
    """Two workers record reviews whose findings name the same rules in opposite orders, in
    two projects (no job counter in common): the counters stay exact, nothing deadlocks."""
    import threading

    from bot.store import JobStatus, ReviewRecord
    from tests.unit.test_dashboard_paging import finding, spec

    errors: list[BaseException] = []

    def worker(k: int) -> None:
        rules = ["shell-injection", "mock-nonexistent-assertion"]
        try:
            for i in range(15):
                n = 1000 * (k + 1) + i
                store.enqueue(spec(n, project=f"openstack/p{k}", trigger_key=f"t:{n}"))
                claimed = store.claim(f"w{k}", 60)
                assert claimed is not None
                order = rules if k == 0 else rules[::-1]
                found = [(finding(line, rule=r), True) for line, r in enumerate(order)]
                review = ReviewRecord(verdict="defects", message="m", findings=found)
                assert store.complete(claimed.id, f"w{k}", JobStatus.POSTED, review=review)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT rule, count(*) FROM findings GROUP BY rule"))
        truth = {str(rule): int(n) for rule, n in rows}
    assert (
        {r.rule: r.hits for r in q.findings_by_rule(store)}
        == truth
        == {
            "shell-injection": 30,
            "mock-nonexistent-assertion": 30,
        }
    )
    assert q.status_counts(store)["posted"] == 30
