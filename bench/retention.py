"""Retention: the store's size per 100,000 patch sets before and after a pass, and its cost.

A store is built through the real schema (``Store(url)`` runs the migrations) with a year
of processed patch sets, spread evenly over 365 days: 75% posted with a review, 5% carried
over, 15% skipped and 5% failed (so about 80% with a review), and 10% of the reviews with
findings. The texts are the bot's own: the message and inline comments the renderer writes
for a real analysis of a defective test file (three findings, one suppressed), and the
clean verdict for the others; every job has the events the review loop writes.

Then one retention pass runs with the default 90 days (about three quarters of the jobs
are older) while another thread does what the review loop does to the store, a short
write transaction every 20 ms, and records how long each waited. Reported:

* ``store_mib_per_100k_before`` / ``_after`` — per 100,000 patch sets, the bytes in use
  (SQLite: the pages not on the free list, which new rows can take again; PostgreSQL: the
  tables with their indexes and TOAST after a plain ``VACUUM``, whose dead space new rows
  take again); ``_after_vacuum`` once compacted (SQLite: the file after ``VACUUM``, what
  ``security-bot prune --vacuum`` does; PostgreSQL: after ``VACUUM FULL``), i.e. what
  the data itself needs;
* ``retention_pass_s_per_100k`` — how long the pass took, and ``retention_next_pass_s``, the
  next (hourly) pass, which starts at the high-water mark and finds nothing to do;
  ``retention_full_pass_nothing_to_do_s_per_100k`` is a pass over every job that finds
  nothing to do either (the service's first pass after a restart);
* ``retention_longest_batch_ms`` — the longest write transaction of the pass, and
  ``retention_writer_wait_max_ms`` / ``_p99_ms`` — what the concurrent writer waited.

PostgreSQL figures carry a ``_postgres`` suffix (the server of ``SECURITY_BOT_TEST_PG_DSN``,
a throwaway database; when it is unreachable, ``postgres_skipped`` says why).

    python bench/retention.py                 # 100,000 patch sets, SQLite and PostgreSQL
    python bench/retention.py --sqlite-only
    python bench/retention.py --quick         # 2,000: a smoke run
"""

from __future__ import annotations

import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import _common as c
from sqlalchemy import Table, insert

from bot.analysis import analyze_source
from bot.review.report import Renderer, ReviewContext
from bot.store import Store, retention
from bot.store.schema import FindingModel, JobEventModel, JobModel, ReviewModel

JOBS = cast(Table, JobModel.__table__)
EVENTS = cast(Table, JobEventModel.__table__)
REVIEWS = cast(Table, ReviewModel.__table__)
FINDINGS = cast(Table, FindingModel.__table__)

DAYS = 90
PER = 100_000
CHUNK = 5_000
PATH = "nova/tests/unit/compute/test_shell.py"
SOURCE = (
    "import subprocess\n"
    "import tempfile\n"
    "from unittest import mock\n\n\n"
    "class TestShell:\n"
    "    def test_call(self, name):\n"
    "        subprocess.call('ls ' + name, shell=True)\n\n"
    "    def test_tmp(self):\n"
    "        path = tempfile.mktemp()\n"
    "        m = mock.Mock()\n"
    "        m.called_once_with(path)\n\n"
    "    def test_quiet(self):\n"
    "        subprocess.call('true', shell=True)  # nosec\n"
)


def _texts() -> dict[str, Any]:
    """The bot's own texts for a defects review and a clean one."""
    result = analyze_source(PATH, SOURCE)
    assert result.findings, "the sample must have findings"
    renderer = Renderer()
    marker = uuid.uuid4().hex
    common = {"project": "openstack/nova", "change": 900001, "patchset": 3, "run_marker": marker}
    defects = renderer.render(
        ReviewContext(
            **common,
            findings=result.findings,
            files_analysed=3,
            lines_changed=120,
            rules_run=40,
            duration_s=0.4,
            suppressed=len(result.suppressed),
        )
    )
    clean = renderer.render(
        ReviewContext(**common, findings=[], files_analysed=3, lines_changed=120, rules_run=40)
    )
    return {
        "defects": defects,
        "clean": clean,
        "findings": [(f, f in defects.inline, False, "") for f in result.findings]
        + [(s.finding, False, True, s.comment) for s in result.suppressed],
    }


def fill(store: Store, n: int, now: datetime) -> None:
    """``n`` processed patch sets over the year before ``now``, inserted in bulk."""
    texts = _texts()
    span = timedelta(days=365)
    review_id = 0
    jobs: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []

    def flush() -> None:
        with store.engine.begin() as conn:
            for table, rows in ((JOBS, jobs), (EVENTS, events), (REVIEWS, reviews)):
                if rows:
                    conn.execute(insert(table), rows)
            if findings:
                conn.execute(insert(FINDINGS), findings)
        for rows in (jobs, events, reviews, findings):
            rows.clear()

    for i in range(1, n + 1):
        created = now - span + span * (i / n)
        done = created + timedelta(seconds=90)
        change, ps = 800000 + i // 3, 1 + i % 3
        bucket = i % 20  # 15 posted, 1 carried, 3 skipped, 1 failed
        status = (
            "posted"
            if bucket < 15
            else "carried"
            if bucket == 15
            else "skipped"
            if bucket < 19
            else "failed"
        )
        marker = uuid.uuid4().hex
        jobs.append(
            {
                "id": i,
                "trigger_key": f"ps:openstack/nova:{change}:{ps}",
                "kind": "new",
                "project": "openstack/nova",
                "change": change,
                "patchset": ps,
                "revision": f"{i:040x}",
                "subject": f"Add unit tests for the compute manager's rebuild path ({i})",
                "owner": "Alice Example <alice@example.org>",
                "branch": "master",
                "requested_by": "",
                "status": status,
                "reason": {
                    "skipped": "no test code changed",
                    "failed": "Gerrit answered HTTP 500",
                }.get(status, ""),
                "reply": "",
                "attempts": 1,
                "run_marker": marker,
                "lease_owner": None,
                "lease_expires": None,
                "not_before": None,
                "created_at": created,
                "updated_at": done,
                "uploaded_at": created - timedelta(seconds=20),
                "finished_at": done,
            }
        )
        events += [
            {"job_id": i, "at": created, "event": "enqueued", "detail": "kind=new"},
            {
                "job_id": i,
                "at": created,
                "event": "claimed",
                "detail": "worker=bot-1234-0 attempt=1",
            },
            {"job_id": i, "at": done, "event": status, "detail": jobs[-1]["reason"]},
        ]
        if status in ("posted", "carried"):
            review_id += 1
            with_findings = status == "posted" and review_id % 10 == 0
            rendered = texts["defects" if with_findings else "clean"]
            reviews.append(
                {
                    "id": review_id,
                    "job_id": i,
                    "project": "openstack/nova",
                    "change": change,
                    "patchset": ps,
                    "verdict": rendered.verdict if status == "posted" else "clean",
                    "message": rendered.message if status == "posted" else "",
                    "comments": rendered.comments if status == "posted" else {},
                    "carried_from": ps - 1 if status == "carried" else None,
                    "files_analysed": 3,
                    "lines_changed": 120,
                    "rules_run": 40,
                    "duration_ms": 380.0,
                    "timings": {"query": 20.0, "fetch": 150.0, "analysis": 180.0, "post": 30.0},
                    "errors": [],
                    "finding_count": len(texts["findings"]) - 1 if with_findings else 0,
                    "suppressed_count": 1 if with_findings else 0,
                    "posted_at": done,
                    "run_marker": marker,
                }
            )
            if with_findings:
                for f, inline, suppressed, nosec in texts["findings"]:
                    findings.append(
                        {
                            "review_id": review_id,
                            "rule": f.rule,
                            "cwe": f.cwe,
                            "cwe_name": f.cwe_name,
                            "pillars": list(f.pillars),
                            "severity": f.severity.value,
                            "confidence": f.confidence,
                            "path": f.path,
                            "line": f.line,
                            "end_line": f.end_line,
                            "message": f.message,
                            "recommendation": f.recommendation,
                            "code": f.code,
                            "fingerprint": f"{f.fingerprint}:{change}",
                            "function": f.function,
                            "title": f.title,
                            "suppressed": suppressed,
                            "posted_inline": inline,
                            "nosec_comment": nosec,
                        }
                    )
        if len(jobs) >= CHUNK:
            flush()
    flush()
    if store.engine.dialect.name == "postgresql":  # the sequences continue after the ids
        with store.engine.begin() as conn:
            for table in ("jobs", "job_events", "reviews", "findings"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


@contextmanager
def writer(store: Store) -> Iterator[list[float]]:
    """A thread doing a short write transaction every 20 ms; yields the waits (ms)."""
    waits: list[float] = []
    stop = threading.Event()

    def run() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            t0 = time.perf_counter()
            store.set_cursor("bench-writer", str(n))
            waits.append((time.perf_counter() - t0) * 1000)
            stop.wait(0.02)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield waits
    finally:
        stop.set()
        thread.join(30)


def measure(store: Store, n: int, now: datetime, suffix: str) -> dict[str, Any]:
    scale = PER / n
    c.progress(f"retention{suffix}: filling {n:,} patch sets")
    t0 = time.perf_counter()
    fill(store, n, now)
    fill_s = time.perf_counter() - t0
    if suffix:  # PostgreSQL: sizes after a plain VACUUM, as autovacuum would leave them
        retention.compact(store)
    before = retention.store_size(store)
    c.progress(f"retention{suffix}: filled in {fill_s:.0f} s; pruning")
    with writer(store) as waits:
        result = retention.prune(store, DAYS, now=now)
    if suffix:
        retention.compact(store)
    after = retention.store_size(store)
    again = retention.prune(store, DAYS, now=now + timedelta(hours=1))
    full = retention.prune(store, DAYS, now=now + timedelta(hours=1), full=True)
    figures: dict[str, Any] = {
        f"retention_patch_sets{suffix}": n,
        f"retention_jobs_pruned{suffix}": result.jobs_pruned,
        f"retention_write_batches{suffix}": result.write_batches,
        f"store_mib_per_100k_before{suffix}": c.rnd(before.used_bytes * scale / 2**20, 1),
        f"store_mib_per_100k_after{suffix}": c.rnd(after.used_bytes * scale / 2**20, 1),
        f"retention_pass_s_per_100k{suffix}": c.rnd(result.seconds * scale, 2),
        f"retention_next_pass_s{suffix}": c.rnd(again.seconds, 3),
        f"retention_next_pass_jobs_scanned{suffix}": again.jobs_scanned,
        f"retention_full_pass_nothing_to_do_s_per_100k{suffix}": c.rnd(full.seconds * scale, 2),
        f"retention_longest_batch_ms{suffix}": result.longest_batch_ms,
        f"retention_writer_wait_max_ms{suffix}": c.rnd(max(waits, default=0.0), 1),
        f"retention_writer_wait_p99_ms{suffix}": c.rnd(c.percentile(waits, 99), 1),
        f"retention_writer_writes{suffix}": len(waits),
        f"retention_fill_s{suffix}": c.rnd(fill_s, 1),
    }
    retention.compact(store, full=True)
    vacuumed = retention.store_size(store)
    vacuumed_bytes = vacuumed.used_bytes if suffix else vacuumed.file_bytes
    figures[f"store_mib_per_100k_after_vacuum{suffix}"] = c.rnd(vacuumed_bytes * scale / 2**20, 1)
    return figures


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--patch-sets", type=int, default=PER, help="how many to build")
    parser.add_argument("--sqlite-only", action="store_true", help="leave PostgreSQL out")
    args = parser.parse_args()
    c.setup_logging()
    n = 2_000 if args.quick else args.patch_sets
    now = datetime.now(UTC)
    result: dict[str, Any] = {"retention_days": DAYS, "quick": args.quick}
    with tempfile.TemporaryDirectory(prefix="bench-retention-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'store.db'}")
        try:
            result.update(measure(store, n, now, ""))
        finally:
            store.close()
    if not args.sqlite_only:
        from bot.demo import scratch

        try:
            with scratch.postgres_database("bench_retention") as url:
                store = Store(url)
                try:
                    result.update(measure(store, n, now, "_postgres"))
                finally:
                    store.close()
        except scratch.DatabaseUnavailable as exc:
            result["postgres_skipped"] = str(exc)
    result["bars"] = {
        "store_mib_per_100k_after": "smaller than before: the store stops growing by the texts",
        "retention_longest_batch_ms": "short write transactions (1,000 jobs each)",
    }
    c.emit("retention", result, args.out)


if __name__ == "__main__":
    main()
