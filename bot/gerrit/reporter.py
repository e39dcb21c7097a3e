"""GerritReporter: the one place the bot writes to Gerrit.

It posts a review (summary, inline comments, the configured label vote, the tag,
``notify`` and ``omit_duplicate_comments``) or a refused recheck request's short
reply, always to the given revision's SHA, never to ``current``. It also answers
the question exactly-once posting depends on, "is this job's run marker already
on the change?", by reading the change's messages through the source.

A POST that timed out or lost its connection may still be applied by Gerrit, so
it is not an ordinary network error: it raises :class:`PostInFlight`, which the
worker retries no sooner than ``2 x gerrit.timeout`` (by then the marker shows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.config import ReviewConfig
from bot.gerrit import error as gerrit_error
from bot.gerrit.change import ChangeClient
from bot.gerrit.models import ChangeInfo, RevisionInfo
from bot.gerrit.source import GerritSource, change_id

__all__ = ["GerritReporter", "PostInFlight"]


class PostInFlight(RuntimeError):
    """The review POST timed out or lost its connection: Gerrit may still apply it.

    The next attempt must wait long enough for that request to finish, and then look
    for the run marker before posting.
    """


class GerritReporter:
    """Posts reviews and replies with the configured tag and notify setting; thread-safe."""

    def __init__(
        self,
        changes: ChangeClient,
        source: GerritSource,
        review: ReviewConfig,
        *,
        marker_of: Callable[[str], str | None],
    ) -> None:
        self._changes = changes
        self._source = source
        self._review = review
        self._marker_of = marker_of  # reads the run marker out of a posted message

    def already_posted(self, change: ChangeInfo, marker: str) -> bool:
        """Is a message of ours carrying run marker ``marker`` on the change?"""
        return any(
            (message.tag or "").startswith(self._review.tag)
            and self._marker_of(message.message) == marker
            for message in self._source.messages(change.project, change.number)
        )

    def post_review(
        self,
        change: ChangeInfo,
        revision: RevisionInfo,
        *,
        message: str,
        comments: dict[str, list[dict[str, Any]]],
        verdict: str,
    ) -> None:
        """Post the summary and inline comments, with the label vote the verdict earns: the
        clean vote for "clean", the defects vote for "defects", and a neutral 0 for
        "incomplete" (the bot cannot vouch for what it did not analyse)."""
        review = self._review
        labels = None
        if review.label:
            votes = {"clean": review.label_clean, "defects": review.label_defects}
            labels = {review.label: votes.get(verdict, 0)}
        with _in_flight_guard():
            self._changes.set_review(
                change_id(change.project, change.number),
                revision_id=_sha(revision),
                message=message,
                labels=labels,
                comments=comments or None,
                tag=review.tag,
                notify=review.notify,
                omit_duplicate_comments=True,
            )

    def post_reply(self, change: ChangeInfo, revision: RevisionInfo, message: str) -> None:
        """Post a message with no vote and no comments (the reply to a refused recheck)."""
        with _in_flight_guard():
            self._changes.set_review(
                change_id(change.project, change.number),
                revision_id=_sha(revision),
                message=message,
                tag=self._review.tag,
                notify=self._review.notify,
            )


def _sha(revision: RevisionInfo) -> str:
    if not revision.commit_sha:
        raise ValueError("a review is posted to a revision's SHA; this one has none")
    return revision.commit_sha


@contextmanager
def _in_flight_guard() -> Iterator[None]:
    """Turn a timeout or dropped connection while posting into :class:`PostInFlight`."""
    try:
        yield
    except (gerrit_error.Timeout, gerrit_error.ConnectionError) as exc:
        raise PostInFlight(f"posting to Gerrit: {exc}") from exc
