"""Read-only aggregations for the dashboard, over the store's tables.

Every function takes the :class:`~bot.store.Store` (it uses only its engine),
runs one short read transaction and returns plain Python values, so the
dashboard's HTML and JSON views share them.  The SQL is SQLAlchemy Core and
works on SQLite and PostgreSQL; the only dialect-specific piece is truncating
a timestamp to the hour.  Anything that reads many rows is bounded (a time
window and a row cap), so a busy installation stays cheap to look at.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    String,
    Table,
    and_,
    case,
    func,
    or_,
    select,
)
from sqlalchemy import (
    cast as sql_cast,
)

from bot.analysis import cwe_name, pillars
from bot.store.records import JobKind, JobStatus
from bot.store.schema import (
    FindingModel,
    JobModel,
    PollCursorModel,
    ReviewModel,
    to_utc,
)
from bot.store.store import Store

JOBS = cast(Table, JobModel.__table__)
REVIEWS = cast(Table, ReviewModel.__table__)
FINDINGS = cast(Table, FindingModel.__table__)
CURSORS = cast(Table, PollCursorModel.__table__)

#: How the change listing can be sorted (public name → column label).
SORT_KEYS = ("when", "change", "project", "verdict", "findings", "duration", "status", "owner")

#: The most reviews read to compute latency percentiles.
LATENCY_SAMPLE = 20_000


def _engine(store: Store | Engine) -> Engine:
    return store if isinstance(store, Engine) else store.engine


def _now(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else to_utc(now)


# -- health -----------------------------------------------------------------------------------


def ping(store: Store | Engine) -> None:
    """Raise when the database cannot answer a trivial query."""
    with _engine(store).connect() as conn:
        conn.execute(select(func.count()).select_from(CURSORS)).scalar_one()


def last_cursor_update(store: Store | Engine) -> datetime | None:
    """When a poll cursor last moved (a hint of the last poll, without a running service)."""
    with _engine(store).connect() as conn:
        value = conn.execute(
            # the retention pass keeps its high-water mark there too: it is not a poll
            select(func.max(CURSORS.c.updated_at)).where(CURSORS.c.name != "retention")
        ).scalar_one_or_none()
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns aggregates as raw text
        value = datetime.fromisoformat(value)
    return to_utc(value)


# -- overview ---------------------------------------------------------------------------------


def verdict_counts(store: Store | Engine) -> dict[str, int]:
    """Number of recorded reviews per verdict."""
    query = select(REVIEWS.c.verdict, func.count()).group_by(REVIEWS.c.verdict)
    with _engine(store).connect() as conn:
        return {str(v): int(n) for v, n in conn.execute(query)}


@dataclass(frozen=True)
class RuleCount:
    rule: str
    hits: int  # unsuppressed findings
    suppressed: int  # findings silenced by ``# nosec``
    cwe: int


def findings_by_rule(store: Store | Engine) -> list[RuleCount]:
    """Findings and suppressions per rule, most hits first."""
    suppressed = case((FINDINGS.c.suppressed.is_(True), 1), else_=0)
    hits = case((FINDINGS.c.suppressed.is_(True), 0), else_=1)
    query = (
        select(
            FINDINGS.c.rule,
            func.sum(hits).label("hits"),
            func.sum(suppressed).label("suppressed"),
            func.max(FINDINGS.c.cwe).label("cwe"),
        )
        .group_by(FINDINGS.c.rule)
        .order_by(func.sum(hits).desc(), FINDINGS.c.rule)
    )
    with _engine(store).connect() as conn:
        return [
            RuleCount(str(r.rule), int(r.hits or 0), int(r.suppressed or 0), int(r.cwe or 0))
            for r in conn.execute(query)
        ]


def findings_by_cwe(store: Store | Engine, *, include_suppressed: bool = False) -> dict[int, int]:
    query = select(FINDINGS.c.cwe, func.count()).group_by(FINDINGS.c.cwe)
    if not include_suppressed:
        query = query.where(FINDINGS.c.suppressed.is_(False))
    with _engine(store).connect() as conn:
        return {int(c): int(n) for c, n in conn.execute(query)}


def findings_by_pillar(store: Store | Engine) -> list[tuple[int, str, int]]:
    """``(pillar id, pillar name, unsuppressed findings)``, most findings first.

    The pillar is derived from the CWE through MITRE's CWE-1000 view, the same
    way the engine derives it, so it is computed from the per-CWE counts.
    """
    totals: dict[int, int] = {}
    for cwe_id, count in findings_by_cwe(store).items():
        try:
            ids: Iterable[int] = pillars(cwe_id)
        except KeyError:
            ids = ()
        for pillar in ids or (0,):
            totals[pillar] = totals.get(pillar, 0) + count
    return sorted(
        ((p, _cwe_name(p), n) for p, n in totals.items()), key=lambda item: (-item[2], item[0])
    )


def _cwe_name(cwe_id: int) -> str:
    if cwe_id == 0:
        return "unknown"
    try:
        return cwe_name(cwe_id)
    except KeyError:
        return ""


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` quantile (0..1) with linear interpolation; None for no values."""
    if not sorted_values:
        return None
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    position = fraction * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    weight = position - low
    return float(sorted_values[low] * (1 - weight) + sorted_values[high] * weight)


@dataclass(frozen=True)
class Latency:
    count: int
    p50: float | None
    p95: float | None
    max: float | None


def review_latency(
    store: Store | Engine, *, window: timedelta = timedelta(days=7), now: datetime | None = None
) -> Latency:
    """Upload-to-posted latency (seconds) of reviews posted within ``window``.

    Carried verdicts count too (they answer a patch set as well).  At most
    :data:`LATENCY_SAMPLE` of the newest reviews are read.
    """
    since = _now(now) - window
    query = (
        select(JOBS.c.uploaded_at, REVIEWS.c.posted_at)
        .join(JOBS, JOBS.c.id == REVIEWS.c.job_id)
        .where(
            REVIEWS.c.posted_at >= since,
            JOBS.c.uploaded_at.is_not(None),
            JOBS.c.kind == JobKind.NEW.value,
        )
        .order_by(REVIEWS.c.posted_at.desc())
        .limit(LATENCY_SAMPLE)
    )
    with _engine(store).connect() as conn:
        values = sorted(
            max(0.0, _seconds(posted - uploaded)) for uploaded, posted in conn.execute(query)
        )
    return Latency(
        count=len(values),
        p50=percentile(values, 0.50),
        p95=percentile(values, 0.95),
        max=values[-1] if values else None,
    )


def _hour(column: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return cast(ColumnElement[Any], func.date_trunc("hour", column))
    # SQLite keeps naive UTC text ("YYYY-MM-DD HH:MM:SS.ffffff").
    return cast(ColumnElement[Any], func.strftime("%Y-%m-%d %H:00:00", column))


def _as_hour(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_utc(value).replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class HourBucket:
    start: datetime
    counts: dict[str, int] = field(default_factory=dict)  # final status -> jobs finished

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def throughput(
    store: Store | Engine, *, hours: int = 24, now: datetime | None = None
) -> list[HourBucket]:
    """Jobs finished per hour and final status over the last ``hours`` hours, oldest first.

    Every hour of the window is present, empty ones included.
    """
    end = _now(now).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end - timedelta(hours=hours)
    engine = _engine(store)
    bucket = _hour(JOBS.c.finished_at, engine.dialect.name).label("hour")
    query = (
        select(bucket, JOBS.c.status, func.count())
        .where(JOBS.c.finished_at.is_not(None), JOBS.c.finished_at >= start)
        .group_by(bucket, JOBS.c.status)
    )
    per_hour: dict[datetime, dict[str, int]] = {}
    with engine.connect() as conn:
        for hour, status, count in conn.execute(query):
            per_hour.setdefault(_as_hour(hour), {})[str(status)] = int(count)
    return [
        HourBucket(start + timedelta(hours=i), per_hour.get(start + timedelta(hours=i), {}))
        for i in range(hours)
    ]


# -- the change listing -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeFilter:
    project: str = ""
    verdict: str = ""  # a review verdict, or "none" for jobs without a review
    status: str = ""  # a JobStatus value
    text: str = ""  # searched in subject, owner, project, requester, change number
    sort: str = "when"
    descending: bool = True


@dataclass(frozen=True)
class ChangeRow:
    """One processed (or queued) patch set job with its review, if any."""

    job_id: int
    kind: str
    project: str
    change: int
    patchset: int
    subject: str
    owner: str
    branch: str
    requested_by: str
    status: str
    reason: str
    attempts: int
    created_at: datetime
    finished_at: datetime | None
    uploaded_at: datetime | None
    review_id: int | None
    verdict: str | None
    finding_count: int | None
    suppressed_count: int | None
    duration_ms: float | None
    posted_at: datetime | None


def _latest_review_ids() -> Any:
    """job id → its newest review id (a job normally records one review)."""
    return (
        select(REVIEWS.c.job_id, func.max(REVIEWS.c.id).label("review_id"))
        .group_by(REVIEWS.c.job_id)
        .subquery("latest")
    )


def _listing(flt: ChangeFilter) -> tuple[Select[Any], list[ColumnElement[bool]]]:
    latest = _latest_review_ids()
    reviews = REVIEWS.alias("r")
    query = (
        select(
            JOBS.c.id.label("job_id"),
            JOBS.c.kind,
            JOBS.c.project,
            JOBS.c.change,
            JOBS.c.patchset,
            JOBS.c.subject,
            JOBS.c.owner,
            JOBS.c.branch,
            JOBS.c.requested_by,
            JOBS.c.status,
            JOBS.c.reason,
            JOBS.c.attempts,
            JOBS.c.created_at,
            JOBS.c.finished_at,
            JOBS.c.uploaded_at,
            reviews.c.id.label("review_id"),
            reviews.c.verdict,
            reviews.c.finding_count,
            reviews.c.suppressed_count,
            reviews.c.duration_ms,
            reviews.c.posted_at,
        )
        .select_from(JOBS)
        .outerjoin(latest, latest.c.job_id == JOBS.c.id)
        .outerjoin(reviews, reviews.c.id == latest.c.review_id)
    )
    where: list[ColumnElement[bool]] = []
    if flt.project:
        where.append(JOBS.c.project == flt.project)
    if flt.status:
        where.append(JOBS.c.status == flt.status)
    if flt.verdict == "none":
        where.append(reviews.c.id.is_(None))
    elif flt.verdict:
        where.append(reviews.c.verdict == flt.verdict)
    text = flt.text.strip()
    if text:
        terms: list[ColumnElement[bool]] = [
            JOBS.c.subject.icontains(text, autoescape=True),
            JOBS.c.owner.icontains(text, autoescape=True),
            JOBS.c.project.icontains(text, autoescape=True),
            JOBS.c.requested_by.icontains(text, autoescape=True),
            JOBS.c.branch.icontains(text, autoescape=True),
        ]
        if text.isdigit() and len(text) < 10:
            terms.append(JOBS.c.change == int(text))
        else:
            terms.append(sql_cast(JOBS.c.change, String).icontains(text, autoescape=True))
        where.append(or_(*terms))
    sort_columns: dict[str, Any] = {
        "when": JOBS.c.created_at,
        "change": JOBS.c.change,
        "project": JOBS.c.project,
        "verdict": reviews.c.verdict,
        "findings": reviews.c.finding_count,
        "duration": reviews.c.duration_ms,
        "status": JOBS.c.status,
        "owner": JOBS.c.owner,
    }
    column = sort_columns.get(flt.sort, JOBS.c.created_at)
    primary = column.desc().nulls_last() if flt.descending else column.asc().nulls_last()
    secondary = JOBS.c.id.desc() if flt.descending else JOBS.c.id.asc()
    extra = [JOBS.c.patchset.desc() if flt.descending else JOBS.c.patchset.asc()]
    if flt.sort == "change":
        query = query.order_by(primary, *extra, secondary)
    else:
        query = query.order_by(primary, secondary)
    return query.where(and_(*where)) if where else query, where


def list_changes(
    store: Store | Engine, flt: ChangeFilter, *, limit: int = 50, offset: int = 0
) -> tuple[list[ChangeRow], int]:
    """One page of the listing and the total number of rows matching ``flt``."""
    query, _ = _listing(flt)
    count_query = select(func.count()).select_from(query.order_by(None).subquery())
    with _engine(store).connect() as conn:
        total = int(conn.execute(count_query).scalar_one())
        rows = conn.execute(query.limit(limit).offset(offset)).mappings().all()
    return [_change_row(r) for r in rows], total


def _change_row(r: Any) -> ChangeRow:
    def opt_int(v: Any) -> int | None:
        return None if v is None else int(v)

    return ChangeRow(
        job_id=int(r["job_id"]),
        kind=str(r["kind"]),
        project=str(r["project"]),
        change=int(r["change"]),
        patchset=int(r["patchset"]),
        subject=str(r["subject"]),
        owner=str(r["owner"]),
        branch=str(r["branch"]),
        requested_by=str(r["requested_by"]),
        status=str(r["status"]),
        reason=str(r["reason"]),
        attempts=int(r["attempts"]),
        created_at=r["created_at"],
        finished_at=r["finished_at"],
        uploaded_at=r["uploaded_at"],
        review_id=opt_int(r["review_id"]),
        verdict=None if r["verdict"] is None else str(r["verdict"]),
        finding_count=opt_int(r["finding_count"]),
        suppressed_count=opt_int(r["suppressed_count"]),
        duration_ms=None if r["duration_ms"] is None else float(r["duration_ms"]),
        posted_at=r["posted_at"],
    )


def projects(store: Store | Engine, *, limit: int = 500) -> list[str]:
    """Projects with at least one job, alphabetically (for the filter menu)."""
    query = select(JOBS.c.project).distinct().order_by(JOBS.c.project).limit(limit)
    with _engine(store).connect() as conn:
        return [str(p) for (p,) in conn.execute(query)]


def verdicts(store: Store | Engine) -> list[str]:
    """Verdicts that occur in the store, alphabetically (for the filter menu)."""
    query = select(REVIEWS.c.verdict).distinct().order_by(REVIEWS.c.verdict)
    with _engine(store).connect() as conn:
        return [str(v) for (v,) in conn.execute(query)]


def jobs_of_patchset(store: Store | Engine, change: int, patchset: int) -> list[ChangeRow]:
    """Every job of one patch set (new upload, rechecks, re-runs), newest first."""
    flt = ChangeFilter()
    query, _ = _listing(flt)
    query = query.where(JOBS.c.change == change, JOBS.c.patchset == patchset)
    with _engine(store).connect() as conn:
        rows = conn.execute(query.limit(100)).mappings().all()
    return [_change_row(r) for r in rows]


def status_values() -> list[str]:
    return [s.value for s in JobStatus]
