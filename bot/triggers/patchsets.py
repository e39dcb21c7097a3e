"""Find new patch sets on Gerrit and queue one job for each.

One query pages through the open changes updated since the last poll (see
:mod:`bot.triggers.cursor` for the window). Each current patch set becomes at most
one job, keyed by :func:`~bot.store.patchset_key`: the store's unique key drops
repeats from overlapping windows and restarts. A patch set that touches no test
code is recorded as skipped, so the dashboard can say so.

Gerrit's answer is not trusted to be well formed. A change record that does not
validate (a field of the wrong type, a missing one), or that the store cannot take, is
skipped with one log line and counted (:class:`PollProgress`, the metrics); the poll goes
on with the rest and never aborts for it. A query that pages past ``poll.max_pages``, or
whose page repeats what was read (a Gerrit ignoring ``S=``), stops with one warning; its
records are queued but the cursor stays, and the next poll reads the same window only up
to the oldest change read (``before:``; Gerrit answers newest first), until the window is
read to its end and the cursor moves. Nothing is lost, and no poll pages forever. A record dated
in the future is reviewed but cannot drag the cursor ahead of Gerrit's clock. What the
poll saw is kept in :attr:`Poller.progress` for ``/healthz``: when the polls stay behind
the activity Gerrit shows for longer than ``poll.stall_window``, health fails.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy.exc

from bot import metrics
from bot.analysis import TestPathMatcher
from bot.config import PollConfig, ReviewConfig
from bot.gerrit.error import PagingLimit
from bot.gerrit.models import AccountInfo, ChangeInfo
from bot.gerrit.source import GerritSource, InvalidChange
from bot.store import UNAVAILABLE, JobKind, JobSpec, JobStatus, Store, patchset_key
from bot.triggers.cursor import (
    GerritClock,
    advance_cursor,
    cursor_ahead,
    gerrit_clock,
    latest_update,
    stored_cursor,
    window_start,
)

log = logging.getLogger("bot.poller")

#: What one record's values can make the store or the job's fields raise (a NUL byte
#: PostgreSQL refuses, a number out of range): that record is skipped, not the poll.
_REFUSED = (ValueError, TypeError, LookupError, ArithmeticError, sqlalchemy.exc.DataError)

CURSOR = "poll:changes"


@dataclass
class PollResult:
    seen: int = 0
    enqueued: int = 0
    skipped: int = 0
    known: int = 0
    invalid: int = 0  # records skipped because they did not validate
    future: int = 0  # records dated past Gerrit's clock plus the margin (still reviewed)
    truncated: bool = False  # paging stopped at poll.max_pages: the cursor did not move
    repeated: bool = False  # ...because Gerrit repeated a page (it ignores S=)


@dataclass(frozen=True)
class _Resume:
    """A poll cut short: its window (the cursor it came from, its start), the oldest
    ``updated`` it read (the next poll reads up to there) and the newest (for the cursor
    once the window is read)."""

    cursor: datetime | None  # the cursor the window was computed from
    since: datetime
    before: datetime
    newest: datetime | None


@dataclass
class PollProgress:
    """What the polls saw, for ``/healthz`` (times of this host unless named Gerrit's).

    ``behind_since`` is set when a poll ends with Gerrit showing a change updated past the
    cursor that the cursor does not cover (paging was cut short), and cleared by the first
    poll that covers it; ``/healthz`` fails once it is older than ``poll.stall_window``.
    """

    last_poll: datetime | None = None
    cursor: datetime | None = None
    newest_seen: datetime | None = None  # the newest ``updated`` of the last poll (capped)
    gerrit_time: datetime | None = None  # Gerrit's clock at the end of the last poll
    behind_since: datetime | None = None
    behind_reason: str = ""
    invalid_records: int = 0  # since start
    future_records: int = 0
    truncated_polls: int = 0


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
        self.progress = PollProgress()
        self._future_logged: set[tuple[int, datetime]] = set()
        # Where a poll cut short by poll.max_pages goes on (in memory: after a restart
        # the window is simply read again from its start, losing nothing).
        self._resume: _Resume | None = None

    def gerrit_clock(self) -> GerritClock:
        """Gerrit's clock from its latest answer (this host's until one came)."""
        return gerrit_clock(self.source.server_time(), self.poll, self.clock())

    def since(self, now: datetime, clock: GerritClock | None = None) -> datetime:
        return window_start(self.store, CURSOR, self.poll, now, clock)

    def poll_once(self) -> PollResult:
        result = PollResult()
        start = self.gerrit_clock()
        ahead = cursor_ahead(self.store, CURSOR, start)
        resume = self._resume
        if resume is not None and resume.cursor != stored_cursor(self.store, CURSOR):
            resume = None  # the cursor moved on (another poller): read the new window whole
        self._resume = None
        since = resume.since if resume is not None else self.since(start.now, start)
        newest, oldest = self._read(since, resume, result)
        if resume is not None:
            newest = latest_update(newest, resume.newest)
        end = self.gerrit_clock()
        if result.truncated:
            self._resume_later(since, resume, newest, oldest)
        else:
            advance_cursor(self.store, CURSOR, newest, end, ahead_at=start.now if ahead else None)
        self._record(result, newest, end)
        log.info(
            "poll: %d changes seen, %d queued, %d skipped (no test code), %d already known%s",
            result.seen,
            result.enqueued,
            result.skipped,
            result.known,
            f", {result.invalid} invalid" if result.invalid else "",
        )
        return result

    def _read(
        self, since: datetime, resume: _Resume | None, result: PollResult
    ) -> tuple[datetime | None, datetime | None]:
        """Queue what one query returns; the newest (capped) and oldest ``updated`` seen."""
        newest: datetime | None = None
        oldest: datetime | None = None
        before = resume.before if resume is not None else None
        try:
            for change in self.source.open_changes(since, before=before):
                result.seen += 1
                limit = self.gerrit_clock().limit
                newest = latest_update(newest, change.updated, limit)
                if change.updated is not None:
                    oldest = change.updated if oldest is None else min(oldest, change.updated)
                    if change.updated > limit:
                        self._future(change, limit, result)
                if isinstance(change, InvalidChange):
                    self._invalid(change.error, result)
                    continue
                self._consider_safely(change, result)
        except PagingLimit as exc:
            result.truncated = True
            result.repeated = exc.repeated
            log.warning(
                "poll: %s; stopped paging (poll.max_pages = %d). The cursor stays; the next "
                "poll goes on below the oldest change read",
                exc,
                self.poll.max_pages,
            )
        return newest, oldest

    def _resume_later(
        self,
        since: datetime,
        resume: _Resume | None,
        newest: datetime | None,
        oldest: datetime | None,
    ) -> None:
        """Go on below ``oldest`` next time (Gerrit answers newest first), unless no
        progress can be made that way (S= ignored, or one instant fills every page)."""
        previous = resume.before if resume is not None else None
        if oldest is None or (previous is not None and oldest >= previous):
            return
        self._resume = _Resume(stored_cursor(self.store, CURSOR), since, oldest, newest)

    # -- the records that are not plain ------------------------------------------------------

    def _invalid(self, error: str, result: PollResult) -> None:
        result.invalid += 1
        self.progress.invalid_records += 1
        metrics.record_invalid_record("change")
        log.warning("poll: ignoring a change without the expected fields (%s)", _line(error))

    def _future(
        self, change: ChangeInfo | InvalidChange, limit: datetime, result: PollResult
    ) -> None:
        """One line per change and date: it is reviewed, it only does not move the cursor."""
        result.future += 1
        self.progress.future_records += 1
        number = change.number if isinstance(change, ChangeInfo) else -1
        assert change.updated is not None
        key = (number, change.updated)
        if key in self._future_logged:
            return
        if len(self._future_logged) > 10_000:
            self._future_logged.clear()
        self._future_logged.add(key)
        log.warning(
            "poll: change %s says it was updated %s, past Gerrit's clock plus poll.clock_margin "
            "(%s); it is reviewed, but the cursor does not move past that limit",
            number if number >= 0 else "(invalid record)",
            change.updated.isoformat(),
            limit.isoformat(),
        )

    def _consider_safely(self, change: ChangeInfo, result: PollResult) -> None:
        """One change; a value the store cannot take skips this record, never the poll."""
        try:
            self._consider(change, result)
        except UNAVAILABLE:
            raise  # the database is away: the whole poll is retried, nothing is skipped
        except _REFUSED as exc:
            self._invalid(
                f"change {change.number}: {type(exc).__name__}: {_line(str(exc))}", result
            )

    def _record(self, result: PollResult, newest: datetime | None, end: GerritClock) -> None:
        progress = self.progress
        now = self.clock()
        cursor = stored_cursor(self.store, CURSOR)
        progress.last_poll = now
        progress.cursor = cursor
        progress.newest_seen = newest
        progress.gerrit_time = end.now if end.from_server else None
        if result.truncated:
            progress.truncated_polls += 1
            metrics.record_poll_truncated()
        if newest is not None and (cursor is None or newest > cursor):
            if progress.behind_since is None:
                progress.behind_since = now
            progress.behind_reason = (
                f"Gerrit shows changes updated up to {newest.isoformat()}, past the poll cursor "
                f"{cursor.isoformat() if cursor else '(none)'}"
                + (" (paging stopped at poll.max_pages)" if result.truncated else "")
            )
        else:
            progress.behind_since = None
            progress.behind_reason = ""

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


def _line(text: str, limit: int = 300) -> str:
    """One log line of at most ``limit`` characters."""
    first = " ".join(text.split())
    return first if len(first) <= limit else first[: limit - 3] + "..."
