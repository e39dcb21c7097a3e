"""Read-only aggregations for the dashboard, over the store's tables.

Every function takes the :class:`~bot.store.Store` (it uses only its engine),
runs one short read transaction and returns plain Python values, so the
dashboard's HTML and JSON views share them.  The SQL is SQLAlchemy Core and
works on SQLite and PostgreSQL; the dialect-specific pieces are truncating a
timestamp to the hour and the subject search (SQLite's FTS5 table, PostgreSQL's
trigram index, both made by migration 0005).

Every query costs what the page shows, not what the store holds (a year of
OpenStack is a million jobs): totals come from ``job_counts`` (kept exact by
triggers) or are counted up to :data:`COUNT_CAP`; the change list seeks through
an index per sort (keyset pagination, no ``OFFSET``); time series read a
bounded window.  ``tests/unit/test_query_plans.py`` checks each query's plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    String,
    Table,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
    union_all,
)
from sqlalchemy import (
    text as sql_text,
)

from bot.analysis import cwe_name, pillars
from bot.store.records import FindingRow, JobKind, JobStatus
from bot.store.schema import (
    FindingCountModel,
    FindingModel,
    JobCountModel,
    JobModel,
    PollCursorModel,
    ReviewModel,
    to_utc,
)
from bot.store.store import Store
from bot.store.store import _finding_row as finding_row

JOBS = cast(Table, JobModel.__table__)
REVIEWS = cast(Table, ReviewModel.__table__)
FINDINGS = cast(Table, FindingModel.__table__)
CURSORS = cast(Table, PollCursorModel.__table__)
COUNTS = cast(Table, JobCountModel.__table__)
FINDING_COUNTS = cast(Table, FindingCountModel.__table__)

#: ``jobs.verdict`` of a job without a review.
NO_VERDICT = ""

#: How the change listing can be sorted (public name → column label).
SORT_KEYS = ("when", "change", "project", "verdict", "findings", "duration", "status", "owner")

#: The newest reviews the latency percentiles are computed from (all are counted).
LATENCY_SAMPLE = 5_000


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


def status_counts(store: Store | Engine) -> dict[str, int]:
    """Jobs per status, every status present (from ``job_counts``, kept by triggers)."""
    counts = {s.value: 0 for s in JobStatus}
    query = select(COUNTS.c.status, func.sum(COUNTS.c.n)).group_by(COUNTS.c.status)
    with _engine(store).connect() as conn:
        for status, number in conn.execute(query):
            counts[str(status)] = int(number or 0)
    return counts


def verdict_counts(store: Store | Engine) -> dict[str, int]:
    """Jobs per verdict of their newest review (from ``job_counts``); verdicts with none left out.

    A job records one review, so this is also the number of reviews per verdict.
    """
    query = (
        select(COUNTS.c.verdict, func.sum(COUNTS.c.n))
        .where(COUNTS.c.verdict != NO_VERDICT)
        .group_by(COUNTS.c.verdict)
    )
    with _engine(store).connect() as conn:
        return {str(v): int(n) for v, n in conn.execute(query) if n}


@dataclass(frozen=True)
class RuleCount:
    rule: str
    hits: int  # unsuppressed findings
    suppressed: int  # findings silenced by ``# nosec``
    cwe: int


@dataclass(frozen=True)
class FindingTally:
    """Findings of one rule, CWE and suppression state."""

    rule: str
    cwe: int
    suppressed: bool
    count: int


def finding_tallies(store: Store | Engine) -> list[FindingTally]:
    """Every finding counted by (rule, suppressed, cwe), from ``finding_counts`` (kept exact
    by triggers), shared by the per-rule and the per-CWE figures."""
    counts = FINDING_COUNTS.c
    query = select(counts.rule, counts.suppressed, counts.cwe, counts.n).where(counts.n > 0)
    with _engine(store).connect() as conn:
        return [
            FindingTally(str(rule), int(cwe or 0), bool(suppressed), int(n))
            for rule, suppressed, cwe, n in conn.execute(query)
        ]


def findings_by_rule(
    store: Store | Engine, tallies: Sequence[FindingTally] | None = None
) -> list[RuleCount]:
    """Findings and suppressions per rule, most hits first."""
    hits: dict[str, int] = {}
    silenced: dict[str, int] = {}
    cwes: dict[str, int] = {}
    for t in finding_tallies(store) if tallies is None else tallies:
        target = silenced if t.suppressed else hits
        target[t.rule] = target.get(t.rule, 0) + t.count
        cwes[t.rule] = max(cwes.get(t.rule, 0), t.cwe)
    rules = sorted(cwes, key=lambda r: (-hits.get(r, 0), r))
    return [RuleCount(r, hits.get(r, 0), silenced.get(r, 0), cwes[r]) for r in rules]


def findings_by_cwe(
    store: Store | Engine,
    *,
    include_suppressed: bool = False,
    tallies: Sequence[FindingTally] | None = None,
) -> dict[int, int]:
    counts: dict[int, int] = {}
    for t in finding_tallies(store) if tallies is None else tallies:
        if include_suppressed or not t.suppressed:
            counts[t.cwe] = counts.get(t.cwe, 0) + t.count
    return counts


def findings_by_pillar(
    store: Store | Engine, tallies: Sequence[FindingTally] | None = None
) -> list[tuple[int, str, int]]:
    """``(pillar id, pillar name, unsuppressed findings)``, most findings first.

    The pillar is derived from the CWE through MITRE's CWE-1000 view, the same
    way the engine derives it, so it is computed from the per-CWE counts.
    """
    totals: dict[int, int] = {}
    for cwe_id, count in findings_by_cwe(store, tallies=tallies).items():
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


def _latency_seconds(dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return cast(
            ColumnElement[Any], func.extract("epoch", JOBS.c.finished_at - JOBS.c.uploaded_at)
        )
    # SQLite keeps naive UTC text; julianday() reads it.
    return cast(
        ColumnElement[Any],
        (func.julianday(JOBS.c.finished_at) - func.julianday(JOBS.c.uploaded_at)) * 86400.0,
    )


def review_latency(
    store: Store | Engine, *, window: timedelta = timedelta(days=7), now: datetime | None = None
) -> Latency:
    """Upload-to-posted latency (seconds) of new uploads reviewed within ``window``.

    A review is recorded in the transaction that finishes its job, at the same instant, so
    this reads the jobs alone, through the covering index on ``finished_at``; carried
    verdicts count too (they answer a patch set as well).  The percentiles come from the
    newest :data:`LATENCY_SAMPLE`, read as plain numbers; ``count`` is all of the window's.
    """
    since = _now(now) - window
    engine = _engine(store)
    reviewed = (JobStatus.POSTED.value, JobStatus.CARRIED.value)
    in_window = (
        JOBS.c.finished_at >= since,
        JOBS.c.kind == JobKind.NEW.value,
        JOBS.c.uploaded_at.is_not(None),
        # ``status || ''``: no index on the status alone may be taken for this (it would
        # read most of the table); the window's range of the covering index is the plan.
        JOBS.c.status.concat("").in_(reviewed),
    )
    query = (
        select(_latency_seconds(engine.dialect.name))
        .where(*in_window)
        .order_by(JOBS.c.finished_at.desc())
        .limit(LATENCY_SAMPLE)
    )
    with engine.connect() as conn:
        values = sorted(max(0.0, float(v or 0.0)) for v in conn.execute(query).scalars())
        count = len(values)
        if count == LATENCY_SAMPLE:  # a sample: count the whole window apart
            count = int(conn.execute(select(func.count()).where(*in_window)).scalar_one())
    return Latency(
        count=count,
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


#: :func:`count_changes` counts a search's matches up to this many.
COUNT_CAP = 200

#: A search text this short has no trigram to look up (a change number always works).
MIN_SEARCH = 3

#: The searched fields as one PostgreSQL expression, exactly as migration 0005 indexes it
#: with ``pg_trgm`` (a newline between fields, so no match spans two of them).
PG_SEARCH_EXPRESSION = "subject || E'\\n' || owner || E'\\n' || project || E'\\n' || branch" + (
    " || E'\\n' || requested_by"
)

#: Each sort's key on ``jobs``; the job id ends every key (the tie-breaker and the seek's
#: anchor), and every key is an index of migration 0005.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "when": ("id",),  # ids grow as jobs are queued: newest first means highest id first
    "change": ("change", "patchset", "id"),
    "project": ("project", "id"),
    "verdict": ("verdict", "id"),
    "findings": ("finding_count", "id"),
    "duration": ("duration_ms", "id"),
    "status": ("status", "id"),
    "owner": ("owner", "id"),
}

_LISTED = (
    "id",
    "kind",
    "project",
    "change",
    "patchset",
    "subject",
    "owner",
    "branch",
    "requested_by",
    "status",
    "reason",
    "attempts",
    "created_at",
    "finished_at",
    "uploaded_at",
)


@dataclass(frozen=True)
class ChangePage:
    """One page of the change list and how to reach its neighbours.

    ``total`` is exact when ``exact``; otherwise at least ``total`` rows match (the count
    stopped at :data:`COUNT_CAP`).  ``after`` / ``before`` are the job ids to seek from for
    the next (further down the list) and the previous page, None at either end.
    """

    rows: list[ChangeRow]
    total: int
    exact: bool
    after: int | None
    before: int | None
    search_too_short: bool = False


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(text: str) -> str:
    """``text`` as one FTS5 phrase: with the trigram tokenizer, a substring match."""
    return '"' + text.replace('"', '""') + '"'


#: SQLite's FTS5 table of the searched fields (migration 0005); its rowid is the job id.
FTS = table("jobs_search", column("rowid"))


def _fts_match(text: str) -> ColumnElement[bool]:
    return cast(
        ColumnElement[bool], sql_text("jobs_search MATCH :fts").bindparams(fts=fts_query(text))
    )


def _text_condition(text: str, dialect: str) -> ColumnElement[bool] | None:
    """Rows whose searched fields contain ``text`` (or whose change number it is), through
    the search index; None when ``text`` is too short for it and is no change number."""
    terms: list[ColumnElement[bool]] = []
    if text.isdigit() and len(text) < 10:
        terms.append(JOBS.c.change == int(text))
    if len(text) >= MIN_SEARCH:
        if dialect == "sqlite":
            matches: Select[Any] = select(FTS.c.rowid).where(_fts_match(text))
            terms.append(JOBS.c.id.in_(matches))
        elif dialect == "postgresql":
            expression = literal_column(f"({PG_SEARCH_EXPRESSION})", String)
            terms.append(expression.ilike(f"%{_like_escape(text)}%", escape="\\"))
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            fields = [JOBS.c[name] for name in ("subject", "owner", "project", "branch")]
            terms.append(or_(*(f.icontains(text, autoescape=True) for f in fields)))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else or_(*terms)


def _fts_driven(flt: ChangeFilter, dialect: str) -> bool:
    """Whether the search index itself hands over the matches, newest first: on SQLite, for
    a text (not a change number) in the default order, FTS5 walks its matches by rowid and
    stops at the page's end instead of collecting every match first."""
    text = flt.text.strip()
    number = text.isdigit() and len(text) < 10
    return dialect == "sqlite" and flt.sort == "when" and len(text) >= MIN_SEARCH and not number


def _conditions(
    flt: ChangeFilter, dialect: str, *, text_too: bool = True
) -> list[ColumnElement[bool]] | None:
    """The filter as conditions on ``jobs`` alone; None when nothing can match."""
    where: list[ColumnElement[bool]] = []
    if flt.project:
        where.append(JOBS.c.project == flt.project)
    if flt.status:
        where.append(JOBS.c.status == flt.status)
    if flt.verdict == "none":
        where.append(JOBS.c.verdict == NO_VERDICT)
    elif flt.verdict:
        where.append(JOBS.c.verdict == flt.verdict)
    text = flt.text.strip()
    if text:
        condition = _text_condition(text, dialect)
        if condition is None:
            return None
        if text_too:
            where.append(condition)
    return where


def count_changes(conn: Connection, flt: ChangeFilter) -> tuple[int, bool]:
    """How many rows match ``flt``: (number, exact).

    Without a search the exact number comes from ``job_counts`` (a few hundred rows at
    most); a search's matches are counted up to :data:`COUNT_CAP`, through its index.
    """
    where = _conditions(flt, conn.dialect.name)
    if where is None:
        return 0, True
    if not flt.text.strip():
        query = select(func.coalesce(func.sum(COUNTS.c.n), 0))
        if flt.project:
            query = query.where(COUNTS.c.project == flt.project)
        if flt.status:
            query = query.where(COUNTS.c.status == flt.status)
        if flt.verdict:
            verdict = NO_VERDICT if flt.verdict == "none" else flt.verdict
            query = query.where(COUNTS.c.verdict == verdict)
        return int(conn.execute(query).scalar_one()), True
    if _fts_driven(flt, conn.dialect.name):
        others = _conditions(flt, conn.dialect.name, text_too=False) or []
        matches = select(FTS.c.rowid).where(_fts_match(flt.text.strip()))
        if others:
            matches = matches.join_from(FTS, JOBS, JOBS.c.id == FTS.c.rowid).where(*others)
        capped = matches.limit(COUNT_CAP + 1).subquery()
    else:
        capped = select(JOBS.c.id).where(*where).limit(COUNT_CAP + 1).subquery()
    n = int(conn.execute(select(func.count()).select_from(capped)).scalar_one())
    return min(n, COUNT_CAP), n <= COUNT_CAP


def page_query(
    flt: ChangeFilter,
    dialect: str,
    *,
    limit: int,
    anchor: Sequence[Any] | None = None,
    backwards: bool = False,
) -> Select[Any] | None:
    """The SELECT of one page of job rows: seek past ``anchor`` (the sort key of the row the
    page starts after), in the listing's order or, ``backwards``, against it."""
    where = _conditions(flt, dialect)
    if where is None:
        return None
    key = [JOBS.c[name] for name in SORT_COLUMNS.get(flt.sort, SORT_COLUMNS["when"])]
    descending = flt.descending != backwards
    columns = [JOBS.c[name] for name in _LISTED] + [c for c in key if c.name not in _LISTED]

    def ordered(query: Select[Any], cols: Sequence[Any]) -> Select[Any]:
        return query.order_by(*(c.desc() if descending else c.asc() for c in cols))

    if _fts_driven(flt, dialect):
        others = _conditions(flt, dialect, text_too=False) or []
        rowid = FTS.c.rowid
        query = (
            select(*columns)
            .select_from(FTS)
            .join(JOBS, JOBS.c.id == rowid)
            .where(_fts_match(flt.text.strip()), *others)
        )
        if anchor is not None:
            query = query.where(rowid < anchor[0] if descending else rowid > anchor[0])
        return query.order_by(rowid.desc() if descending else rowid.asc()).limit(limit)
    if anchor is None:
        return ordered(select(*columns).where(*where), key).limit(limit)
    values = [literal(v, c.type) for c, v in zip(key, anchor, strict=True)]

    def past(column: Any, value: Any) -> ColumnElement[bool]:
        return cast(ColumnElement[bool], column < value if descending else column > value)

    if dialect != "sqlite" or len(key) == 1:
        # PostgreSQL seeks a B-tree with the whole row comparison.
        seek = past(tuple_(*key), tuple_(*values))
        return ordered(select(*columns).where(*where, seek), key).limit(limit)
    # SQLite ranges an index on a row value's leading columns only, and scans every tie of
    # them: seek each prefix apart instead (equal on the first i columns, past on the next),
    # each branch one index range of at most ``limit`` rows, then merge the few rows.
    branches = []
    for i in range(len(key)):
        same = [key[j] == values[j] for j in range(i)]
        branch = ordered(select(*columns).where(*where, *same, past(key[i], values[i])), key)
        branches.append(select(branch.limit(limit).subquery()))
    merged = union_all(*branches).subquery("page")
    return ordered(select(merged), [merged.c[c.name] for c in key]).limit(limit)


def _anchor(conn: Connection, flt: ChangeFilter, job_id: int) -> tuple[Any, ...] | None:
    names = SORT_COLUMNS.get(flt.sort, SORT_COLUMNS["when"])
    row = conn.execute(select(*(JOBS.c[n] for n in names)).where(JOBS.c.id == job_id)).first()
    return None if row is None else tuple(row)


def list_changes(
    store: Store | Engine,
    flt: ChangeFilter,
    *,
    limit: int = 50,
    after: int | None = None,
    before: int | None = None,
) -> ChangePage:
    """One page of the listing (keyset pagination), its total and its neighbours.

    ``after`` starts the page below that job, ``before`` ends it above that job; a job
    id that no longer exists starts from the top.  Each page is one index range scan of
    ``limit + 1`` rows whatever its depth, plus one lookup of the page's reviews.
    """
    engine = _engine(store)
    dialect = engine.dialect.name
    searching = bool(flt.text.strip())
    with engine.connect() as conn:
        # A search is not counted (that would evaluate every match): its page tells.
        total, exact = (0, False) if searching else count_changes(conn, flt)
        cursor = before if before is not None else after
        anchor = None if cursor is None else _anchor(conn, flt, cursor)
        backwards = anchor is not None and before is not None
        query = page_query(flt, dialect, limit=limit + 1, anchor=anchor, backwards=backwards)
        if query is None:
            return ChangePage([], 0, True, None, None, search_too_short=True)
        if exact and total == 0:  # nothing to look for (a rare mix of filters)
            return ChangePage([], 0, True, None, None)
        found = list(conn.execute(query).mappings())
        more = len(found) > limit
        found = found[:limit]
        if backwards:
            found.reverse()
        rows = _with_reviews(conn, found)
    if backwards:
        has_before, has_after = more, True
    else:
        has_before, has_after = anchor is not None, more
    if searching:  # exact when this one page holds every match, else "more than"
        total, exact = len(rows), not (has_before or has_after)
    if not rows:
        return ChangePage([], total, exact, None, None)
    return ChangePage(
        rows,
        total,
        exact,
        after=rows[-1].job_id if has_after else None,
        before=rows[0].job_id if has_before else None,
    )


def _with_reviews(conn: Connection, jobs: Sequence[Any]) -> list[ChangeRow]:
    """The job rows with their newest review each (one indexed lookup for the page)."""
    ids = [int(j["id"]) for j in jobs]
    latest: dict[int, Any] = {}
    if ids:
        query = select(
            REVIEWS.c.job_id,
            REVIEWS.c.id,
            REVIEWS.c.verdict,
            REVIEWS.c.finding_count,
            REVIEWS.c.suppressed_count,
            REVIEWS.c.duration_ms,
            REVIEWS.c.posted_at,
        ).where(REVIEWS.c.job_id.in_(ids))
        for r in conn.execute(query):  # a job normally has one review; the newest counts
            held = latest.get(int(r.job_id))
            if held is None or int(held.id) < int(r.id):
                latest[int(r.job_id)] = r
    return [_change_row(j, latest.get(int(j["id"]))) for j in jobs]


def _change_row(j: Any, r: Any) -> ChangeRow:
    return ChangeRow(
        job_id=int(j["id"]),
        kind=str(j["kind"]),
        project=str(j["project"]),
        change=int(j["change"]),
        patchset=int(j["patchset"]),
        subject=str(j["subject"]),
        owner=str(j["owner"]),
        branch=str(j["branch"]),
        requested_by=str(j["requested_by"]),
        status=str(j["status"]),
        reason=str(j["reason"]),
        attempts=int(j["attempts"]),
        created_at=j["created_at"],
        finished_at=j["finished_at"],
        uploaded_at=j["uploaded_at"],
        review_id=None if r is None else int(r.id),
        verdict=None if r is None else str(r.verdict),
        finding_count=None if r is None else int(r.finding_count),
        suppressed_count=None if r is None else int(r.suppressed_count),
        duration_ms=None if r is None else float(r.duration_ms),
        posted_at=None if r is None else r.posted_at,
    )


#: The distinct projects, one index seek each (a "loose index scan"): neither SQLite nor
#: PostgreSQL skips through an index for ``SELECT DISTINCT`` by themselves.
_PROJECTS = sql_text(
    """
    WITH RECURSIVE p (name, k) AS (
      SELECT (SELECT min(project) FROM jobs), 1
      UNION ALL
      SELECT (SELECT min(project) FROM jobs WHERE project > p.name), p.k + 1
      FROM p WHERE p.name IS NOT NULL AND p.k < :limit
    )
    SELECT name FROM p WHERE name IS NOT NULL
    """
)


def projects(store: Store | Engine, *, limit: int = 500) -> list[str]:
    """Projects with at least one job, alphabetically (for the filter menu)."""
    with _engine(store).connect() as conn:
        return [str(p) for (p,) in conn.execute(_PROJECTS, {"limit": limit})]


def verdicts(store: Store | Engine) -> list[str]:
    """Verdicts that occur in the store, alphabetically (for the filter menu)."""
    query = (
        select(COUNTS.c.verdict)
        .where(COUNTS.c.verdict != NO_VERDICT)
        .group_by(COUNTS.c.verdict)
        .having(func.sum(COUNTS.c.n) > 0)
        .order_by(COUNTS.c.verdict)
    )
    with _engine(store).connect() as conn:
        return [str(v) for (v,) in conn.execute(query)]


def jobs_of_patchset(store: Store | Engine, change: int, patchset: int) -> list[ChangeRow]:
    """Every job of one patch set (new upload, rechecks, re-runs), newest first (at most 100)."""
    query = (
        select(*(JOBS.c[name] for name in _LISTED))
        .where(JOBS.c.change == change, JOBS.c.patchset == patchset)
        .order_by(JOBS.c.id.desc())
        .limit(100)
    )
    with _engine(store).connect() as conn:
        return _with_reviews(conn, list(conn.execute(query).mappings()))


def status_values() -> list[str]:
    return [s.value for s in JobStatus]


# -- one patch set's findings -----------------------------------------------------------------


def findings_page(
    store: Store | Engine, review_id: int, *, suppressed: bool, limit: int, offset: int = 0
) -> list[FindingRow]:
    """One page of a review's findings (or its suppressed ones), in file and line order.

    One range of ``ix_findings_review_order``; the offset stays within one review, whose
    findings the analysis caps.
    """
    query = (
        select(FINDINGS)
        .where(FINDINGS.c.review_id == review_id, FINDINGS.c.suppressed.is_(suppressed))
        .order_by(FINDINGS.c.path, FINDINGS.c.line, FINDINGS.c.id)
        .limit(limit)
        .offset(offset)
    )
    with _engine(store).connect() as conn:
        return [finding_row(r) for r in conn.execute(query).mappings()]
