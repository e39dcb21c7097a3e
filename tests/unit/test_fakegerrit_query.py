"""Unit tests of the fake Gerrit's query language (parser and evaluator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fakegerrit.model import Account, Change, PatchSet
from fakegerrit.query import (
    And,
    AuthRequired,
    EvalContext,
    Not,
    Or,
    QueryError,
    Term,
    evaluate,
    parse,
    query_limit,
)
from fakegerrit.timefmt import format_ts, parse_age, parse_query_time

NOW = datetime(2025, 1, 10, 12, 0, 0, tzinfo=UTC)
ALICE = Account(1000001, "alice", "Alice Liddell", "alice@example.com")
BOB = Account(1000002, "bob", "Bob", "bob@example.com")


def make_change(**kw: object) -> Change:
    ch = Change(
        number=int(kw.pop("number", 7)),  # type: ignore[call-overload]
        project=str(kw.pop("project", "openstack/nova")),
        branch=str(kw.pop("branch", "master")),
        change_id="I" + "a" * 40,
        owner=ALICE.account_id,
        created=NOW - timedelta(days=2),
        updated=kw.pop("updated", NOW - timedelta(hours=1)),  # type: ignore[arg-type]
    )
    ch.patchsets.append(
        PatchSet(
            1, "f" * 40, "e" * 40, "REWORK", ch.created, ALICE.account_id, "refs/changes/07/7/1"
        )
    )
    for k, v in kw.items():
        setattr(ch, k, v)
    return ch


FILES = ["nova/tests/unit/test_foo.py", "nova/api/Handler.PY", "README.rst"]


def ctx(caller: Account | None = None, texts: list[str] | None = None) -> EvalContext:
    accounts = {a.username: a for a in (ALICE, BOB)}
    return EvalContext(
        now=NOW,
        caller=caller,
        accounts=lambda ident: [a for a in accounts.values() if ident in (a.username, a.email)],
        files=lambda ch: FILES,
        commit_message=lambda ch: "Add tests for foo\n\nChange-Id: Iaaa\n",
        texts=lambda ch: texts or ["Patch Set 1:\n\nrecheck-security", "Uploaded patch set 1."],
    )


def match(q: str, ch: Change | None = None, **kw: object) -> bool:
    return evaluate(parse(q), ch or make_change(), ctx(**kw))  # type: ignore[arg-type]


def test_parse_precedence_and_negation() -> None:
    node = parse("status:open -is:wip (project:a OR p:b) NOT topic:x")
    assert isinstance(node, And)
    assert node.children[0] == Term("status", "open")
    assert node.children[1] == Not(Term("is", "wip"))
    assert node.children[2] == Or((Term("project", "a"), Term("project", "b")))
    assert node.children[3] == Not(Term("topic", "x"))


def test_parse_quoted_values_and_aliases() -> None:
    assert parse('after:"2025-01-02 15:04:05"') == Term("after", "2025-01-02 15:04:05")
    assert parse("comment:{recheck-security}") == Term("comment", "recheck-security")
    assert parse("repo:x") == Term("project", "x")
    assert parse("since:2025-01-01") == Term("after", "2025-01-01")
    assert parse("12345") == Term("change", "12345")


@pytest.mark.parametrize(
    "bad", ["foo:bar", "status:bogus", "(status:open", "after:yesterday", "age:10x", ""]
)
def test_parse_errors(bad: str) -> None:
    with pytest.raises(QueryError):
        parse(bad)


def test_unknown_operator_message() -> None:
    with pytest.raises(QueryError, match="Unsupported operator foo:bar"):
        parse("foo:bar")


def test_status_and_flags() -> None:
    assert match("status:open")
    assert match("is:open")
    assert not match("status:closed")
    assert match("status:closed", make_change(status="MERGED"))
    assert match("status:merged", make_change(status="MERGED"))
    assert match("status:abandoned", make_change(status="ABANDONED"))
    assert not match("is:wip")
    assert match("-is:wip")
    assert match("is:wip", make_change(wip=True))
    assert match("is:private", make_change(private=True))


def test_project_branch_regex() -> None:
    assert match("project:openstack/nova")
    assert not match("project:openstack")
    assert match("project:^openstack/.*")
    assert not match("project:^neutron.*")
    assert match("projects:openstack/")
    assert match("branch:master")
    assert match("branch:refs/heads/master")
    assert match("branch:^mas.*")
    assert match("branch:^stable/.*", make_change(branch="stable/2024.1"))


def test_change_and_accounts() -> None:
    assert match("change:7")
    assert not match("change:8")
    assert match("change:Iaaaaaaa")
    assert match("owner:alice")
    assert not match("owner:bob")
    assert match("uploader:alice@example.com")
    assert match("owner:self", caller=ALICE)
    with pytest.raises(AuthRequired):
        match("owner:self")


def test_file_operators() -> None:
    assert match("file:test_foo.py")
    assert match("file:tests")
    assert match('file:"^.*/tests?/.*"')
    assert not match("file:^tests/.*")
    assert match("path:README.rst")
    assert not match("path:README")
    assert match("path:^nova/tests/.*")
    assert match("dir:nova/tests")
    assert match("directory:TESTS/unit")
    assert match("dir:unit")
    assert not match("dir:nova/unit")
    assert match("ext:py")
    assert match("extension:.PY")
    assert not match("ext:js")
    assert not match("onlyextensions:py")
    assert match("onlyexts:py,rst")


def test_comment_and_message() -> None:
    assert match('comment:"recheck-security"')
    assert match("comment:RECHECK")
    assert not match("comment:recheck-nova")
    assert match("message:tests")
    assert not match("message:bar")


def test_time_operators() -> None:
    # updated one hour ago
    assert match("-age:2h")
    assert not match("-age:30m")
    assert match("age:30m")
    assert match("age:1h")  # inclusive
    assert match(f'after:"{(NOW - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")}"')
    assert match(f'before:"{(NOW - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")}"')
    assert not match('after:"2025-01-10 11:30:00"')
    assert match("before:2025-01-11")
    assert match('until:"2025-01-10 12:00:00 +0100"')  # 11:00 UTC


def test_or_not_and_limit() -> None:
    assert match("(status:merged OR status:open) project:openstack/nova")
    assert not match("NOT (status:open)")
    assert match("status:open limit:3")
    assert query_limit(parse("status:open limit:3 (limit:5 OR is:wip)")) == 3
    assert query_limit(parse("status:open")) is None


def test_topic_hashtag_label() -> None:
    ch = make_change(topic="sec-fixes", hashtags=["Security"], votes={"Code-Review": {1: 2}})
    assert match("topic:sec-fixes", ch)
    assert match("intopic:FIX", ch)
    assert match("hashtag:security", ch)
    assert match("label:Code-Review+2", ch)
    assert match("label:Code-Review=2", ch)
    assert not match("label:Code-Review-1", ch)


def test_time_helpers() -> None:
    assert format_ts(datetime(2013, 2, 21, 11, 16, 36, 775000, tzinfo=UTC)) == (
        "2013-02-21 11:16:36.775000000"
    )
    assert parse_query_time("2025-01-02") == datetime(2025, 1, 2, tzinfo=UTC)
    assert parse_query_time("2025-01-02 15:04:05.890") == datetime(
        2025, 1, 2, 15, 4, 5, 890000, tzinfo=UTC
    )
    assert parse_query_time("2025-01-02 15:04:05 -0700") == datetime(
        2025, 1, 2, 22, 4, 5, tzinfo=UTC
    )
    assert parse_age("15m") == timedelta(minutes=15)
    assert parse_age("2mon") == timedelta(days=60)
    assert parse_age("1w") == timedelta(days=7)
    assert parse_age("3min") == timedelta(minutes=3)
