"""The time window of a poll, shared by both triggers.

A poll asks for the changes updated since its cursor minus an overlap (so a change
updated while the last poll ran is seen again; the store's unique job keys drop the
repeats), or since the initial lookback on the first poll. The cursor then moves to
the newest ``updated`` time Gerrit returned: Gerrit's clock, not this host's, so a
poller whose clock runs ahead of Gerrit's (or one that moved to another host) misses
nothing. It only moves once every page was read, so an outage loses nothing either.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import PollConfig
from bot.store import Store


def window_start(store: Store, cursor: str, poll: PollConfig, now: datetime) -> datetime:
    """Where a poll's time window begins: the cursor minus the overlap, or the first lookback."""
    value = store.get_cursor(cursor)
    if value is None:
        return now - timedelta(seconds=poll.initial_lookback)
    return datetime.fromisoformat(value) - timedelta(seconds=poll.window_overlap)


def latest_update(newest: datetime | None, updated: datetime | None) -> datetime | None:
    """The later of ``newest`` and a change's ``updated`` time (either may be unknown)."""
    if updated is None:
        return newest
    return updated if newest is None or updated > newest else newest


def advance_cursor(store: Store, name: str, newest: datetime | None) -> None:
    """Move a poll cursor forward to ``newest``; it never moves back, nor when nothing came."""
    if newest is None:
        return
    current = store.get_cursor(name)
    if current is None or datetime.fromisoformat(current) < newest:
        store.set_cursor(name, newest.isoformat())
