"""What counts as a ``recheck-security`` request, and which change message a reply is keyed by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import RecheckConfig
from bot.gerrit.models import AccountInfo, ChangeMessageInfo, CommentInfo
from bot.triggers.recheck_text import replies, request_lines, text_requests_recheck

DEFAULT = RecheckConfig().regex
WHEN = datetime(2025, 1, 3, 9, 0, tzinfo=UTC)
BOB = AccountInfo(account_id=7, username="bob")
ALICE = AccountInfo(account_id=8, username="alice")


@pytest.mark.parametrize(
    "text",
    [
        "recheck-security",
        "Patch Set 2: Code-Review+1\n\nrecheck-security",
        "  RECHECK-security  ",
        "```\nthe log\n```\nrecheck-security",  # after a closed fence
        "`x` recheck-security",  # a code span elsewhere on the line is removed, not the line
        "first line\r\nrecheck-security\r\n",
    ],
)
def test_requests(text: str) -> None:
    assert text_requests_recheck(text, DEFAULT)


@pytest.mark.parametrize(
    "text",
    [
        "```\nrecheck-security\n```",
        "```python\nrecheck-security\n",  # an unclosed fence runs to the end
        "~~~\nrecheck-security\n~~~",
        "````\n```\nrecheck-security\n````",  # a shorter fence does not close a longer one
        "    recheck-security",
        "\trecheck-security",
        "`recheck-security`",
        "``recheck-security``",
        "> recheck-security",
        "   > recheck-security",
        "r\u0435check-security",  # Cyrillic e
        "\uff52echeck-security",  # full-width r (NFKC would make it "r")
        "recheck-\u017fecurity",  # long s
        "RECHEC\u212a-SECURITY",  # Kelvin sign
        "recheck-security\u00a0",  # no-break space is not ASCII white space
        "\u200brecheck-security",
        "text\u2028recheck-security",
        "text\x85recheck-security",
        "Patch Set 3:\n\n(1 comment)",
    ],
)
def test_no_requests(text: str) -> None:
    assert not text_requests_recheck(text, DEFAULT)


def test_a_configured_pattern_is_ascii_only_too() -> None:
    regex = RecheckConfig(pattern=r"^\s*security\s+recheck\s*$").regex
    assert text_requests_recheck("Security   Recheck", regex)
    assert not text_requests_recheck("\u017fecurity recheck", regex)
    assert not text_requests_recheck("```\nsecurity recheck\n```", regex)


def test_request_lines_skip_the_header_and_code() -> None:
    text = "Patch Set 1:\n\nhello `code`\n```\nx\n```\n> quoted\nbye"
    assert list(request_lines(text)) == ["", "hello ", "bye"]


def message(mid: str, author: AccountInfo, when: datetime, ps: int = 1) -> ChangeMessageInfo:
    return ChangeMessageInfo(
        id=mid,
        message=f"Patch Set {ps}:\n\n(1 comment)",
        date=when,
        author=author,
        revision_number=ps,
    )


def comment(cid: str, author: AccountInfo, when: datetime, mid: str | None = None) -> CommentInfo:
    return CommentInfo(
        id=cid,
        message="recheck-security",
        updated=when,
        path="/PATCHSET_LEVEL",
        patch_set=1,
        author=author,
        change_message_id=mid,
    )


def test_a_comment_without_its_message_id_is_keyed_by_its_authors_message() -> None:
    messages = [
        message("m-alice", ALICE, WHEN),
        message("m-bob", BOB, WHEN + timedelta(milliseconds=300)),
        message("m-bob-later", BOB, WHEN + timedelta(minutes=5)),
    ]
    keyed = {r.source + ":" + r.message_id for r in replies(messages, [comment("c1", BOB, WHEN)])}
    assert "comment:m-bob" in keyed
    # with its id, the id wins; with no message of its author at that time, its own id
    [named] = [r for r in replies([], [comment("c2", BOB, WHEN, "m-x")]) if r.source == "comment"]
    assert named.message_id == "m-x"
    lone = comment("c3", BOB, WHEN + timedelta(minutes=2))
    [alone] = [r for r in replies(messages, [lone]) if r.source == "comment"]
    assert alone.message_id == "comment-c3"
