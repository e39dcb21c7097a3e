"""The store's public value types: what callers pass in and get back.

Callers never see ORM objects; every read returns a frozen snapshot. The job-key
constructors are here too: a job's ``trigger_key`` is what makes a trigger seen twice
one job, so its formats are written in this module only, and every producer of jobs
(the triggers, ``security-bot review``, the dashboard) calls these functions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.analysis.model import Finding, Severity, Suppression


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    POSTED = "posted"
    CARRIED = "carried"
    SKIPPED = "skipped"
    FAILED = "failed"


class JobKind(StrEnum):
    NEW = "new"
    RECHECK = "recheck"
    RERUN = "rerun"
    REFUSAL = "refusal"  # a recheck request refused (allow list, rate limit): reply saying why


# -- job keys -------------------------------------------------------------------------------------


def patchset_key(project: str, change: int, patchset: int) -> str:
    """A new patch set: one job however many polls see it."""
    return f"ps:{project}:{change}:{patchset}"


def recheck_key(change: int, message_id: str) -> str:
    """A ``recheck-security`` request, keyed by the change message it belongs to."""
    return f"recheck:{change}:{message_id}"


def rerun_key() -> str:
    """A re-run asked for on the dashboard: every request is a new job."""
    return f"rerun:{uuid.uuid4().hex}"


def manual_key() -> str:
    """A review asked for with ``security-bot review``: every request is a new job."""
    return f"manual:{uuid.uuid4().hex}"


#: The reason a REFUSAL job ends with starts with this; the rest is the reply it posted.
REFUSED = "refused: "


def refusal_reason(reply: str) -> str:
    """The reason recorded for a refused recheck request whose reply is ``reply``."""
    return REFUSED + reply


@dataclass(frozen=True)
class JobSpec:
    """What the poller (or the dashboard) asks the store to enqueue."""

    trigger_key: str  # unique; made by patchset_key(), recheck_key(), rerun_key(), manual_key()
    kind: JobKind
    project: str
    change: int
    patchset: int
    revision: str  # commit sha
    subject: str = ""
    owner: str = ""
    branch: str = ""
    uploaded_at: datetime | None = None  # patch set creation time (for latency)
    requested_by: str = ""  # recheck / rerun requester
    status: JobStatus = JobStatus.PENDING  # e.g. SKIPPED, recorded directly by the poller
    reason: str = ""
    reply: str = ""  # REFUSAL jobs: the reply to post, decided when the request was seen


@dataclass(frozen=True)
class Job:
    """A snapshot of a job row."""

    id: int
    trigger_key: str
    kind: JobKind
    project: str
    change: int
    patchset: int
    revision: str
    subject: str
    owner: str
    branch: str
    requested_by: str
    status: JobStatus
    reason: str
    reply: str  # what a REFUSAL job posts ("" for every other kind)
    attempts: int
    run_marker: str  # uuid4 hex made once at enqueue; the same on every claim
    lease_owner: str | None
    lease_expires: datetime | None
    not_before: datetime | None
    created_at: datetime
    updated_at: datetime
    uploaded_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class JobEvent:
    id: int
    job_id: int
    at: datetime
    event: str
    detail: str


@dataclass
class ReviewRecord:
    """What the worker saves when a job ends with a review (posted or carried)."""

    verdict: str  # "clean" | "defects" | "incomplete" (a carried one keeps its own)
    message: str = ""  # the summary as posted ("" when carried)
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    carried_from: int | None = None  # patch set whose verdict was carried
    files_analysed: int = 0
    lines_changed: int = 0
    rules_run: int = 0
    duration_ms: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    findings: list[tuple[Finding, bool]] = field(default_factory=list)  # (finding, posted_inline)
    suppressed: list[Suppression] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # per-file "could not analyse" notes


@dataclass(frozen=True)
class ReviewRow:
    """A stored review.

    ``finding_count`` counts the (unsuppressed) findings recorded with it;
    ``suppressed_count`` and ``errors`` are extras the dashboard shows.
    """

    id: int
    job_id: int
    project: str
    change: int
    patchset: int
    verdict: str
    message: str
    comments: dict[str, Any]
    carried_from: int | None
    files_analysed: int
    lines_changed: int
    rules_run: int
    duration_ms: float
    timings: dict[str, Any]
    posted_at: datetime
    run_marker: str
    finding_count: int
    suppressed_count: int = 0
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class FindingRow:
    """A stored finding: the :class:`Finding` fields plus how it was handled."""

    id: int
    review_id: int
    rule: str
    cwe: int
    cwe_name: str
    pillars: tuple[int, ...]
    severity: Severity
    confidence: str
    path: str
    line: int
    end_line: int
    message: str
    recommendation: str
    code: str
    fingerprint: str
    function: str
    title: str
    suppressed: bool
    posted_inline: bool
    nosec_comment: str

    def to_finding(self) -> Finding:
        return Finding(
            rule=self.rule,
            cwe=self.cwe,
            cwe_name=self.cwe_name,
            pillars=self.pillars,
            severity=self.severity,
            confidence=self.confidence,
            path=self.path,
            line=self.line,
            end_line=self.end_line,
            message=self.message,
            recommendation=self.recommendation,
            code=self.code,
            fingerprint=self.fingerprint,
            function=self.function,
            title=self.title,
        )
