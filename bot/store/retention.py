"""Retention: the bulky details of old jobs are pruned, their verdict history is kept.

A processed patch set leaves a job row, a few job events, a review row with the message
and inline comments that were posted, and finding rows with their message, recommendation
and code excerpt. At OpenStack's rate (about a million patch sets a year) the texts are
most of the store's size, and nobody reads them once the change is long gone. A *pass*
therefore takes the jobs that finished more than ``retention_days`` ago and, for each:

* deletes its job events and records one ``pruned`` event in their place (so the
  dashboard can say the details were pruned, and when);
* empties its review's ``message`` and ``comments`` (what was posted is on Gerrit);
* empties its findings' ``message``, ``recommendation``, ``code`` and ``nosec_comment``.

What stays, for every job whatever its age: the job row (project, change, patch set,
subject, owner, status, reason, timestamps), the review row's verdict, counts, timings
and errors, and every finding row's rule, CWE, severity, path, lines, ``posted_inline``
and ``fingerprint``. So the verdict history and the overview's counts do not change, a
carried-over verdict still finds its predecessor, and :meth:`Store.posted_fingerprints`
still knows which findings were posted inline on a change: a new patch set of a change
that has been open for longer than the retention does not get the same comments again.
(The store cannot tell when a change closes, so these small rows are kept for good.)

How the pass stays out of the way of the review loop:

* Jobs are visited in id order, ``batch_size`` at a time; finding the work is a plain
  read (one query: which jobs still have events besides the marker), and only a batch
  that has something to prune takes a write transaction (SQLite's
  write lock, ``BEGIN IMMEDIATE``; on PostgreSQL ``FOR NO KEY UPDATE`` on that batch's
  job rows, which are long finished, so no worker waits for them). After a write on
  SQLite the pass pauses as long as the batch took, so waiting writers get their turn.
* Each batch is idempotent: under its lock it re-checks which jobs are old and which
  still hold details, so a second pass running at the same time (another bot process,
  ``security-bot prune`` by hand) finds nothing left and changes nothing. On PostgreSQL
  a session advisory lock also keeps a second pass from starting while one runs.
* A high-water mark in ``poll_cursors`` (``retention``: every job up to that id is
  pruned) lets the next pass start where this one could not go further; ``full=True``
  (the service's first pass after start, ``security-bot prune --full``) starts from the
  first job again, which finds the rare old job a dashboard *retry* revived.

Freed space is reused by new rows (PostgreSQL after autovacuum; SQLite for whole freed
pages, the rest after ``VACUUM``): ``security-bot prune --vacuum`` compacts the store, see
docs/operations.md.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Connection,
    String,
    Table,
    Text,
    and_,
    delete,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import cast as sql_cast

from bot.store.db import IMMEDIATE
from bot.store.records import JobStatus
from bot.store.schema import (
    FindingModel,
    JobEventModel,
    JobModel,
    ReviewModel,
    UTCDateTime,
    to_utc,
)
from bot.store.store import Store

log = logging.getLogger("bot.store.retention")

JOBS = cast(Table, JobModel.__table__)
EVENTS = cast(Table, JobEventModel.__table__)
REVIEWS = cast(Table, ReviewModel.__table__)
FINDINGS = cast(Table, FindingModel.__table__)

#: The event that replaces a pruned job's history.
PRUNED_EVENT = "pruned"
#: The ``poll_cursors`` row holding the high-water mark (a job id).
CURSOR = "retention"
#: The PostgreSQL advisory lock of a pass (the poller's is ``0x5EC0B07_0001``).
RETENTION_LOCK_KEY = 0x5EC0B07_0002
DEFAULT_BATCH_SIZE = 1000

_FINAL = tuple(
    s.value for s in (JobStatus.POSTED, JobStatus.CARRIED, JobStatus.SKIPPED, JobStatus.FAILED)
)
_MAX_PAUSE_S = 0.5


@dataclass
class PruneResult:
    """What one pass did (``skipped`` says why it did nothing at all)."""

    retention_days: int
    cutoff: datetime | None = None
    jobs_scanned: int = 0
    jobs_pruned: int = 0
    events_deleted: int = 0
    reviews_pruned: int = 0
    findings_pruned: int = 0
    write_batches: int = 0
    through_id: int = 0
    seconds: float = 0.0
    skipped: str = ""
    longest_batch_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["cutoff"] = None if self.cutoff is None else self.cutoff.isoformat()
        return out

    def summary(self) -> str:
        if self.skipped:
            return f"retention pass skipped: {self.skipped}"
        return (
            f"retention pass ({self.retention_days} days, finished before "
            f"{self.cutoff:%Y-%m-%d %H:%M} UTC): {self.jobs_pruned} of {self.jobs_scanned} "
            f"jobs scanned pruned ({self.events_deleted} events deleted, "
            f"{self.reviews_pruned} reviews and {self.findings_pruned} findings emptied) "
            f"in {self.seconds:.1f} s, {self.write_batches} write batches "
            f"(longest {self.longest_batch_ms:.0f} ms)"
        )


@dataclass(frozen=True)
class _Row:
    id: int
    status: str
    finished_at: datetime | None
    created_at: datetime


@dataclass
class _Touched:
    jobs: set[int] = field(default_factory=set)
    with_events: set[int] = field(default_factory=set)
    with_review: set[int] = field(default_factory=set)
    with_findings: set[int] = field(default_factory=set)


def prune(
    store: Store,
    retention_days: int,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    full: bool = False,
    now: datetime | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> PruneResult:
    """Run one retention pass over ``store`` (see the module docstring).

    ``retention_days`` 0 keeps everything (the pass does nothing). Raises the database's
    errors (the caller decides whether an outage is worth more than a log line).
    ``stopping`` is asked between batches: when it says True the pass ends there (the
    process is shutting down), with everything done so far committed.
    """
    if retention_days < 0:
        raise ValueError("retention_days must be 0 (keep forever) or more")
    if batch_size <= 0:
        raise ValueError("batch_size must be greater than zero")
    result = PruneResult(retention_days=retention_days)
    if retention_days == 0:
        result.skipped = "retention_days is 0: everything is kept"
        return result
    at = datetime.now(UTC) if now is None else to_utc(now)
    result.cutoff = at - timedelta(days=retention_days)
    started = time.perf_counter()
    with _single_pass(store) as alone:
        if not alone:
            result.skipped = "another process is running a retention pass"
            return result
        _run(store, result, at, batch_size=batch_size, full=full, stopping=stopping)
    result.seconds = round(time.perf_counter() - started, 3)
    log.info("%s", result.summary())
    return result


def pruned_event(events: Sequence[Any]) -> Any | None:
    """The ``pruned`` event among a job's events (objects with ``.event``), if any."""
    for e in events:
        if getattr(e, "event", None) == PRUNED_EVENT:
            return e
    return None


# -- the pass --------------------------------------------------------------------------------


def _run(
    store: Store,
    result: PruneResult,
    at: datetime,
    *,
    batch_size: int,
    full: bool,
    stopping: Callable[[], bool],
) -> None:
    assert result.cutoff is not None
    cutoff = result.cutoff
    stored = _cursor(store)
    start = 0 if full else stored
    through, frozen, after = start, False, start
    sqlite = store.engine.dialect.name == "sqlite"
    try:
        while not stopping():
            rows = _scan(store, after, batch_size)
            if not rows:
                break
            result.jobs_scanned += len(rows)
            after = rows[-1].id
            candidates = [r.id for r in rows if _old(r, cutoff)]
            done: set[int] = set()
            if candidates:
                with store.engine.connect() as conn:
                    needs_work = _with_events(conn, candidates)
                if needs_work:
                    t0 = time.perf_counter()
                    done = _prune_batch(store, candidates, cutoff, at, result)
                    took = time.perf_counter() - t0
                    result.write_batches += 1
                    result.longest_batch_ms = max(result.longest_batch_ms, round(took * 1000, 1))
                    if sqlite:  # let the workers waiting for the write lock have it
                        time.sleep(min(took, _MAX_PAUSE_S))
                else:
                    done = set(candidates)
            for r in rows:  # the high-water mark moves over a run of pruned jobs only
                if frozen:
                    break
                if r.id in done:
                    through = r.id
                else:
                    frozen = True
            # Ids follow creation time: past the jobs created before the cutoff there is
            # nothing old to find.
            if len(rows) < batch_size or max(r.created_at for r in rows) >= cutoff:
                break
    finally:
        result.through_id = through
        if through != stored:
            store.set_cursor(CURSOR, str(through), now=at)


def _old(row: _Row, cutoff: datetime) -> bool:
    return row.status in _FINAL and row.finished_at is not None and row.finished_at < cutoff


def _scan(store: Store, after: int, limit: int) -> list[_Row]:
    query = (
        select(JOBS.c.id, JOBS.c.status, JOBS.c.finished_at, JOBS.c.created_at)
        .where(JOBS.c.id > after)
        .order_by(JOBS.c.id)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [_Row(int(r.id), r.status, r.finished_at, r.created_at) for r in conn.execute(query)]


def _with_events(conn: Connection, job_ids: Sequence[int]) -> set[int]:
    """Which of ``job_ids`` have events besides the ``pruned`` marker.

    Outside the lock this alone says whether a batch has work: a job's review and its
    findings are written together with its final event (``Store.complete``), and a pass
    removes all three together, so a job without such events has no texts left either.
    """
    return {
        int(j)
        for (j,) in conn.execute(
            select(EVENTS.c.job_id)
            .distinct()
            .where(EVENTS.c.job_id.in_(job_ids), EVENTS.c.event != PRUNED_EVENT)
        )
    }


def _touched(conn: Connection, job_ids: Sequence[int]) -> _Touched:
    """Which of ``job_ids`` still hold something to prune (checked under the lock)."""
    out = _Touched()
    out.with_events = _with_events(conn, job_ids)
    out.with_review = {
        int(j)
        for (j,) in conn.execute(
            select(REVIEWS.c.job_id)
            .distinct()
            .where(
                REVIEWS.c.job_id.in_(job_ids),
                or_(REVIEWS.c.message != "", sql_cast(REVIEWS.c.comments, Text) != "{}"),
            )
        )
    }
    out.with_findings = {
        int(j)
        for (j,) in conn.execute(
            select(REVIEWS.c.job_id)
            .distinct()
            .join(FINDINGS, FINDINGS.c.review_id == REVIEWS.c.id)
            .where(REVIEWS.c.job_id.in_(job_ids), _finding_has_text())
        )
    }
    out.jobs = out.with_events | out.with_review | out.with_findings
    return out


def _finding_has_text() -> Any:
    return or_(
        FINDINGS.c.message != "",
        FINDINGS.c.recommendation != "",
        FINDINGS.c.code != "",
        FINDINGS.c.nosec_comment != "",
    )


def _prune_batch(
    store: Store, candidates: Sequence[int], cutoff: datetime, at: datetime, result: PruneResult
) -> set[int]:
    """Prune the old jobs among ``candidates`` in one transaction; returns the old ones."""
    with store.engine.connect().execution_options(**{IMMEDIATE: True}) as conn, conn.begin():
        query = (
            select(JOBS.c.id)
            .where(
                JOBS.c.id.in_(candidates),
                JOBS.c.status.in_(_FINAL),
                JOBS.c.finished_at.is_not(None),
                JOBS.c.finished_at < cutoff,
            )
            .order_by(JOBS.c.id)
        )
        if conn.dialect.name == "postgresql":
            # Row locks in id order: a dashboard retry of one of these jobs waits for the
            # batch, and a second pass waits, then finds the work done.
            query = query.with_for_update(key_share=True)
        old = [int(j) for (j,) in conn.execute(query)]
        if not old:
            return set()
        touched = _touched(conn, old)
        ids = sorted(touched.jobs)
        if not ids:
            return set(old)
        deleted = conn.execute(delete(EVENTS).where(EVENTS.c.job_id.in_(ids))).rowcount
        if touched.with_review:
            conn.execute(
                update(REVIEWS)
                .where(REVIEWS.c.job_id.in_(sorted(touched.with_review)))
                .values(message="", comments={})
            )
        findings = 0
        if touched.with_findings:
            of_jobs = select(REVIEWS.c.id).where(
                REVIEWS.c.job_id.in_(sorted(touched.with_findings))
            )
            findings = conn.execute(
                update(FINDINGS)
                .where(and_(FINDINGS.c.review_id.in_(of_jobs), _finding_has_text()))
                .values(message="", recommendation="", code="", nosec_comment="")
            ).rowcount
        # Short: a marker replaces about three events, and must not outweigh them.
        detail = f"{result.retention_days}-day retention"
        # One INSERT … SELECT for the markers: no per-row work in Python under the lock.
        markers = select(
            JOBS.c.id,
            literal(at, UTCDateTime()),
            literal(PRUNED_EVENT, String()),
            literal(detail, Text()),
        ).where(JOBS.c.id.in_(ids))
        conn.execute(insert(EVENTS).from_select(["job_id", "at", "event", "detail"], markers))
        result.jobs_pruned += len(ids)
        result.events_deleted += int(deleted or 0)
        result.reviews_pruned += len(touched.with_review)
        result.findings_pruned += int(findings or 0)
        return set(old)


def _cursor(store: Store) -> int:
    value = store.get_cursor(CURSOR)
    if value is None:
        return 0
    try:
        return max(0, int(value))
    except ValueError:
        log.warning("retention: ignoring the unreadable high-water mark %r", value[:40])
        return 0


# -- one pass at a time ----------------------------------------------------------------------


@contextmanager
def _single_pass(store: Store) -> Iterator[bool]:
    """On PostgreSQL, hold the retention advisory lock for the pass (False: taken).

    The lock is a session lock on a connection kept out of the pool's hands for the pass;
    a process that dies mid-pass releases it with its session. On SQLite there is one
    writer at a time anyway and every batch is idempotent, so nothing is held.
    """
    if store.engine.dialect.name != "postgresql":
        yield True
        return
    with store.engine.connect() as conn:
        conn.execute(
            text("SELECT set_config('application_name', :name, false)"),
            {"name": f"security-bot retention {os.getpid()}@{socket.gethostname()}"[:63]},
        )
        got = bool(
            conn.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": RETENTION_LOCK_KEY}
            ).scalar()
        )
        conn.commit()
        try:
            yield got
        finally:
            try:
                if got:
                    conn.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": RETENTION_LOCK_KEY}
                    )
                conn.execute(text("RESET application_name"))
                conn.commit()
            except Exception:  # a broken session: closing it releases the lock
                conn.invalidate()


# -- size and compaction ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoreSize:
    """How big the store is: ``used_bytes`` holds data, ``file_bytes`` is on disk.

    SQLite: the file's pages, and those not on the free list. PostgreSQL: the database's
    size, and the tables' (with indexes and TOAST) for ``used_bytes``.
    """

    file_bytes: int
    used_bytes: int


def store_size(store: Store) -> StoreSize:
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            page = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
            pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
            free = int(conn.exec_driver_sql("PRAGMA freelist_count").scalar_one())
            return StoreSize(file_bytes=page * pages, used_bytes=page * (pages - free))
        database = int(
            conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        )
        tables = int(
            conn.execute(
                text(
                    "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind = 'r' AND n.nspname = current_schema()"
                )
            ).scalar_one()
        )
        return StoreSize(file_bytes=database, used_bytes=tables)


def compact(store: Store, *, full: bool = False) -> None:
    """Give the free space back: ``VACUUM`` (SQLite: blocks every writer while it runs, so
    stop the bot first; PostgreSQL: a plain ``VACUUM ANALYZE``, which runs beside the bot
    and makes the space reusable, the files shrinking only at their end; ``full=True``
    rewrites the tables there too, locking them, which only the benchmark does)."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("VACUUM")  # outside any transaction: the driver issues no BEGIN
            return
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("job_events", "reviews", "findings", "jobs"):
            auto.exec_driver_sql(f"VACUUM ({'FULL, ' if full else ''}ANALYZE) {table}")
