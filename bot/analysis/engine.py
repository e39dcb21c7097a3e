"""The analysis engine: decode, parse once, walk once, dispatch by node type.

``analyze_source`` is pure (no I/O) and never raises for bad input: a file that
cannot be decoded, parsed or walked gives a ``FileResult`` with ``error`` set.

Dispatch: each rule declares the AST node classes it looks at; a table
``node class -> [(rule, check)]`` is built once per rule set, and one iterative
walk over the tree calls the checks of each node's class. Operator and
expression-context nodes (``ast.Add``, ``ast.Load``…) are not visited; rules
read them from their parent node.
"""

from __future__ import annotations

import ast
import hashlib
import io
import logging
import re
import tokenize
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.analysis.model import FileResult, Finding, Severity, Suppression
from bot.analysis.nosec import Nosec, scan_nosec
from bot.analysis.registry import CheckFn, Rule, all_rules, get_rule, rule_ids
from bot.analysis.testpaths import TestPathMatcher
from bot.markdown import md_code

__all__ = ["Context", "Site", "analyze_source", "build_dispatch", "decode_source"]

LOG = logging.getLogger(__name__)

MAX_CODE_LINES = 5
MAX_QUOTE = 120
UNPARSABLE = "unparsable-file"

_DEFAULT_MATCHER = TestPathMatcher()
_WS = re.compile(r"\s+")

Dispatch = dict[Any, tuple[tuple[Rule, CheckFn], ...]]
BLANKET_NOSEC = "blanket-nosec"


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
_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        if issubclass(cls, _NO_CHILDREN):
            fields = ()
        else:
            fields = tuple(f for f in getattr(cls, "_fields", ()) if f not in _SKIP_FIELDS)
        _FIELDS[cls] = fields
    return fields


_LEAVE = object()


@lru_cache(maxsize=32)
def build_dispatch(rules: tuple[Rule, ...]) -> Dispatch:
    """``node class -> ((rule, check), …)`` for a rule set (cached per rule set)."""
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


# ------------------------------------------------------------------------ context


@dataclass(frozen=True)
class Site:
    """Where a finding is: statement span and enclosing function name."""

    line: int
    end_line: int
    function: str


@dataclass
class _Raw:
    rule: Rule
    site: Site
    severity: Severity
    confidence: str
    fields: dict[str, Any]


_IMPORT_TYPES = (ast.Import, ast.ImportFrom)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


class Context:
    """What a check sees: the file, the parent chain, imports, and ``report``."""

    def __init__(self, path: str, is_test: bool, source: str, lines: list[str]) -> None:
        self.path = path
        self.is_test = is_test
        self.source = source
        self.lines = lines
        #: the parent chain of the node being checked, outermost first
        self.ancestors: list[ast.AST] = []
        #: local name -> dotted name it was imported as (``sp`` -> ``subprocess``)
        self.imports: dict[str, str] = {}
        #: per-rule scratch space for rules that collect facts over the walk
        self.state: dict[str, Any] = {}
        #: the rule whose check is running (set by the engine)
        self.rule: Rule | None = None
        self.raw: list[_Raw] = []
        self.rule_errors: list[str] = []

    # -- tree navigation
    @property
    def parent(self) -> ast.AST | None:
        return self.ancestors[-1] if self.ancestors else None

    def enclosing_function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for node in reversed(self.ancestors):
            if isinstance(node, _FUNCS):
                return node
        return None

    def enclosing_class(self) -> ast.ClassDef | None:
        for node in reversed(self.ancestors):
            if isinstance(node, ast.ClassDef):
                return node
        return None

    def function_name(self) -> str:
        """``Class.method`` / ``func`` / ``Outer.inner`` around the current node, or ""."""
        return ".".join(n.name for n in self.ancestors if isinstance(n, _SCOPES))

    # -- lazily computed scope facts (only when a rule has a candidate to judge)
    def scope_names(self, scope: ast.AST | None) -> frozenset[str]:
        """Every identifier used under ``scope`` (names, attributes, keyword names,
        called helpers): e.g. to see whether a function registers a cleanup. The
        subtree is walked once, on first demand, and cached."""
        if scope is None:
            return frozenset()
        cache: dict[int, frozenset[str]] = self.state.setdefault("_scope_names", {})
        key = id(scope)
        found = cache.get(key)
        if found is None:
            names: set[str] = set()
            add = names.add
            for sub in ast.walk(scope):
                c = sub.__class__
                if c is ast.Name:
                    add(sub.id)  # type: ignore[attr-defined]
                elif c is ast.Attribute:
                    add(sub.attr)  # type: ignore[attr-defined]
                elif c is ast.keyword and sub.arg:  # type: ignore[attr-defined]
                    add(sub.arg)  # type: ignore[attr-defined]
            found = cache[key] = frozenset(names)
        return found

    def class_method(self, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The method ``name`` of the enclosing class, if it defines one."""
        klass = self.enclosing_class()
        if klass is None:
            return None
        for stmt in klass.body:
            if isinstance(stmt, _FUNCS) and stmt.name == name:
                return stmt
        return None

    def patched_targets(self) -> frozenset[str]:
        """Targets ``mock.patch``-ed around the current node: decorators of the
        enclosing functions and classes and ``with mock.patch(...)`` items, as the
        dotted strings (``'os.unlink'``) or ``'<object>.<attr>'`` for patch.object."""
        out: set[str] = set()
        for anc in self.ancestors:
            exprs: list[ast.expr] = []
            if isinstance(anc, (*_FUNCS, ast.ClassDef)):
                exprs = list(anc.decorator_list)
            elif isinstance(anc, ast.With | ast.AsyncWith):
                exprs = [item.context_expr for item in anc.items]
            for expr in exprs:
                if not isinstance(expr, ast.Call) or not expr.args:
                    continue
                name = self.qualname(expr.func) or ""
                if name.endswith("patch") or name.endswith("MockPatch"):
                    first = expr.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        out.add(first.value)
                elif name.endswith(("patch.object", "MockPatchObject")) and len(expr.args) > 1:
                    attr = expr.args[1]
                    obj = self.qualname(expr.args[0]) or ""
                    if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                        out.add(f"{obj}.{attr.value}")
        return frozenset(out)

    def is_patched(self, dotted: str) -> bool:
        """True when ``dotted`` (``os.unlink``, ``open``) is mock-patched around here."""
        short = dotted.rsplit(".", 1)[-1]
        for target in self.patched_targets():
            if target in (dotted, short) or target.endswith("." + short):
                return True
        return False

    # -- names
    def qualname(self, node: ast.AST) -> str | None:
        """Dotted name of a Name/Attribute chain with import aliases resolved."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.imports.get(node.id, node.id))
        return ".".join(reversed(parts))

    def _add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    self.imports[top] = top
        else:
            module = node.module or ""
            for alias in node.names:
                if alias.name == "*":
                    continue
                full = f"{module}.{alias.name}" if module else alias.name
                self.imports[alias.asname or alias.name] = full

    # -- source
    def segment(self, node: ast.AST, limit: int = MAX_QUOTE) -> str:
        """The node's source text on one line, shortened for quoting in a message."""
        lineno = getattr(node, "lineno", None)
        if lineno is None:
            return ""
        end = getattr(node, "end_lineno", lineno) or lineno
        col = getattr(node, "col_offset", 0) or 0
        end_col = getattr(node, "end_col_offset", None)
        lines = self.lines[lineno - 1 : end]
        if not lines:
            return ""
        if len(lines) == 1:
            text = lines[0][col:end_col]
        else:
            text = " ".join([lines[0][col:], *lines[1:-1], lines[-1][:end_col]])
        text = _WS.sub(" ", text).strip()
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        return text

    def site(self, node: ast.AST) -> Site:
        """The statement span of ``node`` (header only for compound statements)."""
        stmt: ast.AST | None = node if isinstance(node, ast.stmt) else None
        if stmt is None:
            for anc in reversed(self.ancestors):
                if isinstance(anc, ast.stmt):
                    stmt = anc
                    break
        target = node
        if stmt is not None and not hasattr(stmt, "body"):
            target = stmt
        line = getattr(target, "lineno", 1)
        end = getattr(target, "end_lineno", line) or line
        if hasattr(target, "body") and isinstance(target, ast.stmt):
            body = getattr(target, "body", None)
            if isinstance(body, list) and body:
                end = max(line, body[0].lineno - 1)
                # a one-line "if x: y" keeps its own line only
                end = min(end, getattr(target, "end_lineno", end) or end)
        return Site(line, end, self.function_name())

    # -- output
    def report(
        self,
        node: ast.AST,
        *,
        site: Site | None = None,
        severity: Severity | None = None,
        confidence: str | None = None,
        rule: Rule | None = None,
        **fields: Any,
    ) -> None:
        """Emit a finding of the running rule for ``node``.

        ``fields`` fill the rule's message/recommendation templates; ``code``
        defaults to the node's source text.
        """
        rule = rule or self.rule
        if rule is None:  # pragma: no cover - engine always sets it
            raise RuntimeError("report() outside a rule check")
        if "code" not in fields:
            fields["code"] = self.segment(node)
        self.raw.append(
            _Raw(
                rule,
                site or self.site(node),
                severity or rule.severity(self.is_test),
                confidence or rule.confidence,
                fields,
            )
        )


# ------------------------------------------------------------------------- engine


def _walk(tree: ast.AST, ctx: Context, dispatch: Dispatch) -> None:
    ancestors = ctx.ancestors
    get_checks = dispatch.get
    fields_of = _FIELDS.get
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
            ctx._add_import(node)
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
                except (RecursionError, MemoryError):
                    raise
                except Exception as exc:  # a broken rule must not lose the file
                    ctx.rule_errors.append(f"{rule.id}: {exc!r}")
                    LOG.exception("rule %s failed on %s", rule.id, ctx.path)
        fields = fields_of(cls)
        if fields is None:
            fields = _child_fields(cls)
        if not fields:
            continue
        kids: list[Any] = []
        for f in fields:
            value = getattr(node, f, None)
            if value is None:
                continue
            if value.__class__ is list:
                kids.extend(value)
            elif isinstance(value, ast.AST):
                kids.append(value)
        if not kids:
            continue
        if cls is ast.Dict:
            kids = [k for k in kids if k is not None]
        elif cls is ast.Global or cls is ast.Nonlocal:  # pragma: no cover - no children
            continue
        push(leave)
        ancestors.append(node)
        kids.reverse()
        extend(kids)


def _normalise_code(code: str) -> str:
    return _WS.sub(" ", code).strip()


def _fingerprint(rule_id: str, code: str, function: str) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"{rule_id}\0{_normalise_code(code)}\0{function}".encode())
    return digest.hexdigest()


# `{field}` in a rule's message: the field is code and is quoted as a Markdown code span.
_CODE_FIELD = re.compile(r"`\{(\w+)\}`")


def _render(template: str, fields: dict[str, Any]) -> str:
    """Fill a rule's message template; backtick-quoted fields become safe code spans.

    Code from the change can contain backticks itself; a plain `` `{code}` `` would end the
    span early and let the rest render as Markdown. The span's fence is made longer than
    any backtick run inside, so the code shows as written.
    """
    values = {k: _Quoted(v) for k, v in fields.items()}
    for name in set(_CODE_FIELD.findall(template)):
        if name in fields:
            values[f"{name}__code"] = _Quoted(md_code(fields[name]))
    template = _CODE_FIELD.sub(
        lambda m: f"{{{m.group(1)}__code}}" if m.group(1) in fields else m.group(0), template
    )
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


class _Quoted(str):
    """A str that formats braces literally (user code can contain them)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return str(self)


def _make_finding(raw: _Raw, path: str, lines: list[str]) -> Finding:
    site = raw.site
    full = lines[site.line - 1 : site.end_line]
    code = "\n".join(full[:MAX_CODE_LINES])
    rule = raw.rule
    return Finding(
        rule=rule.id,
        cwe=rule.cwe,
        cwe_name=rule.cwe_name,
        pillars=rule.pillars,
        severity=raw.severity,
        confidence=raw.confidence,
        path=path,
        line=site.line,
        end_line=site.end_line,
        message=_render(rule.message, raw.fields),
        recommendation=_render(rule.recommendation, raw.fields),
        code=code,
        fingerprint=_fingerprint(rule.id, "\n".join(full), site.function),
        function=site.function,
        title=rule.title,
    )


def _find_nosec(nosec: dict[int, Nosec], raw: _Raw) -> tuple[int, Nosec] | None:
    """The nosec covering ``raw``: on the first or the last line of its statement."""
    for line in (raw.site.line, raw.site.end_line):
        found = nosec.get(line)
        if found is not None and found.covers(raw.rule.id, raw.rule.bandit_ids):
            return line, found
    return None


def analyze_source(
    path: str,
    source: str | bytes,
    *,
    changed_lines: Collection[int] | None = None,
    is_test: bool | None = None,
    rules: Sequence[Rule] | None = None,
    test_matcher: TestPathMatcher | None = None,
) -> FileResult:
    """Analyse one file's new source.

    ``changed_lines`` None means every line counts; otherwise a finding is kept
    only when a line of its statement span is changed. ``is_test`` None means
    "decide from the path" with ``test_matcher`` (default globs from RULES.md).
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
    try:
        return _analyze(path, text, lines, changed, is_test, rule_set, result)
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        result.findings.clear()
        result.suppressed.clear()
        result.error = f"could not analyse: {type(exc).__name__}: {exc}"[:500]
        return result


def _analyze(
    path: str,
    text: str,
    lines: list[str],
    changed: frozenset[int] | None,
    is_test: bool,
    rule_set: tuple[Rule, ...],
    result: FileResult,
) -> FileResult:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes etc.
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        line = exc.lineno or 1
        line = min(max(line, 1), max(len(lines), 1))
        msg = exc.msg or "invalid syntax"
        result.error = f"does not parse: {msg} (line {line})"
        if changed is None or line in changed:
            rule = get_rule(UNPARSABLE)
            raw = _Raw(
                rule,
                Site(line, line, ""),
                rule.severity(is_test),
                rule.confidence,
                {
                    "code": _WS.sub(" ", lines[line - 1]).strip() if lines else "",
                    "error": msg,
                    "line": str(line),
                },
            )
            result.findings.append(_make_finding(raw, path, lines))
        return result

    ctx = Context(path, is_test, text, lines)
    _walk(tree, ctx, build_dispatch(rule_set))
    for rule in rule_set:
        if rule.finish is not None:
            ctx.rule = rule
            try:
                rule.finish(ctx)
            except (RecursionError, MemoryError):
                raise
            except Exception as exc:
                ctx.rule_errors.append(f"{rule.id}: {exc!r}")
                LOG.exception("rule %s failed on %s", rule.id, path)

    if not ctx.raw:
        return result
    nosec = scan_nosec(text, rule_ids())
    seen: set[tuple[str, int, int, str]] = set()
    blanket_rule = next((r for r in rule_set if r.id == BLANKET_NOSEC), None)
    blanket_lines: set[int] = set()
    for raw in ctx.raw:
        site = raw.site
        if changed is not None and not any(
            ln in changed for ln in range(site.line, site.end_line + 1)
        ):
            continue
        key = (raw.rule.id, site.line, site.end_line, str(raw.fields.get("code", "")))
        if key in seen:
            continue
        seen.add(key)
        finding = _make_finding(raw, path, lines)
        found = _find_nosec(nosec, raw) if nosec else None
        if found is not None:
            nosec_line, suppressor = found
            result.suppressed.append(Suppression(finding, suppressor.comment))
            if (
                blanket_rule is not None
                and suppressor.ids is None
                and not suppressor.reason
                and nosec_line not in blanket_lines
            ):
                blanket_lines.add(nosec_line)
                text = lines[nosec_line - 1] if nosec_line <= len(lines) else ""
                result.findings.append(
                    _make_finding(
                        _Raw(
                            blanket_rule,
                            Site(nosec_line, nosec_line, site.function),
                            blanket_rule.severity(is_test),
                            blanket_rule.confidence,
                            {"code": _WS.sub(" ", text).strip(), "rule": raw.rule.id},
                        ),
                        path,
                        lines,
                    )
                )
        else:
            result.findings.append(finding)
    result.findings.sort(key=lambda f: (f.line, f.rule, f.end_line))
    result.suppressed.sort(key=lambda s: (s.finding.line, s.finding.rule))
    return result
