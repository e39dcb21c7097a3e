"""Sizes as Gerrit counts them, and the bot's text cut to fit, so no review is refused for it.

Gerrit refuses a whole review (400, "Comment size exceeds limit (N > L)") when one inline
comment or its message is longer than ``change.commentSizeLimit`` (16 KiB by default;
``gerrit.comment_size_limit`` here). It does not count the text alone:

* an inline or file comment counts its *approximate size* (``Comment.getApproximateSize``):
  the lengths of its message, parent uuid, tag, revision id (40 hex digits) and server id,
  plus those of its path and its own uuid (``ChangeUtil.messageUuid``: 8 hex digits, ``_``,
  8 hex digits);
* the review message counts its own length (``CommentSizeValidator`` on the
  ``CHANGE_MESSAGE``).

Every length is Java's ``String.length()``: UTF-16 code units, so a character outside the
Basic Multilingual Plane (an emoji) counts twice. The server id (``gerrit.serverId``, a
UUID of 36 characters on every site Gerrit set up itself) is not visible over REST, so
:data:`SERVER_ID_ALLOWANCE` reserves room for a longer one.

Text that does not fit is cut at a line boundary where one is near, an open code fence is
closed, and a one-line note says how much was left out. A review message keeps its last
line whole: it is the run marker exactly-once posting looks for.
"""

from __future__ import annotations

import re

__all__ = [
    "REVISION_ID_LENGTH",
    "SERVER_ID_ALLOWANCE",
    "UUID_LENGTH",
    "comment_size",
    "fit_comment",
    "fit_message",
    "java_length",
]

#: a revision id: a full SHA-1 in hex
REVISION_ID_LENGTH = 40
#: a comment's uuid (ChangeUtil.messageUuid: "%08x_%08x")
UUID_LENGTH = 17
#: room kept for the server id Gerrit adds to every comment (a UUID is 36 characters)
SERVER_ID_ALLOWANCE = 64

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_NOTE = "\n\n… (cut here to fit Gerrit's comment size limit: {n} more characters not shown)"


def java_length(text: str) -> int:
    """``text``'s length as Java counts it: UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def comment_size(message: str, *, path: str, tag: str | None, in_reply_to: str | None) -> int:
    """The approximate size Gerrit checks an inline comment's against the limit."""
    return (
        java_length(message)
        + java_length(in_reply_to or "")
        + java_length(tag or "")
        + REVISION_ID_LENGTH
        + SERVER_ID_ALLOWANCE
        + java_length(path)
        + UUID_LENGTH
    )


def fit_comment(
    message: str, *, path: str, tag: str | None, in_reply_to: str | None, limit: int
) -> str | None:
    """``message`` cut so the comment fits ``limit``; None when not even a cut one can."""
    if limit <= 0:
        return message  # no limit configured on the server
    overhead = comment_size("", path=path, tag=tag, in_reply_to=in_reply_to)
    budget = limit - overhead
    if budget < 1:
        return None
    return _cut(message, budget)


def fit_message(message: str, limit: int) -> str:
    """A review message cut to ``limit``, its last line (the run marker) kept whole."""
    if limit <= 0 or java_length(message) <= limit:
        return message
    body, sep, last = message.rstrip("\n").rpartition("\n")
    if not sep or java_length(last) + 2 >= limit:
        return _cut(message, limit)
    tail = "\n\n" + last
    return _cut(body, limit - java_length(tail)) + tail


def _cut(text: str, budget: int) -> str:
    """``text`` within ``budget`` UTF-16 units, with the note and any open fence closed."""
    if java_length(text) <= budget:
        return text
    room = budget - java_length(_NOTE.format(n=len(text)))
    if room <= 0:
        return _prefix(text, budget)
    kept = _prefix(text, room)
    newline = kept.rfind("\n")
    if newline >= len(kept) // 2:
        kept = kept[:newline]
    closer = _open_fence(kept)
    while closer and java_length(kept) + java_length(closer) > room:
        kept = kept[: max(0, len(kept) - java_length(closer))]
        closer = _open_fence(kept)
    return kept + closer + _NOTE.format(n=len(text) - len(kept))


def _prefix(text: str, budget: int) -> str:
    """The longest prefix of ``text`` within ``budget`` UTF-16 units (pairs never split)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            return text[:i]
    return text


def _open_fence(text: str) -> str:
    """The line that closes the code fence ``text`` leaves open ("" when none is open)."""
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = match.group(1)
        elif (
            match
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not match.group(2).strip()
        ):
            fence = None
    return f"\n{fence}" if fence else ""
