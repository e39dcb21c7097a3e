"""The fake Gerrit reads queries with Gerrit's grammar (Query.g) and answers with its texts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fakegerrit.query import parse
from fakegerrit.querysyntax import (
    MAX_DEPTH,
    MAX_TERMS,
    RESERVED,
    And,
    Not,
    Or,
    QueryError,
    Term,
    is_single_word,
    parse_syntax,
)
from fakegerrit.timefmt import parse_query_time


@pytest.mark.parametrize("char", sorted(RESERVED - set('"(){:')))
def test_every_reserved_character_unquoted_is_a_lexer_error(char: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(f"project:open{char}stack")
    assert str(err.value) == f"line 1:12 no viable alternative at character '{char}'"


def test_the_regex_a_bot_once_sent_unquoted_is_refused_and_accepted_quoted() -> None:
    with pytest.raises(QueryError, match=r"line 1:23 no viable alternative at character '\$'"):
        parse("project:^openstack/nova$")
    assert parse('project:"^openstack/nova$"') == Term("project", "^openstack/nova$")
    assert parse("project:{^openstack/nova$}") == Term("project", "^openstack/nova$")


def test_single_quotes_quote_nothing() -> None:
    with pytest.raises(QueryError, match="line 1:8 no viable alternative at character '''"):
        parse("comment:'recheck-security'")


def test_escapes_inside_quotes() -> None:
    assert parse_syntax(r'message:"a \"b\" \\ c\td\qe"') == Term("message", 'a "b" \\ c\tdqe')
    assert parse_syntax(r"message:{a \} b}") == Term("message", "a } b")


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ('message:"abc', "line 1:12 mismatched character '<EOF>' expecting '\"'"),
        ("message:{abc", "line 1:12 mismatched character '<EOF>' expecting '}'"),
        ("message:{a{b}", "line 1:10 mismatched character '{' expecting '}'"),
        ('message:"abc\\', "line 1:13 mismatched character '<EOF>' expecting set null"),
        ("status:open\n!", "line 2:0 no viable alternative at character '!'"),
        ("status:\x0bopen", "line 1:7 no viable alternative at character '\x0b'"),
    ],
)
def test_lexer_errors_carry_antlrs_text_and_position(query: str, error: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(query)
    assert str(err.value) == error


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("status:open OR", "line 1:14 no viable alternative at input '<EOF>'"),
        ("project:", "line 1:8 no viable alternative at input '<EOF>'"),
        ("(status:open", "line 1:12 missing ')' at '<EOF>'"),
        ('("x":)', "line 1:4 extraneous input ':' expecting ')'"),
        ("AND status:open", "line 1:0 no viable alternative at input 'AND'"),
        ("--is:wip", "line 1:1 no viable alternative at input '-'"),
        ("NOT NOT is:wip", "line 1:4 no viable alternative at input 'NOT'"),
        ("()", "line 1:1 no viable alternative at input ')'"),
        ("", "query is empty"),
        ("   ", "line 1:3 no viable alternative at input '<EOF>'"),
    ],
)
def test_parser_errors_carry_antlrs_text_and_position(query: str, error: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(query)
    assert str(err.value) == error


def test_lowercase_and_or_not_are_operators() -> None:
    both = And((Term("status", "open"), Term("is", "wip")))
    assert parse("status:open and is:wip") == parse("status:open AND is:wip") == both
    assert parse("is:wip or is:private") == Or((Term("is", "wip"), Term("is", "private")))
    assert parse("not is:wip") == parse("NOT is:wip") == parse("-is:wip") == Not(Term("is", "wip"))
    # Other casings are words, searched as text.
    assert parse("status:open And is:wip") == And(
        (Term("status", "open"), Term("text", "And"), Term("is", "wip"))
    )


def test_an_operator_name_is_lower_case() -> None:
    """``Status:open`` is a default-field search for the text, not the status operator."""
    assert parse_syntax("Status:open") == Term("", "Status:open")
    assert parse("Status:open") == Term("text", "Status:open")


def test_values_may_hold_colons_and_dashes() -> None:
    assert parse("ref:refs/heads/a:b") == Term("ref", "refs/heads/a:b")
    assert parse("label:Code-Review=-1") == Term("label", "Code-Review=-1")
    assert parse("branch:stable/2024.1") == Term("branch", "stable/2024.1")


def test_what_follows_an_unmatched_parenthesis_is_never_read() -> None:
    # Query.g's start rule has no EOF: Gerrit parses up to the ')' and ignores the rest,
    # without even lexing it.
    assert parse("status:open ) $$$ (((") == Term("status", "open")


def test_deep_nesting_and_too_many_terms_are_400s_not_crashes() -> None:
    deep = "(" * (MAX_DEPTH + 1) + "status:open" + ")" * (MAX_DEPTH + 1)
    with pytest.raises(QueryError, match="nested too deeply"):
        parse(deep)
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("(" * 200_000)
    ok = "(" * MAX_DEPTH + "status:open" + ")" * MAX_DEPTH
    assert parse(ok) == Term("status", "open")
    with pytest.raises(QueryError, match=r"^too many terms in query$"):
        parse(" OR ".join(["is:wip"] * (MAX_TERMS + 1)))


def test_is_single_word() -> None:
    assert is_single_word("openstack/nova")
    assert not is_single_word("-x")
    assert not is_single_word("a b")
    assert not is_single_word("^nova$")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-02", datetime(2025, 1, 2, tzinfo=UTC)),
        ("2025-01-02 15:04:05", datetime(2025, 1, 2, 15, 4, 5, tzinfo=UTC)),
        ("2025-01-02 15:04:05.5", datetime(2025, 1, 2, 15, 4, 5, 500000, tzinfo=UTC)),
        ("2025-01-02 15:04:05 +0100", datetime(2025, 1, 2, 14, 4, 5, tzinfo=UTC)),
        ("2025-1-2 3:4:5", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2025-12-32", datetime(2026, 1, 1, tzinfo=UTC)),  # Calendar is lenient
    ],
)
def test_timestamps_gerrit_reads(value: str, expected: datetime) -> None:
    assert parse_query_time(value) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2025-01-02 15:04", "Invalid time format: 15:04"),
        ("2025-01-02T15:04:05", "Invalid date format: 2025-01-02T15:04:05"),
        ("2025-01-02 15:04:05Z", "Invalid time format: 15:04:05Z"),
        ("2025-01-02 15:04:05 -07:00", "Invalid time zone: -07:00"),
        ("2025-01-02 15:04:05 UTC", "Invalid time zone: UTC"),
        ("2025-01-02  15:04:05", "Invalid time zone: 15:04:05"),
        ("yesterday", "Invalid date format: yesterday"),
        ("2025-01-02 15:04:05 +0000 x", "Expected date and optional time: "),
    ],
)
def test_timestamps_gerrit_refuses_and_its_messages(value: str, error: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_query_time(value)
    assert str(err.value).startswith(error)
    with pytest.raises(QueryError) as qerr:
        parse(f'after:"{value}"')
    assert str(qerr.value).startswith(error)
