"""GerritReporter: the one place the bot writes to Gerrit.

It posts a review (summary, inline comments, the configured label vote, the tag,
``notify``, ``omit_duplicate_comments`` and ``ignore_automatic_attention_set_rules``) or a
refused recheck request's short reply, always to the given revision's SHA, never to
``current``. Every text is cut to Gerrit's comment size limit first, counted as Gerrit
counts it (:mod:`bot.gerrit.sizes`), so no review is refused for its size. It also answers
the question exactly-once posting depends on, "is this job's run marker already
on the change?", by reading the change's messages through the source.

A POST that timed out or lost its connection may still be applied by Gerrit, so
it is not an ordinary network error: it raises :class:`PostInFlight`, which the
worker retries no sooner than ``2 x gerrit.timeout`` (by then the marker shows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.config import ReviewConfig
from bot.gerrit import error as gerrit_error
from bot.gerrit.change import ChangeClient
from bot.gerrit.models import ChangeInfo, RevisionInfo
from bot.gerrit.sizes import fit_comment, fit_message
from bot.gerrit.source import GerritSource, change_id

__all__ = ["GerritReporter", "PostInFlight"]

log = logging.getLogger("bot.gerrit")


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
        comment_size_limit: int = 16 * 1024,
    ) -> None:
        self._changes = changes
        self._source = source
        self._review = review
        self._marker_of = marker_of  # reads the run marker out of a posted message
        self._limit = comment_size_limit

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
        fitted = self._fit_comments(change, comments)
        with _in_flight_guard():
            self._changes.set_review(
                change_id(change.project, change.number),
                revision_id=_sha(revision),
                message=fit_message(message, self._limit),
                labels=labels,
                comments=fitted or None,
                tag=review.tag,
                notify=review.notify,
                omit_duplicate_comments=True,
                ignore_automatic_attention_set_rules=self._attention(),
            )

    def post_reply(self, change: ChangeInfo, revision: RevisionInfo, message: str) -> None:
        """Post a message with no vote and no comments (the reply to a refused recheck)."""
        with _in_flight_guard():
            self._changes.set_review(
                change_id(change.project, change.number),
                revision_id=_sha(revision),
                message=fit_message(message, self._limit),
                tag=self._review.tag,
                notify=self._review.notify,
                ignore_automatic_attention_set_rules=self._attention(),
            )

    def _attention(self) -> bool | None:
        """``True`` when configured (the field is left out otherwise, as Gerrit's default)."""
        return True if self._review.ignore_automatic_attention_set_rules else None

    def _fit_comments(
        self, change: ChangeInfo, comments: dict[str, list[dict[str, Any]]]
    ) -> dict[str, list[dict[str, Any]]]:
        """Each inline comment's message cut to the size limit as Gerrit counts it; a comment
        that cannot fit at all (a path near the limit) is left out with one log line."""
        fitted: dict[str, list[dict[str, Any]]] = {}
        for path, items in comments.items():
            for item in items:
                where = item.get("path") or path
                text = fit_comment(
                    str(item.get("message") or ""),
                    path=where,
                    tag=self._review.tag,
                    in_reply_to=item.get("in_reply_to"),
                    limit=self._limit,
                )
                if text is None:
                    log.warning(
                        "change %s: an inline comment on %r left out: its path alone is "
                        "beyond Gerrit's comment size limit (%d)",
                        change.number,
                        where,
                        self._limit,
                    )
                    continue
                fitted.setdefault(path, []).append({**item, "message": text})
        return fitted


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
