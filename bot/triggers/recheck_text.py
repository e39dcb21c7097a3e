"""Which replies on a change are ``recheck-security`` requests: pure functions of the text.

A request is a line of a reviewer's reply that matches the trigger pattern (by default
a line holding nothing but the keyword). What a reader of the rendered reply does not
see as a line of plain text the author wrote does not count:

* Gerrit's own header line (``Patch Set 3: Code-Review+1``);
* quoted lines (``> …``), text inside fenced code blocks (```` ``` ```` or ``~~~``) and
  indented code (four spaces or a tab), and inline code spans (`` `…` ``);
* look-alikes: the match is ASCII-only, so a Cyrillic e (U+0435), a full-width r (U+FF52),
  the long s (U+017F) or the Kelvin sign (U+212A; Unicode case folding maps those two to
  ``s`` and ``k``) never make a request, and nothing is NFKC-normalised into one;
* lines split only at ``\\n`` (and ``\\r``): U+2028 and the other characters Python's
  ``splitlines`` breaks at render inside one line in the web UI, so they cannot smuggle
  a keyword line into a sentence.

Each request is keyed by the change message it belongs to, so one reply is one request
however many places hold its text. A patch-set-level comment names its message in
``change_message_id``; when Gerrit leaves that out, the comment is matched to the message
its author posted in the same update (same author, same time to the second, same patch
set), and only a comment with no such message is keyed by its own (stable) id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.gerrit.models import AccountInfo, ChangeMessageInfo, CommentInfo

__all__ = ["Reply", "replies", "request_lines", "text_requests_recheck"]

_HEADER = re.compile(r"^Patch Set \d+:", re.ASCII)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.ASCII)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.ASCII)
#: how far a comment's time may be from its change message's (Gerrit writes both in one
#: update with one timestamp; older servers kept whole seconds)
_SAME_UPDATE = timedelta(seconds=1)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _closes(line: str, fence: str) -> bool:
    match = _FENCE.match(line)
    return bool(
        match
        and match.group(1)[0] == fence[0]
        and len(match.group(1)) >= len(fence)
        and not match.group(2).strip()
    )


def request_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` a request may be on: plain text, code spans removed."""
    lines = _lines(text)
    if lines and _HEADER.match(lines[0]):
        lines = lines[1:]
    fence: str | None = None
    for line in lines:
        if fence is not None:
            if _closes(line, fence):
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            continue
        if line.startswith(("    ", "\t")) or line.lstrip(" ").startswith(">"):
            continue
        yield _CODE_SPAN.sub("", line)


def text_requests_recheck(text: str, regex: re.Pattern[str]) -> bool:
    """True when a plain-text line of ``text`` matches ``regex`` (see the module doc)."""
    return any(regex.search(line) for line in request_lines(text))


@dataclass(frozen=True)
class Reply:
    """A reviewer's reply, from a change message or a patch-set-level comment."""

    author: AccountInfo | None
    tag: str | None
    text: str
    message_id: str  # the change message it belongs to: the request's key
    source: str  # "message" or "comment"
    date: datetime


def replies(messages: Iterable[ChangeMessageInfo], comments: Iterable[CommentInfo]) -> list[Reply]:
    """Every change message and patch-set-level comment, each keyed by its change message."""
    messages = list(messages)
    found = [Reply(m.author, m.tag, m.message, m.id, "message", m.date) for m in messages]
    found += [
        Reply(c.author, c.tag, c.message, _message_of(c, messages), "comment", c.updated)
        for c in comments
    ]
    return found


def _message_of(comment: CommentInfo, messages: list[ChangeMessageInfo]) -> str:
    """The id of the change message ``comment`` was published with."""
    if comment.change_message_id:
        return comment.change_message_id
    author = comment.author.account_id if comment.author else None
    same_update = [
        m
        for m in messages
        if author is not None
        and m.author is not None
        and m.author.account_id == author
        and abs(m.date - comment.updated) <= _SAME_UPDATE
        and (
            comment.patch_set is None
            or m.revision_number is None
            or m.revision_number == comment.patch_set
        )
    ]
    if same_update:
        return min(same_update, key=lambda m: (abs(m.date - comment.updated), m.id)).id
    return f"comment-{comment.id}"
