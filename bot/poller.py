"""Find new patch sets on Gerrit and queue one job for each.

One query pages through the open changes updated since the last poll (minus an
overlap, so a change updated while a poll ran is seen again). Each current patch
set becomes at most one job, keyed ``ps:<project>:<change>:<patch set>``: the
store's unique key drops repeats from overlapping windows and restarts. A patch
set that touches no test code is recorded as skipped, so the dashboard can say so.
The cursor only advances when every page was read, so an outage loses nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.analysis import TestPathMatcher
from bot.config import PollConfig, ReviewConfig
from bot.gerrit.change import ChangeClient
from bot.gerrit.timestamps import parse_timestamp
from bot.store import JobKind, JobSpec, JobStatus, Store

log = logging.getLogger("bot.poller")

CURSOR = "poll:changes"
POLL_OPTIONS = ["CURRENT_REVISION", "CURRENT_FILES", "DETAILED_ACCOUNTS"]


@dataclass
class PollResult:
    seen: int = 0
    enqueued: int = 0
    skipped: int = 0
    known: int = 0


def trigger_key(project: str, change: int, patchset: int) -> str:
    return f"ps:{project}:{change}:{patchset}"


def _any_of(operator: str, values: Iterable[str]) -> str:
    terms = [f"{operator}:{_quote(v)}" for v in values]
    if not terms:
        return ""
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ' "()') else value


def build_scope(config: PollConfig) -> str:
    """The project, branch and extra terms that limit every query to what the bot watches."""
    parts = [_any_of("project", config.projects), _any_of("branch", config.branches)]
    if config.query_extra:
        parts.append(config.query_extra)
    return " ".join(p for p in parts if p)


def build_query(config: PollConfig, since: datetime | None) -> str:
    """The Gerrit query for open, non-WIP changes in scope, updated since ``since``."""
    parts = ["status:open", "-is:wip"]
    if not config.include_private:
        parts.append("-is:private")
    parts.append(build_scope(config))
    if since is not None:
        parts.append(f'after:"{since.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")}"')
    return " ".join(p for p in parts if p)


class Poller:
    """Turns Gerrit's recently updated changes into queued review jobs."""

    def __init__(
        self,
        changes: ChangeClient,
        store: Store,
        poll: PollConfig,
        review: ReviewConfig,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.changes = changes
        self.store = store
        self.poll = poll
        self.review = review
        self.matcher = TestPathMatcher(review.test_globs)
        self.clock = clock

    def since(self, now: datetime) -> datetime:
        return window_start(self.store, CURSOR, self.poll, now)

    def poll_once(self) -> PollResult:
        started = self.clock()
        query = build_query(self.poll, self.since(started))
        result = PollResult()
        newest: datetime | None = None
        for info in self.changes.iter_all(
            query, options=POLL_OPTIONS, page_size=self.poll.page_size
        ):
            result.seen += 1
            newest = latest_update(newest, info)
            self._consider(info, result)
        advance_cursor(self.store, CURSOR, newest)
        log.info(
            "poll: %d changes seen, %d queued, %d skipped (no test code), %d already known",
            result.seen,
            result.enqueued,
            result.skipped,
            result.known,
        )
        return result

    def _consider(self, info: dict[str, Any], result: PollResult) -> None:
        try:
            project = str(info["project"])
            number = int(info["_number"])
            sha = str(info["current_revision"])
            revision = info["revisions"][sha]
            patchset = int(revision["_number"])
        except (KeyError, TypeError, ValueError) as exc:
            log.warning(
                "poll: ignoring a change without the expected fields (%s missing or bad)", exc
            )
            return
        paths = [p for p in (revision.get("files") or {}) if not p.startswith("/")]
        touches_tests = any(self.matcher.is_test(p) for p in paths)
        owner = info.get("owner") or {}
        spec = JobSpec(
            trigger_key=trigger_key(project, number, patchset),
            kind=JobKind.NEW,
            project=project,
            change=number,
            patchset=patchset,
            revision=sha,
            subject=str(info.get("subject", "")),
            owner=str(owner.get("name") or owner.get("username") or owner.get("_account_id", "")),
            branch=str(info.get("branch", "")),
            uploaded_at=_parse_or_none(revision.get("created")),
        )
        if self.review.require_test_files and not touches_tests:
            spec = dataclasses.replace(
                spec, status=JobStatus.SKIPPED, reason="touches no test code"
            )
        job = self.store.enqueue(spec)
        if job is None:
            result.known += 1
        elif job.status == JobStatus.SKIPPED:
            result.skipped += 1
            log.info("change %s patch set %s touches no test code: skipped", number, patchset)
        else:
            result.enqueued += 1
            log.info("change %s patch set %s queued for review", number, patchset)


def window_start(store: Store, cursor: str, poll: PollConfig, now: datetime) -> datetime:
    """Where a poll's time window begins: the cursor minus the overlap, or the first lookback."""
    value = store.get_cursor(cursor)
    if value is None:
        return now - timedelta(seconds=poll.initial_lookback)
    return datetime.fromisoformat(value) - timedelta(seconds=poll.window_overlap)


def latest_update(newest: datetime | None, info: dict[str, Any]) -> datetime | None:
    """The later of ``newest`` and the change's ``updated`` time (Gerrit's clock)."""
    updated = _parse_or_none(info.get("updated"))
    if updated is None:
        return newest
    return updated if newest is None or updated > newest else newest


def advance_cursor(store: Store, name: str, newest: datetime | None) -> None:
    """Move a poll cursor to the newest ``updated`` time Gerrit returned.

    The cursor follows Gerrit's clock, not this host's, so a poller whose clock runs ahead
    of Gerrit's (or a poller that moved to another host) misses nothing. When nothing was
    returned the cursor stays where it was.
    """
    if newest is None:
        return
    current = store.get_cursor(name)
    if current is None or datetime.fromisoformat(current) < newest:
        store.set_cursor(name, newest.isoformat())


def _parse_or_none(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None
