"""The time window of a poll, shared by both triggers.

A poll asks for the changes updated since its cursor minus an overlap (so a change
updated while the last poll ran is seen again; the store's unique job keys drop the
repeats), or since the initial lookback on the first poll. The cursor then moves to
the newest ``updated`` time Gerrit returned: Gerrit's clock, not this host's, so a
poller whose clock runs ahead of Gerrit's (or one that moved to another host) misses
nothing. It only moves once every page was read, so an outage loses nothing either.

A record's ``updated`` is the server's word, and a wrong one must not stop the polls:
one change dated next week used to drag the cursor there, and every later poll asked
for changes updated after next week. So the cursor never moves past Gerrit's own clock
(the ``Date`` header of its latest answer, :class:`GerritClock`) plus
``poll.clock_margin``; a record dated later is still handed to the trigger (and so
reviewed), it only does not count for the cursor. A cursor found ahead of that limit
(left by an earlier version, or by a clock that jumped) is not trusted: that poll looks
back ``poll.initial_lookback`` as a first poll does, and the cursor is set again from
what it read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import PollConfig
from bot.store import Store

log = logging.getLogger("bot.poller")


@dataclass(frozen=True)
class GerritClock:
    """Gerrit's clock as a poll sees it, and how far past it the cursor may move."""

    now: datetime
    margin: float
    from_server: bool = True  # False: Gerrit sent no Date, this host's clock stands in

    @property
    def limit(self) -> datetime:
        """The latest time the cursor may move to."""
        return self.now + timedelta(seconds=self.margin)


def gerrit_clock(server_time: datetime | None, poll: PollConfig, local: datetime) -> GerritClock:
    """Gerrit's clock (``server_time``, from its ``Date``), or this host's when unknown.

    The margin is ``poll.clock_margin``, but never more than ``poll.window_overlap``: a
    cursor further ahead of Gerrit than the overlap reaches back would leave a change
    updated just after the poll outside the next poll's window.
    """
    margin = min(poll.clock_margin, poll.window_overlap)
    if server_time is None:
        return GerritClock(local, margin, from_server=False)
    return GerritClock(server_time, margin)


def stored_cursor(store: Store, name: str) -> datetime | None:
    value = store.get_cursor(name)
    return None if value is None else datetime.fromisoformat(value)


def cursor_ahead(store: Store, name: str, clock: GerritClock) -> datetime | None:
    """The stored cursor when it lies past ``clock``'s limit (so it cannot be trusted)."""
    current = stored_cursor(store, name)
    return current if current is not None and current > clock.limit else None


def window_start(
    store: Store,
    cursor: str,
    poll: PollConfig,
    now: datetime,
    clock: GerritClock | None = None,
) -> datetime:
    """Where a poll's time window begins: the cursor minus the overlap, or the first lookback.

    With ``clock``, a cursor ahead of Gerrit's clock is not trusted: the window starts at
    Gerrit's clock minus the first lookback instead.
    """
    value = stored_cursor(store, cursor)
    if value is None:
        return now - timedelta(seconds=poll.initial_lookback)
    if clock is not None and value > clock.limit:
        log.warning(
            "poll: the cursor %s is %.0f s ahead of Gerrit's clock (%s); looking back %.0f s "
            "from Gerrit's clock instead",
            value.isoformat(),
            (value - clock.now).total_seconds(),
            clock.now.isoformat(),
            poll.initial_lookback,
        )
        return clock.now - timedelta(seconds=poll.initial_lookback)
    return value - timedelta(seconds=poll.window_overlap)


def latest_update(
    newest: datetime | None, updated: datetime | None, limit: datetime | None = None
) -> datetime | None:
    """The later of ``newest`` and a change's ``updated`` time (either may be unknown).

    An ``updated`` past ``limit`` (Gerrit's clock plus the margin) does not count.
    """
    if updated is None or (limit is not None and updated > limit):
        return newest
    return updated if newest is None or updated > newest else newest


def advance_cursor(
    store: Store,
    name: str,
    newest: datetime | None,
    clock: GerritClock | None = None,
    *,
    ahead_at: datetime | None = None,
) -> None:
    """Move a poll cursor forward to ``newest``; it never moves back, nor when nothing came.

    ``newest`` is capped at ``clock``'s limit. ``ahead_at`` (the clock at the start of a poll
    that found the cursor ahead of Gerrit and read the first lookback instead) sets the
    cursor again: to ``newest``, or, when nothing came, to that start.
    """
    if clock is not None and newest is not None and newest > clock.limit:
        newest = clock.limit
    if ahead_at is not None:
        store.set_cursor(name, (newest or ahead_at).isoformat())
        return
    if newest is None:
        return
    current = stored_cursor(store, name)
    if current is None or current < newest:
        store.set_cursor(name, newest.isoformat())
