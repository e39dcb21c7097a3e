"""The decisions made before anything is fetched: skip the job, or carry a verdict over.

A job is skipped when its change is closed (merged or abandoned) or, for a new patch
set, when a newer patch set superseded it (unless ``review.review_superseded``). A new
patch set of a kind in :data:`CARRY_KINDS` gets no review of its own when an earlier
patch set of the change was reviewed: that verdict is recorded for it, with
``carried_from``. Both are plain functions of what Gerrit and the store said, so the
pipeline only asks, in the order that keeps posting exactly-once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.gerrit.models import ChangeInfo, RevisionInfo
from bot.review.report import RenderedReview
from bot.store import Job, JobKind, JobStatus, ReviewRecord, ReviewRow

log = logging.getLogger("bot.pipeline")

#: Patch sets of these kinds carry their predecessor's verdict instead of a new review.
CARRY_KINDS = frozenset(
    {"TRIVIAL_REBASE", "TRIVIAL_REBASE_WITH_MESSAGE_UPDATE", "NO_CODE_CHANGE", "NO_CHANGE"}
)


@dataclass
class Outcome:
    """How a job ended, with the review to record when there is one."""

    status: JobStatus
    reason: str = ""
    review: ReviewRecord | None = None
    rendered: RenderedReview | None = None  # for --dry-run and tests


def skip_reason(job: Job, change: ChangeInfo, *, review_superseded: bool) -> str:
    """Why the job is not reviewed at all ("" when it is)."""
    if not change.is_open:
        status = change.status.lower()
        if job.kind in (JobKind.RECHECK, JobKind.REFUSAL):
            return f"change is {status}: recheck request ignored"
        return f"change is {status}"
    current = change.current_number
    if job.kind == JobKind.NEW and current and job.patchset < current and not review_superseded:
        return f"superseded by patch set {current}"
    return ""


def carry_kind(job: Job, revision: RevisionInfo) -> str | None:
    """The revision's kind when it may carry its predecessor's verdict, else None."""
    kind = revision.kind or "REWORK"
    return kind if job.kind == JobKind.NEW and kind in CARRY_KINDS else None


def carried(job: Job, kind: str, prior: ReviewRow | None) -> Outcome | None:
    """The carried-over verdict of ``prior`` (the newest earlier review), or None to review."""
    if prior is None:
        log.info(
            "change %s patch set %s is a %s, but no earlier patch set was reviewed: reviewing it",
            job.change,
            job.patchset,
            kind,
        )
        return None
    if prior.verdict == "incomplete":
        log.info(
            "change %s patch set %s is a %s, but patch set %s was not fully analysed: reviewing it",
            job.change,
            job.patchset,
            kind,
            prior.patchset,
        )
        return None
    record = ReviewRecord(
        verdict=prior.verdict,
        carried_from=prior.carried_from or prior.patchset,
        files_analysed=prior.files_analysed,
        lines_changed=prior.lines_changed,
        rules_run=prior.rules_run,
    )
    reason = f"{kind}: verdict of patch set {record.carried_from} carried over"
    return Outcome(JobStatus.CARRIED, reason, record)
