"""Find new patch sets on Gerrit and queue one job for each.

One query pages through the open changes updated since the last poll (see
:mod:`bot.triggers.cursor` for the window). Each current patch set becomes at most
one job, keyed by :func:`~bot.store.patchset_key`: the store's unique key drops
repeats from overlapping windows and restarts. A patch set that touches no test
code is recorded as skipped, so the dashboard can say so. A change record that does
not validate is skipped with one log line; the poll goes on.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.analysis import TestPathMatcher
from bot.config import PollConfig, ReviewConfig
from bot.gerrit.models import AccountInfo, ChangeInfo
from bot.gerrit.source import GerritSource, InvalidChange
from bot.store import JobKind, JobSpec, JobStatus, Store, patchset_key
from bot.triggers.cursor import advance_cursor, latest_update, window_start

log = logging.getLogger("bot.poller")

CURSOR = "poll:changes"


@dataclass
class PollResult:
    seen: int = 0
    enqueued: int = 0
    skipped: int = 0
    known: int = 0


class Poller:
    """Turns Gerrit's recently updated changes into queued review jobs."""

    def __init__(
        self,
        source: GerritSource,
        store: Store,
        poll: PollConfig,
        review: ReviewConfig,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.source = source
        self.store = store
        self.poll = poll
        self.review = review
        self.matcher = TestPathMatcher(review.test_globs)
        self.clock = clock

    def since(self, now: datetime) -> datetime:
        return window_start(self.store, CURSOR, self.poll, now)

    def poll_once(self) -> PollResult:
        result = PollResult()
        newest: datetime | None = None
        for change in self.source.open_changes(self.since(self.clock())):
            result.seen += 1
            newest = latest_update(newest, change.updated)
            if isinstance(change, InvalidChange):
                log.warning(
                    "poll: ignoring a change without the expected fields (%s)", change.error
                )
                continue
            self._consider(change, result)
        advance_cursor(self.store, CURSOR, newest)
        log.info(
            "poll: %d changes seen, %d queued, %d skipped (no test code), %d already known",
            result.seen,
            result.enqueued,
            result.skipped,
            result.known,
        )
        return result

    def _consider(self, change: ChangeInfo, result: PollResult) -> None:
        revision = change.current_revision_info
        if revision is None or not isinstance(revision.number, int):
            log.warning(
                "poll: ignoring change %s without the expected fields (no current revision)",
                change.number,
            )
            return
        patchset = revision.number
        paths = [p for p in (revision.files or {}) if not p.startswith("/")]
        spec = JobSpec(
            trigger_key=patchset_key(change.project, change.number, patchset),
            kind=JobKind.NEW,
            project=change.project,
            change=change.number,
            patchset=patchset,
            revision=change.current_revision or "",
            subject=change.subject,
            owner=_owner(change.owner),
            branch=change.branch,
            uploaded_at=revision.created,
        )
        if self.review.require_test_files and not any(self.matcher.is_test(p) for p in paths):
            spec = dataclasses.replace(
                spec, status=JobStatus.SKIPPED, reason="touches no test code"
            )
        job = self.store.enqueue(spec)
        if job is None:
            result.known += 1
        elif job.status == JobStatus.SKIPPED:
            result.skipped += 1
            log.info(
                "change %s patch set %s touches no test code: skipped", change.number, patchset
            )
        else:
            result.enqueued += 1
            log.info("change %s patch set %s queued for review", change.number, patchset)


def _owner(owner: AccountInfo) -> str:
    if owner.name or owner.username:
        return str(owner.name or owner.username)
    return "" if owner.account_id is None else str(owner.account_id)
