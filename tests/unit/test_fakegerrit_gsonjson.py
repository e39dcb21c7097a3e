"""Gson's lenient reader and binding, as the fake Gerrit reads request bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakegerrit.gsonjson import EMPTY, NESTING_LIMIT, JsonSyntaxError, bind, read_lenient
from fakegerrit.inputs import REVIEW_INPUT


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("{'message': 'hi', 'x': True, 'y': None}", {"message": "hi", "x": True, "y": "None"}),
        ("{message: hello}", {"message": "hello"}),
        ("{a=1;b=>2}", {"a": 1, "b": 2}),
        ("[1,,2]", [1, None, 2]),
        ("[,]", [None, None]),
        ("[1,]", [1, None]),
        ("{}garbage", {}),
        (')]}\'\n{"a": 1}', {"a": 1}),
        ('"a string"', "a string"),
        ("hello world", "hello"),
        ('// c\n{/* x */ "a" # y\n : 1}', {"a": 1}),
        ("nULl", None),
        ('"\\u00e9\\n\\/"', "\u00e9\n/"),
    ],
)
def test_what_the_lenient_reader_takes(text: str, value: Any) -> None:
    assert read_lenient(text) == value


@pytest.mark.parametrize(
    "text",
    ['{"a": 1,}', '"\\q"', '{"a" 1}', '{"a": }', "[1 2]", '"open', "{'a': 1", "/x"],
)
def test_what_it_refuses(text: str) -> None:
    with pytest.raises(JsonSyntaxError):
        read_lenient(text)


def test_an_empty_document_is_told_apart() -> None:
    assert read_lenient("") is EMPTY and read_lenient(" \n ") is EMPTY


def test_depth_costs_no_recursion_and_is_capped_as_gson_caps_it() -> None:
    deep = "[" * NESTING_LIMIT + "]" * NESTING_LIMIT
    value = read_lenient(deep)
    for _ in range(NESTING_LIMIT - 1):
        value = value[0]
    assert value == []
    with pytest.raises(JsonSyntaxError, match="Nesting limit"):
        read_lenient("[" * 100_000)


def test_binding_coerces_as_gsons_type_adapters() -> None:
    raw = read_lenient(
        "{message: 1e5, tag: true, labels: {'Code-Review': '-1'}, ready: 'TRUE',"
        " comments: {'a.py': [{line: 2.0, side: 'BOGUS', unresolved: 'no', extra: [1]}]},"
        " notify: 'nobody', unknown_field: {deep: [1, 2]}}"
    )
    bound = bind(raw, REVIEW_INPUT)
    assert bound["message"] == "1e5" and bound["tag"] == "true"
    assert bound["labels"] == {"Code-Review": -1} and bound["ready"] is True
    (comment,) = bound["comments"]["a.py"]
    assert comment["line"] == 2 and "side" not in comment and comment["unresolved"] is False
    assert "notify" not in bound  # an enum name Gson does not know is null
    assert bound["unknown_field"] == {"deep": [1, 2]}  # kept, never read


@pytest.mark.parametrize(
    "text",
    [
        "{labels: {'Code-Review': 1, 'Code-Review': 1}}",  # duplicate map key
        "{labels: {'Code-Review': true}}",  # a boolean vote
        "{labels: {'Code-Review': 1.5}}",  # not integral
        "{labels: {'Code-Review': 40000}}",  # not a short
        "{comments: 5}",  # a map expected (an array of pairs would do)
        "{comments: {'a.py': {}}}",  # a list expected
        "{ready: 1}",  # a boolean expected
        "{message: {}}",  # a string expected
    ],
)
def test_binding_refuses_what_gson_refuses(text: str) -> None:
    with pytest.raises(JsonSyntaxError):
        bind(read_lenient(text), REVIEW_INPUT)


def test_a_map_may_come_as_pairs() -> None:
    assert bind(read_lenient("{labels: [['Verified', 1]]}"), REVIEW_INPUT) == {
        "labels": {"Verified": 1}
    }


# -- RestApiServlet.parseRequest --------------------------------------------------------------


def _parse(body: bytes, ctype: str | None, cls: Any, method: str = "POST") -> Any:
    from fakegerrit.errors import HttpError
    from fakegerrit.inputs import parse_request

    headers = {"Content-Length": str(len(body))}
    if ctype is not None:
        headers["Content-Type"] = ctype
    try:
        return parse_request(method, headers, body, set(), cls)
    except HttpError as err:
        return (err.status, err.message)


def test_parse_request_follows_the_servlets_order() -> None:
    from fakegerrit.inputs import DELETE_REVIEWER, HASHTAGS, REVIEW, TOPIC

    assert _parse(b"", None, REVIEW) == {}
    assert _parse(b"", None, DELETE_REVIEWER, method="DELETE") == {}
    assert _parse(b"", "application/json", REVIEW) == (400, "Expected JSON object")
    assert _parse(b'"new topic"', "application/json", TOPIC) == {"topic": "new topic"}
    assert _parse(b"tag", "text/plain; charset=UTF-8", HASHTAGS) == (400, "Expected JSON object")
    assert _parse(b"caf\xe9", "text/plain", REVIEW) == {"message": "caf\u00e9"}  # ISO-8859-1
    assert _parse(b"a=1&a.b=2", "application/x-www-form-urlencoded", REVIEW) == (
        400,
        "key a.b conflicts with a",
    )
    assert _parse(b"x", "Application/JSON", REVIEW) == (
        400,
        "Expected Content-Type: application/json",
    )
    assert _parse(b"null", "application/json", REVIEW) == (500, "Internal server error")


def test_an_escaped_surrogate_pair_is_one_character_as_in_java() -> None:
    """json.dumps escapes an emoji as two \\u escapes; Java (and so Gerrit) reads them as the
    one character they are, and a lone surrogate stays a lone surrogate."""
    assert read_lenient(json.dumps({"m": "x😀y"})) == {"m": "x😀y"}
    assert read_lenient('{"m": "\\ud83d"}') == {"m": "\ud83d"}
