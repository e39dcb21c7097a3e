"""The analysis engine: decode, parse once, walk once, dispatch by node type.

``analyze_source`` is pure (no I/O) and never raises for bad input: a file that
cannot be decoded or parsed gives a ``FileResult`` with ``error`` set; a rule that raises
(a bug, or a recursion or memory limit on a hostile file) is recorded in ``rule_errors``
and stops nothing else — neither its own checks of other nodes nor the other rules.

Dispatch: each rule declares the AST node classes it looks at; a table
``node class -> [(rule, check)]`` is built once per rule set, and one iterative
walk over the tree calls the checks of each node's class. Operator and
expression-context nodes (``ast.Add``, ``ast.Load``…) are not visited; rules
read them from their parent node. What the checks report becomes findings in
``findings.py``; what a check can ask is ``context.py``.
"""

from __future__ import annotations

import ast
import gc
import io
import logging
import re
import sys
import threading
import tokenize
import warnings
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from bot.analysis.catalogue import all_rules, get_rule, rule_ids
from bot.analysis.context import Context
from bot.analysis.findings import (
    BLANKET_NOSEC,
    UNPARSABLE,
    DeletedScopes,
    collect,
    unparsable_finding,
)
from bot.analysis.model import FileResult, RuleError
from bot.analysis.noqa import scan_noqa
from bot.analysis.nosec import scan_nosec
from bot.analysis.project import ProjectModel
from bot.analysis.registry import CheckFn, Rule
from bot.analysis.testpaths import TestPathMatcher

__all__ = ["analyze_source", "build_dispatch", "decode_source"]

LOG = logging.getLogger(__name__)

_DEFAULT_MATCHER = TestPathMatcher()
_PY = f"{sys.version_info.major}.{sys.version_info.minor}"

Dispatch = dict[Any, tuple[tuple[Rule, CheckFn], ...]]


class _DecodeError(Exception):
    pass


def decode_source(source: str | bytes) -> str:
    """Decode like the interpreter: PEP 263 cookie, UTF-8 BOM, UTF-8 by default."""
    if isinstance(source, str):
        return source[1:] if source.startswith("\ufeff") else source
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        text = source.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise _DecodeError(str(exc)) from None
    return text[1:] if text.startswith("\ufeff") else text


def _split_lines(text: str) -> list[str]:
    # Only \r\n, \r and \n end a line for the tokenizer (str.splitlines also splits
    # on \x0c, \x1c… which would shift every line number after them).
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# --------------------------------------------------------------------------- walk

# Fields that never hold child nodes we dispatch (names, flags, operators, contexts).
_SKIP_FIELDS = frozenset(
    {
        "ctx", "op", "ops", "id", "attr", "arg", "name", "module", "level", "kind",
        "type_comment", "is_async", "conversion", "asname", "tag", "lineno",
        "col_offset", "end_lineno", "end_col_offset",
    }
)  # fmt: skip
_NO_CHILDREN: tuple[type, ...] = (ast.Constant, ast.Global, ast.Nonlocal, ast.MatchSingleton)


class _ChildFields(dict[type, tuple[str, ...]]):
    """node class -> the fields that can hold child nodes, computed on first lookup."""

    def __missing__(self, cls: type) -> tuple[str, ...]:
        if issubclass(cls, _NO_CHILDREN):
            fields: tuple[str, ...] = ()
        else:
            fields = tuple(f for f in getattr(cls, "_fields", ()) if f not in _SKIP_FIELDS)
        self[cls] = fields
        return fields


_FIELDS = _ChildFields()


_LEAVE = object()
_IMPORT_TYPES = (ast.Import, ast.ImportFrom)


_DISPATCH_CACHE: dict[tuple[object, ...], tuple[tuple[Rule, ...], Dispatch]] = {}


def build_dispatch(rules: tuple[Rule, ...], is_test: bool | None = None) -> Dispatch:
    """``node class -> ((rule, check), …)`` for a rule set (cached per rule set); with
    ``is_test``, only the rules whose checks look at such a file (``Rule.files``).

    The cache is keyed by the rules' identity: two rules with the same metadata but
    different checks compare equal, and must not share a table."""
    key = (is_test, *map(id, rules))
    hit = _DISPATCH_CACHE.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], rules, strict=True)):
        return hit[1]
    if len(_DISPATCH_CACHE) >= 32:
        _DISPATCH_CACHE.clear()
    used = rules if is_test is None else tuple(r for r in rules if r.applies_to(is_test))
    table = _build_dispatch(used)
    _DISPATCH_CACHE[key] = (rules, table)
    return table


def _build_dispatch(rules: tuple[Rule, ...]) -> Dispatch:
    table: dict[Any, list[tuple[Rule, CheckFn]]] = {}
    for rule in rules:
        for node_type in rule.node_types:
            # dispatch on concrete classes: expand abstract ones (ast.stmt, ast.expr…)
            for cls in _concrete(node_type):
                if cls is ast.Call and rule.call_names is not None:
                    # keyed ("call", name): only calls of those names reach the check
                    for name in rule.call_names:
                        table.setdefault(("call", name), []).append((rule, rule.check))
                    table.setdefault(ast.Call, [])
                    continue
                table.setdefault(cls, []).append((rule, rule.check))
    return {key: tuple(entries) for key, entries in table.items()}


def _concrete(node_type: type) -> list[type]:
    out: list[type] = []
    todo = [node_type]
    while todo:
        cls = todo.pop()
        subs: list[type] = cls.__subclasses__()
        has_fields = bool(getattr(cls, "_fields", None))
        if not subs or (cls.__module__ == "ast" and has_fields):
            out.append(cls)
        todo.extend(s for s in subs if s.__module__ == "ast")
    return out


# ------------------------------------------------------------------------- engine


def _rule_failed(ctx: Context, rule: Rule, exc: Exception, node: ast.AST | None) -> None:
    """Record a check that raised, once per rule (with the number of nodes it failed on);
    the walk goes on. RecursionError and MemoryError are contained like any other error:
    the stack and the memory they ran out of are released when the check unwinds."""
    line = getattr(node, "lineno", 0) or 0
    seen = ctx.rule_errors.get(rule.id)
    if seen is not None:
        ctx.rule_errors[rule.id] = replace(seen, count=seen.count + 1)
        return
    text = f"{type(exc).__name__}: {exc}"
    ctx.rule_errors[rule.id] = RuleError(rule.id, line, text[:200])
    LOG.warning("rule %s failed on %s line %d: %s", rule.id, ctx.path, line, text[:200])
    LOG.debug("rule %s failed", rule.id, exc_info=exc)


def _walk(tree: ast.AST, ctx: Context, dispatch: Dispatch) -> None:
    """Pre-order walk with an explicit stack (deep trees cannot overflow the C stack);
    ``ctx.ancestors`` is kept current, and the hot loop binds every lookup locally."""
    ancestors = ctx.ancestors
    get_checks = dispatch.get
    child_fields = _FIELDS
    stack: list[Any] = [tree]
    pop = stack.pop
    push = stack.append
    extend = stack.extend
    imports = _IMPORT_TYPES
    leave = _LEAVE
    while stack:
        node = pop()
        if node is leave:
            ancestors.pop()
            continue
        cls = node.__class__
        if cls in imports:
            ctx.add_import(node)
        checks = get_checks(cls)
        if cls is ast.Call:
            func = node.func
            fcls = func.__class__
            named = get_checks(
                (
                    "call",
                    func.attr if fcls is ast.Attribute else func.id if fcls is ast.Name else "",
                )
            )
            if named is not None:
                checks = named + checks if checks else named
        if checks:
            for rule, check in checks:
                ctx.rule = rule
                try:
                    check(node, ctx)
                except Exception as exc:  # a broken rule must not lose the file
                    _rule_failed(ctx, rule, exc, node)
        fields = child_fields[cls]
        if not fields:
            continue
        kids: list[Any] = []
        for f in fields:
            value = getattr(node, f, None)
            if value.__class__ is list:
                kids.extend(value)
            elif isinstance(value, ast.AST):
                kids.append(value)
        if not kids:
            continue
        if cls is ast.Dict:
            kids = [k for k in kids if k is not None]  # ``**d`` has no key
        push(leave)
        ancestors.append(node)
        kids.reverse()
        extend(kids)


def analyze_source(
    path: str,
    source: str | bytes,
    *,
    changed_lines: Collection[int] | None = None,
    is_test: bool | None = None,
    rules: Sequence[Rule] | None = None,
    test_matcher: TestPathMatcher | None = None,
    deleted_after: Collection[int] | None = None,
    project: ProjectModel | None = None,
) -> FileResult:
    """Analyse one file's new source.

    ``changed_lines`` None means every line counts; otherwise a finding is kept
    only when a line of its statement span is changed, or, for a rule whose scope is
    the function or class (``Rule.scope``), when ``deleted_after`` places removed lines
    inside the enclosing one (N: removed lines sat right after new line N, 0 at the top;
    ``ChangedFile.deleted_after`` gives them). ``is_test`` None means "decide from the
    path" with ``test_matcher`` (default globs from RULES.md). ``project`` is the model
    of the tree the file belongs to (its classes, bases and set-up facts across files,
    ``bot.analysis.project``); None means the file alone.
    """
    if is_test is None:
        is_test = (test_matcher or _DEFAULT_MATCHER).is_test(path)
    changed: frozenset[int] | None = None if changed_lines is None else frozenset(changed_lines)
    result = FileResult(path=path, is_test=is_test)
    if changed is not None:
        result.changed_lines = len(changed)
    try:
        text = decode_source(source)
    except _DecodeError as exc:
        result.error = f"could not decode: {exc}"
        return result
    lines = _split_lines(text)
    result.lines = len(lines)
    rule_set = tuple(all_rules() if rules is None else rules)
    deleted = frozenset(deleted_after or ())
    try:
        with _cyclic_gc_paused():
            return _analyze(
                path, text, lines, (changed, deleted), is_test, rule_set, result, project
            )
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        result.findings.clear()
        result.suppressed.clear()
        result.error = f"could not analyse: {type(exc).__name__}: {exc}"[:500]
        return result


_GC_LOCK = threading.Lock()
_GC_PAUSES = 0


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one file is analysed.

    Parsing makes a tree of hundreds of thousands of nodes and the walk allocates while it
    is alive, so the collector ran over and over across the whole heap, finding nothing: a
    third of the analysis time went there (measured on nova's tree). A tree holds no
    reference cycles, and what the analysis allocates is freed by reference counting; any
    cycle is collected as usual once the file is done, so memory stays bounded by one file.
    Nested and concurrent pauses are counted: the collector runs again when the last ends
    (and only if it was running before)."""
    global _GC_PAUSES
    with _GC_LOCK:
        _GC_PAUSES += 1
        if _GC_PAUSES == 1:
            _GC_STATE[0] = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES -= 1
            if _GC_PAUSES == 0 and _GC_STATE[0]:
                gc.enable()


_GC_STATE = [True]


def _parse(text: str, path: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes etc.
        return ast.parse(text, filename=path)


def _run_finishers(ctx: Context, rule_set: tuple[Rule, ...]) -> None:
    for rule in rule_set:
        if rule.finish is not None:
            ctx.rule = rule
            try:
                rule.finish(ctx)
            except Exception as exc:
                _rule_failed(ctx, rule, exc, None)


def _analyze(
    path: str,
    text: str,
    lines: list[str],
    diff: tuple[frozenset[int] | None, frozenset[int]],
    is_test: bool,
    rule_set: tuple[Rule, ...],
    result: FileResult,
    project: ProjectModel | None = None,
) -> FileResult:
    changed, deleted_after = diff
    try:
        tree = _parse(text, path)
    except SyntaxError as exc:
        line = exc.lineno or 1
        line = min(max(line, 1), max(len(lines), 1))
        msg = exc.msg or "invalid syntax"
        # The parser is this interpreter's: syntax of a newer Python (PEP 701 f-strings,
        # PEP 695 type parameters on 3.11) is a syntax error here, so say whose parser it is.
        result.error = f"does not parse with Python {_PY}: {msg} (line {line})"
        if changed is None or line in changed:
            result.findings.append(
                unparsable_finding(get_rule(UNPARSABLE), path, lines, line, msg, is_test)
            )
        return result

    ctx = Context(path, is_test, text, lines, tree=tree, project=project)
    _walk(tree, ctx, build_dispatch(rule_set, is_test))
    _run_finishers(ctx, rule_set)
    result.rule_errors = list(ctx.rule_errors.values())
    if not ctx.raw:
        return result
    deleted = (
        DeletedScopes(tree, deleted_after)
        if changed is not None and deleted_after and any(r.rule.scope != "line" for r in ctx.raw)
        else None
    )
    result.findings, result.suppressed = collect(
        ctx.raw,
        path=path,
        lines=lines,
        is_test=is_test,
        changed=changed,
        nosec=scan_nosec(text, rule_ids()),
        blanket_rule=next((r for r in rule_set if r.id == BLANKET_NOSEC), None),
        deleted=deleted,
        noqa=scan_noqa(text),
    )
    return result
