"""The change query language: operators, their values, and the evaluator.

The syntax (Gerrit's ``Query.g``) is read by :mod:`fakegerrit.querysyntax`; this module
checks each operator and value as ``ChangeQueryBuilder`` does and evaluates the tree
against a change. Terms are ANDed; ``-term`` and ``NOT term`` negate; ``OR`` and
parentheses group.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .model import Account, Change
from .querysyntax import And, Node, Not, Or, QueryError, Term, parse_syntax
from .timefmt import parse_age, parse_query_time


class AuthRequired(Exception):
    """An operator that needs a signed-in user was used anonymously (HTTP 403)."""


ALIASES = {
    "p": "project",
    "repo": "project",
    "repository": "project",
    "since": "after",
    "until": "before",
    "dir": "directory",
    "ext": "extension",
    "onlyexts": "onlyextensions",
    "f": "file",
    "o": "owner",
    "r": "reviewer",
    "tr": "tr",
}
OPERATORS = {
    "status", "is", "project", "projects", "branch", "ref", "change", "commit", "owner",
    "uploader", "reviewer", "cc", "file", "path", "directory", "extension", "onlyextensions",
    "comment", "after", "before", "age", "message", "topic", "intopic", "hashtag", "limit",
    "label", "added", "deleted", "delta", "size", "hasfile",
}  # fmt: skip


def _normalise(term: Term) -> Term:
    op = ALIASES.get(term.op, term.op)
    if op == "":
        value = term.value
        if value.startswith("refs/"):  # ChangeQueryBuilder.defaultField
            return Term("ref", value)
        if value.isdigit():
            return Term("change", value)
        if re.fullmatch(r"[iI][0-9a-fA-F]{4,40}", value):
            return Term("change", value)
        if re.fullmatch(r"[0-9a-fA-F]{6,40}", value):
            return Term("commit", value)
        return Term("text", value)
    if op not in OPERATORS:
        raise QueryError(f"Unsupported operator {term.op}:{term.value}")
    if op == "limit" and not term.value.isdigit():
        raise QueryError(f"Invalid limit: {term.value}")
    if op in ("after", "before"):
        try:
            parse_query_time(term.value)
        except ValueError as exc:
            raise QueryError(str(exc)) from None
    if op == "age":
        try:
            parse_age(term.value)
        except ValueError as exc:
            raise QueryError(str(exc)) from None
    if op == "status" and term.value.lower() not in _STATUS:
        raise QueryError(f"Unrecognized value: {term.value}")
    if op == "is" and term.value.lower() not in _IS:
        raise QueryError(f"Invalid query: unknown value '{term.value}' for operator is")
    return Term(op, term.value)


def parse(text: str) -> Node:
    """``text`` parsed by Gerrit's grammar, each operator and its value checked."""
    return _checked(parse_syntax(text))


def _checked(node: Node) -> Node:
    if isinstance(node, Term):
        return _normalise(node)
    if isinstance(node, Not):
        return Not(_checked(node.child))
    return type(node)(tuple(_checked(c) for c in node.children))


def query_limit(node: Node) -> int | None:
    """The smallest ``limit:N`` in the query (Gerrit applies it to the whole query)."""
    if isinstance(node, Term):
        return int(node.value) if node.op == "limit" else None
    children = (node.child,) if isinstance(node, Not) else node.children
    limits = [lim for c in children if (lim := query_limit(c)) is not None]
    return min(limits) if limits else None


# ------------------------------------------------------------------ evaluation

_STATUS = {
    "open": {"NEW"}, "new": {"NEW"}, "pending": {"NEW"}, "reviewed": {"NEW"},
    "closed": {"MERGED", "ABANDONED"}, "merged": {"MERGED"}, "abandoned": {"ABANDONED"},
}  # fmt: skip
_IS = set(_STATUS) | {
    "wip", "private", "merge", "reviewed", "watched", "starred", "visible", "owner",
    "reviewer", "cherrypick", "pure-revert", "submittable", "mergeable", "ignored", "attention",
    "uploader", "cc",
}  # fmt: skip


@dataclass
class EvalContext:
    """What the evaluator needs besides the change itself."""

    now: datetime
    caller: Account | None
    accounts: Callable[[str], list[Account]]
    files: Callable[[Change], list[str]]  # paths touched by the current patch set
    commit_message: Callable[[Change], str]
    texts: Callable[[Change], list[str]]  # published comments and change messages


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^0-9a-z]+", text.lower()) if t]


def _contains_phrase(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return True
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise QueryError(f"Invalid regular expression {pattern}: {exc}") from None


def _match_name(value: str, name: str) -> bool:
    if value.startswith("^"):
        return _regex(value).fullmatch(name) is not None
    return value == name


def _accounts_match(ctx: EvalContext, value: str, account_id: int) -> bool:
    if value == "self":
        if ctx.caller is None:
            raise AuthRequired("Must be signed-in to use this operator")
        return ctx.caller.account_id == account_id
    return any(a.account_id == account_id for a in ctx.accounts(value))


def _ext(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def evaluate(node: Node, ch: Change, ctx: EvalContext) -> bool:
    if isinstance(node, And):
        return all(evaluate(c, ch, ctx) for c in node.children)
    if isinstance(node, Or):
        return any(evaluate(c, ch, ctx) for c in node.children)
    if isinstance(node, Not):
        return not evaluate(node.child, ch, ctx)
    return _term(node, ch, ctx)


def _term(t: Term, ch: Change, ctx: EvalContext) -> bool:
    match = _MATCHERS.get(t.op)
    if match is None:
        raise QueryError(f"Unsupported operator {t.op}:{t.value}")
    return match(t.value, ch, ctx)


# ------------------------------------------------------------------ one matcher per operator

Matcher = Callable[[str, Change, EvalContext], bool]

_SIGNED_IN_IS = {
    "starred", "watched", "owner", "reviewer", "cc", "attention", "ignored", "uploader",
}  # fmt: skip


def _is_signed_in(low: str, ch: Change, ctx: EvalContext) -> bool:
    """``is:owner``, ``is:reviewer`` and the others that are about the caller."""
    if ctx.caller is None:
        raise AuthRequired("Must be signed-in to use this operator")
    me = ctx.caller.account_id
    if low == "owner":
        return ch.owner == me
    if low == "uploader":
        return ch.current.uploader == me
    if low in ("reviewer", "cc"):
        return ch.reviewers.get(me) == ("CC" if low == "cc" else "REVIEWER")
    return False


def _submittable(ch: Change) -> bool:
    code_review = ch.votes.get("Code-Review", {})
    return ch.status == "NEW" and code_review != {} and any(v == 2 for v in code_review.values())


_IS_FLAGS: dict[str, Callable[[Change], bool]] = {
    "wip": lambda ch: ch.wip,
    "private": lambda ch: ch.private,
    "visible": lambda ch: True,
    "submittable": _submittable,
    "mergeable": lambda ch: ch.status == "NEW",
}


def _is(v: str, ch: Change, ctx: EvalContext) -> bool:
    low = v.lower()
    if low in _STATUS:
        return ch.status in _STATUS[low]
    if low in _SIGNED_IN_IS:
        return _is_signed_in(low, ch, ctx)
    flag = _IS_FLAGS.get(low)
    return flag(ch) if flag is not None else False  # merge, cherrypick, pure-revert


def _branch(v: str, ch: Change, ctx: EvalContext) -> bool:
    if v.startswith("^"):
        rx = _regex(v)
        return rx.fullmatch(ch.branch) is not None or rx.fullmatch(ch.full_branch) is not None
    return v in (ch.branch, ch.full_branch)


def _change(v: str, ch: Change, ctx: EvalContext) -> bool:
    if v.isdigit():
        return ch.number == int(v)
    if "~" in v:
        parts = v.split("~")
        if len(parts) == 2 and parts[1].isdigit():
            return ch.project == parts[0] and ch.number == int(parts[1])
        return False
    return ch.change_id.lower().startswith(v.lower())


def _people(want: str) -> Matcher:
    def match(v: str, ch: Change, ctx: EvalContext) -> bool:
        return any(
            state == want and _accounts_match(ctx, v, acc) for acc, state in ch.reviewers.items()
        )

    return match


def _file(v: str, ch: Change, ctx: EvalContext) -> bool:
    files = ctx.files(ch)
    if v.startswith("^"):
        rx = _regex(v)
        return any(rx.fullmatch(p) for p in files)
    return any(v == p or v in p.split("/") for p in files)


def _path(v: str, ch: Change, ctx: EvalContext) -> bool:
    files = ctx.files(ch)
    if v.startswith("^"):
        rx = _regex(v)
        return any(rx.fullmatch(p) for p in files)
    return v in files


def _directory(v: str, ch: Change, ctx: EvalContext) -> bool:
    dirs = [p.rsplit("/", 1)[0] if "/" in p else "" for p in ctx.files(ch)]
    if v.startswith("^"):
        rx = _regex(v)
        return any(rx.fullmatch(d) for d in dirs)
    want_dirs = [x for x in v.lower().strip("/").split("/") if x]
    n = len(want_dirs)
    for d in dirs:
        segs = [x for x in d.lower().split("/") if x]
        if any(segs[i : i + n] == want_dirs for i in range(len(segs) - n + 1)):
            return True
    return False


def _extension(v: str, ch: Change, ctx: EvalContext) -> bool:
    want_ext = v.lower().lstrip(".")
    return any(_ext(p) == want_ext for p in ctx.files(ch))


def _only_extensions(v: str, ch: Change, ctx: EvalContext) -> bool:
    wanted = {e.strip().lstrip(".") for e in v.lower().split(",")}
    files = ctx.files(ch)
    return bool(files) and all(_ext(p) in wanted for p in files)


def _comment(v: str, ch: Change, ctx: EvalContext) -> bool:
    needle = _tokens(v)
    return any(_contains_phrase(_tokens(text), needle) for text in ctx.texts(ch))


def _text(v: str, ch: Change, ctx: EvalContext) -> bool:
    if _contains_phrase(_tokens(ctx.commit_message(ch)), _tokens(v)):
        return True
    return v == ch.project or any(v == p or v in p.split("/") for p in ctx.files(ch))


def _topic(v: str, ch: Change, ctx: EvalContext) -> bool:
    if v.startswith("^"):
        return ch.topic is not None and _regex(v).fullmatch(ch.topic) is not None
    return (ch.topic or "") == v


_MATCHERS: dict[str, Matcher] = {
    "status": lambda v, ch, ctx: ch.status in _STATUS[v.lower()],
    "is": _is,
    "project": lambda v, ch, ctx: _match_name(v, ch.project),
    "projects": lambda v, ch, ctx: ch.project.startswith(v),
    "branch": _branch,
    "ref": lambda v, ch, ctx: _match_name(v, ch.full_branch),
    "change": _change,
    "commit": lambda v, ch, ctx: any(ps.sha.startswith(v.lower()) for ps in ch.patchsets),
    "owner": lambda v, ch, ctx: _accounts_match(ctx, v, ch.owner),
    "uploader": lambda v, ch, ctx: _accounts_match(ctx, v, ch.current.uploader),
    "reviewer": _people("REVIEWER"),
    "cc": _people("CC"),
    "file": _file,
    "hasfile": _file,
    "path": _path,
    "directory": _directory,
    "extension": _extension,
    "onlyextensions": _only_extensions,
    "comment": _comment,
    "message": lambda v, ch, ctx: _contains_phrase(_tokens(ctx.commit_message(ch)), _tokens(v)),
    "text": _text,
    "after": lambda v, ch, ctx: ch.updated >= parse_query_time(v),
    "before": lambda v, ch, ctx: ch.updated <= parse_query_time(v),
    "age": lambda v, ch, ctx: ch.updated <= ctx.now - parse_age(v),
    "topic": _topic,
    "intopic": lambda v, ch, ctx: ch.topic is not None and v.lower() in ch.topic.lower(),
    "hashtag": lambda v, ch, ctx: v.lower() in (h.lower() for h in ch.hashtags),
    "limit": lambda v, ch, ctx: True,
    "label": lambda v, ch, ctx: _label(v, ch),
}


def _label(value: str, ch: Change) -> bool:
    m = re.fullmatch(r"([A-Za-z][\w-]*?)(?:([=<>]=?|[+-])(-?\d+|[+-]?\d+|ok|reject|need))?", value)
    if not m:
        raise QueryError(f"Invalid label: {value}")
    name, sep, raw = m.groups()
    votes = {k.lower(): v for k, v in ch.votes.items()}.get(name.lower(), {})
    values = [v for v in votes.values() if v != 0]
    if sep is None:
        return bool(values)
    if sep in ("+", "-"):
        want = int(sep + raw)
        return want in values
    if raw in ("ok", "reject", "need"):
        return bool(values) if raw != "need" else not values
    want = int(raw)
    if sep == "=":
        return want in values if want != 0 else not values
    if sep == ">=":
        return any(v >= want for v in values)
    if sep == "<=":
        return any(v <= want for v in values)
    if sep == ">":
        return any(v > want for v in values)
    return any(v < want for v in values)
