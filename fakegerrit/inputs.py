"""The input of a write view, read from the request as ``RestApiServlet.parseRequest`` does.

* ``Content-Type: application/json`` (the token, any parameters): the body is read with
  Gson's lenient reader (:mod:`fakegerrit.gsonjson`). An empty body is ``400 Expected JSON
  object``; a top-level string fills the input's ``@DefaultInput`` field (the review's
  ``message``, the topic's ``topic``, ...) or is ``400 Expected JSON object``; anything Gson
  cannot bind is ``400 Invalid application/json in request``.
* No body and no ``Content-Type``: the empty input.
* ``text/plain``: the body is the ``@DefaultInput`` field.
* ``application/x-www-form-urlencoded`` on a POST: ``ParameterParser.formToJson``.
* Any other type with a body: ``400 Expected Content-Type: application/json``.

Each view's input class is a schema here (the fields Gerrit's class has, with their Gson
types), so a value is coerced the way Gerrit would coerce it before the fake reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from .errors import HttpError
from .gsonjson import EMPTY, Enum, JsonSyntaxError, List, Map, Type, bind, read_lenient
from .views import LIST_CHANGES_OPTIONS

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
INVALID_JSON = "Invalid application/json in request"

NOTIFY = Enum(frozenset({"NONE", "OWNER", "OWNER_REVIEWERS", "ALL"}))
RANGE = {"start_line": "int", "start_character": "int", "end_line": "int", "end_character": "int"}
FIX_SUGGESTION = {
    "fix_id": "str",
    "description": "str",
    "replacements": List({"path": "str", "range": RANGE, "replacement": "str"}),
}
COMMENT_INPUT = {
    "id": "str",
    "path": "str",
    "side": Enum(frozenset({"PARENT", "REVISION"})),
    "parent": "int",
    "line": "int",
    "range": RANGE,
    "in_reply_to": "str",
    "updated": "any",
    "message": "str",
    "unresolved": "bool",
    "tag": "str",
    "fix_suggestions": List(FIX_SUGGESTION),
}
REVIEWER_INPUT = {
    "reviewer": "str",
    "state": Enum(frozenset({"REVIEWER", "CC", "REMOVED"})),
    "confirmed": "bool",
    "notify": NOTIFY,
    "notify_details": "any",
}
ATTENTION_SET_INPUT = {"user": "str", "reason": "str", "notify": NOTIFY, "notify_details": "any"}
REVIEW_INPUT = {
    "message": "str",
    "tag": "str",
    "labels": Map("short"),
    "comments": Map(List(COMMENT_INPUT)),
    "robot_comments": "any",
    "drafts": Enum(frozenset({"PUBLISH", "PUBLISH_ALL_REVISIONS", "KEEP"})),
    "notify": NOTIFY,
    "notify_details": "any",
    "omit_duplicate_comments": "bool",
    "on_behalf_of": "str",
    "reviewers": List(REVIEWER_INPUT),
    "ready": "bool",
    "work_in_progress": "bool",
    "add_to_attention_set": List(ATTENTION_SET_INPUT),
    "remove_from_attention_set": List(ATTENTION_SET_INPUT),
    "ignore_automatic_attention_set_rules": "bool",
    "response_format_options": List(Enum(LIST_CHANGES_OPTIONS)),
    "strict_labels": "bool",
}


@dataclass(frozen=True)
class InputClass:
    """A view's input: its Gson schema and its ``@DefaultInput`` String field, if any."""

    schema: dict[str, Type]
    default: str | None = None


REVIEW = InputClass(REVIEW_INPUT, "message")
MESSAGE = InputClass({"message": "str", "notify": NOTIFY, "notify_details": "any"}, "message")
TOPIC = InputClass({"topic": "str"}, "topic")
HASHTAGS = InputClass({"add": List("str"), "remove": List("str")})  # @DefaultInput is a Set
ADD_REVIEWER = InputClass(REVIEWER_INPUT, "reviewer")
DELETE_REVIEWER = InputClass({"notify": NOTIFY, "notify_details": "any"})


def _is_type(expect: str, given: str | None) -> bool:
    """``RestApiServlet.isType``: one of the header's tokens is exactly ``expect``."""
    if given is None:
        return False
    return expect in re.split(r"[ ,;]+", given)


def _charset(content_type: str, default: str) -> str:
    m = re.search(r"charset=([^;\s]+)", content_type, re.IGNORECASE)
    name = m.group(1).strip("\"'") if m else default
    try:
        "".encode(name)
    except LookupError:
        return default
    return name


def parse_request(
    method: str,
    headers: dict[str, str],
    body: bytes,
    query_keys: set[str],
    cls: InputClass,
) -> dict[str, Any]:
    """The bound input of a write view (see the module doc); raises :class:`HttpError`."""
    ctype = headers.get("Content-Type")
    length_header = headers.get("Content-Length")
    length = int(length_header) if length_header and length_header.isdigit() else -1
    if _is_type(JSON_TYPE, ctype):
        assert ctype is not None
        value = read_json(body.decode(_charset(ctype, "utf-8"), errors="replace"))
        if value is EMPTY:
            raise HttpError(400, "Expected JSON object")
        if isinstance(value, str):
            return _default_input(value, cls)
        return _bind(value, cls)
    if method == "DELETE" and length <= 0 and ctype is None:
        return {}
    if (length <= 0 and ctype is None) or (length == 0 and _is_type(FORM_TYPE, ctype)):
        return {}
    if _is_type("text/plain", ctype):
        assert ctype is not None
        return _default_input(body.decode(_charset(ctype, "iso-8859-1"), errors="replace"), cls)
    if method == "POST" and _is_type(FORM_TYPE, ctype):
        return _bind(_form_to_json(body, query_keys), cls)
    raise HttpError(400, f"Expected Content-Type: {JSON_TYPE}")


def read_json(text: str) -> Any:
    """The first JSON value of ``text`` (lenient), or a 400 with Gerrit's text."""
    try:
        return read_lenient(text)
    except JsonSyntaxError:
        raise HttpError(400, INVALID_JSON) from None


def _default_input(value: str, cls: InputClass) -> dict[str, Any]:
    if not value:
        return {}
    if cls.default is None:
        raise HttpError(400, "Expected JSON object")
    return {cls.default: value}


def _bind(value: Any, cls: InputClass) -> dict[str, Any]:
    if value is None:
        # Gson binds a top-level null to a null input, which the view dereferences.
        raise HttpError(500, "Internal server error")
    try:
        bound = bind(value, cls.schema)
    except JsonSyntaxError:
        raise HttpError(400, INVALID_JSON) from None
    assert isinstance(bound, dict)
    return bound


def _form_to_json(body: bytes, query_keys: set[str]) -> dict[str, Any]:
    """``ParameterParser.formToJson``: ``a.b=v`` nests one level; repeated keys are lists."""
    values: dict[str, list[str]] = {}
    for k, v in parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True):
        values.setdefault(k, []).append(v)
    out: dict[str, Any] = {}
    for key, vals in values.items():
        if key in query_keys:
            continue
        target = out
        prop, dot, rest = key.partition(".")
        if dot:
            existing = out.setdefault(prop, {})
            if not isinstance(existing, dict):
                raise HttpError(400, f"key {key} conflicts with {prop}")
            target, key = existing, rest
        if key in target:
            raise HttpError(400, "invalid form input, use JSON instead")
        target[key] = vals[0] if len(vals) == 1 else list(vals)
    return out


__all__ = [
    "ADD_REVIEWER",
    "DELETE_REVIEWER",
    "HASHTAGS",
    "MESSAGE",
    "REVIEW",
    "TOPIC",
    "InputClass",
    "parse_request",
    "read_json",
]
