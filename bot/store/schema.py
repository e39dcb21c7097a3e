"""The store's tables, as SQLAlchemy declarative models.

One schema serves SQLite and PostgreSQL.  Enumerations are stored as short
strings (no database enum types, so adding a status needs no type
migration), JSON goes into ``JSON`` columns, and every timestamp is a
timezone-aware UTC ``datetime`` in Python (see :class:`UTCDateTime`).

Any change here needs a new migration under ``migrations/versions``; the
test suite checks that the migrations produce exactly these tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: 64-bit ids on PostgreSQL; plain INTEGER on SQLite, where only
#: ``INTEGER PRIMARY KEY`` is an auto-incrementing rowid alias (and is 64-bit anyway).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back as an aware UTC ``datetime``.

    PostgreSQL stores ``timestamp with time zone``.  SQLite has no time zone
    support, so the value is stored as naive UTC text (which also keeps
    comparisons and ordering correct there) and made aware again on load.
    Naive values passed in are taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        value = to_utc(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # defensive: raw text from SQLite
            value = datetime.fromisoformat(value)
        return to_utc(value)


def to_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (naive values are taken to be UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class JobModel(Base):
    """One unit of work: review a patch set (new upload, recheck or dashboard re-run)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    trigger_key: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    project: Mapped[str] = mapped_column(String(255), nullable=False)
    change: Mapped[int] = mapped_column(Integer, nullable=False)
    patchset: Mapped[int] = mapped_column(Integer, nullable=False)
    revision: Mapped[str] = mapped_column(String(64), nullable=False)
    subject: Mapped[str] = mapped_column(Text, nullable=False, default="")
    owner: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    branch: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    requested_by: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # What a REFUSAL job posts, decided when the request was seen (migration 0003).
    reply: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    run_marker: Mapped[str] = mapped_column(String(32), nullable=False)
    lease_owner: Mapped[str | None] = mapped_column(String(255), nullable=True)
    lease_expires: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The newest review's verdict, findings and duration, copied here by a database trigger
    # when the review is recorded (migration 0005), so the dashboard filters and sorts on
    # one table through one index. "" / -1 mean "no review". Server defaults only, so the
    # bot's INSERT never names them (and still works against an older schema).
    verdict: Mapped[str] = mapped_column(String(16), nullable=False, server_default="")
    finding_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default="-1")
    duration_ms: Mapped[float] = mapped_column(Float, nullable=False, server_default="-1")

    __table_args__ = (
        Index("ix_jobs_status_not_before", "status", "not_before"),
        # Claiming takes the oldest claimable job first (migration 0002).
        Index("ix_jobs_status_created_at", "status", "created_at"),
        # The dashboard's filters and sorts, each ending in the id (migration 0005).
        Index("ix_jobs_change_patchset", "change", "patchset", "id"),
        Index("ix_jobs_project_id", "project", "id"),
        Index("ix_jobs_project_status_id", "project", "status", "id"),
        Index("ix_jobs_project_verdict_id", "project", "verdict", "id"),
        Index("ix_jobs_status_id", "status", "id"),
        Index("ix_jobs_verdict_id", "verdict", "id"),
        Index("ix_jobs_owner_id", "owner", "id"),
        Index("ix_jobs_finding_count_id", "finding_count", "id"),
        Index("ix_jobs_duration_ms_id", "duration_ms", "id"),
        # covers the throughput chart and the latency figures (migration 0005)
        Index(
            "ix_jobs_finished_at_status_kind_uploaded_at",
            "finished_at",
            "status",
            "kind",
            "uploaded_at",
        ),
    )


class JobEventModel(Base):
    """The history of a job: enqueued, claimed, retry, posted…"""

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    event: Mapped[str] = mapped_column(String(64), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __table_args__ = (Index("ix_job_events_job_id", "job_id"),)


class ReviewModel(Base):
    """A review recorded for a patch set (posted to Gerrit, or a carried-over verdict)."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False
    )
    project: Mapped[str] = mapped_column(String(255), nullable=False)
    change: Mapped[int] = mapped_column(Integer, nullable=False)
    patchset: Mapped[int] = mapped_column(Integer, nullable=False)
    verdict: Mapped[str] = mapped_column(String(16), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    comments: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    carried_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    files_analysed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    lines_changed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rules_run: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    duration_ms: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    timings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    errors: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    finding_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    suppressed_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    run_marker: Mapped[str] = mapped_column(String(32), nullable=False)

    __table_args__ = (
        Index("ix_reviews_change_patchset", "change", "patchset"),
        Index("ix_reviews_job_id", "job_id"),
        Index("ix_reviews_posted_at", "posted_at"),
    )


class FindingModel(Base):
    """A finding of a review; suppressed (``# nosec``) findings are kept too, flagged."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False
    )
    rule: Mapped[str] = mapped_column(String(128), nullable=False)
    cwe: Mapped[int] = mapped_column(Integer, nullable=False)
    cwe_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    pillars: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    severity: Mapped[str] = mapped_column(String(16), nullable=False)
    confidence: Mapped[str] = mapped_column(String(16), nullable=False)
    path: Mapped[str] = mapped_column(Text, nullable=False)
    line: Mapped[int] = mapped_column(Integer, nullable=False)
    end_line: Mapped[int] = mapped_column(Integer, nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    recommendation: Mapped[str] = mapped_column(Text, nullable=False)
    code: Mapped[str] = mapped_column(Text, nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(255), nullable=False)
    function: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    title: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    suppressed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    posted_inline: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    nosec_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __table_args__ = (
        # one review's findings in page order (migration 0005)
        Index("ix_findings_review_order", "review_id", "suppressed", "path", "line", "id"),
        Index("ix_findings_fingerprint", "fingerprint"),
        Index("ix_findings_rule", "rule"),
    )


class PollCursorModel(Base):
    """Where a poller left off (e.g. the newest ``updated`` timestamp seen)."""

    __tablename__ = "poll_cursors"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class FileSummaryModel(Base):
    """A file's summary for the project model, by git blob id (migration 0004): a blob's
    summary never changes, so every patch set of every change shares it."""

    __tablename__ = "file_summaries"

    blob_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class DashboardSessionModel(Base):
    """A logged-in dashboard administrator's session (migration 0006).

    Only the SHA-256 of the session id is kept (the id itself lives in the signed
    cookie), so reading this table gives no session.  Logging out deletes the row,
    and every dashboard process sharing the store stops accepting the cookie.
    """

    __tablename__ = "dashboard_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    __table_args__ = (Index("ix_dashboard_sessions_expires_at", "expires_at"),)


class JobCountModel(Base):
    """Jobs per project, status and verdict, kept exact by database triggers on ``jobs``
    (migration 0005), so the overview and the listing's totals never count a million rows."""

    __tablename__ = "job_counts"

    project: Mapped[str] = mapped_column(String(255), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)


class FindingCountModel(Base):
    """Findings per rule, CWE and suppression, kept exact by database triggers on
    ``findings`` (migration 0005), for the overview and the rules page."""

    __tablename__ = "finding_counts"

    rule: Mapped[str] = mapped_column(String(128), primary_key=True)
    cwe: Mapped[int] = mapped_column(Integer, primary_key=True)
    suppressed: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)


metadata = Base.metadata

#: What migration 0005 creates for the subject search that no model describes: SQLite's
#: FTS5 table ``jobs_search`` (and its shadow tables), PostgreSQL's trigram index.
SEARCH_OBJECT_PREFIXES = ("jobs_search", "ix_jobs_search")


def include_name(name: str | None, type_: str, parent_names: Any = None) -> bool:
    """Alembic's ``include_name`` hook: leave the search objects out of comparisons."""
    return not (name or "").startswith(SEARCH_OBJECT_PREFIXES)
