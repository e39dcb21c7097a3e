"""The rule-author API: what a check sees (``Context``) and where a finding is (``Site``).

A check gets the node it registered for and a ``Context``: the file, the parent
chain, the imports seen so far, per-rule scratch state, helpers that read the source,
and ``report()``. ``report()`` only records a :class:`Report`; turning reports into
findings (messages, fingerprints, nosec, changed lines) is ``findings.py``'s job.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.analysis.model import RuleError, Severity
from bot.analysis.registry import Rule

if TYPE_CHECKING:
    from bot.analysis.fixes import Fix
    from bot.analysis.project import ProjectModel, ProjectView

__all__ = ["MAX_QUOTE", "Context", "Report", "Site", "subtree"]

MAX_QUOTE = 120
_WS = re.compile(r"\s+")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: enclosing functions (innermost first), innermost class, ``Class.method`` name
_Scopes = tuple[tuple[ast.AST, ...], "ast.ClassDef | None", str]


@dataclass(frozen=True)
class Site:
    """Where a finding is: statement span and enclosing function name.

    ``also``: other lines whose change makes the finding the patch set's, though it is
    shown at ``line`` (a redefinition is reported where it is, but adding the test it
    hides, above it, made the defect too).
    """

    line: int
    end_line: int
    function: str
    also: frozenset[int] = frozenset()


@dataclass
class Report:
    """What a check reported, before it becomes a ``Finding``."""

    rule: Rule
    site: Site
    severity: Severity
    confidence: str
    fields: dict[str, Any]
    fix: Fix | None = None


#: fields that never hold child nodes worth visiting (names, flags, operators, contexts)
_LEAF_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "name", "module", "level", "kind",
     "type_comment", "is_async", "conversion", "asname", "tag"}
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def subtree(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under ``node`` (itself included), like ``ast.walk`` but faster and in no
    promised order, and without the operator and context nodes (``ast.Load``, ``ast.Add``):
    for questions whose answer does not depend on order (is there a call, which names)."""
    fields_of = _CHILD_FIELDS
    todo = [node]
    pop, push, extend = todo.pop, todo.append, todo.extend
    while todo:
        current = pop()
        yield current
        cls = current.__class__
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = tuple(
                f for f in getattr(cls, "_fields", ()) if f not in _LEAF_FIELDS
            )
        for f in fields:
            value = getattr(current, f, None)
            if value.__class__ is list:
                extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                push(value)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace made one space, stripped."""
    return _WS.sub(" ", text).strip()


class Context:
    """What a check sees: the file, the parent chain, imports, and ``report``."""

    def __init__(
        self,
        path: str,
        is_test: bool,
        source: str,
        lines: list[str],
        *,
        tree: ast.Module | None = None,
        project: ProjectModel | None = None,
    ) -> None:
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
        self.raw: list[Report] = []
        #: rule id -> its first failure on this file (the engine records them)
        self.rule_errors: dict[str, RuleError] = {}
        #: the parsed module (set by the engine)
        self.tree = tree
        self._project_model = project
        self._project_view: ProjectView | None = None
        # Caches of what many checks ask about the same place (speed only): keyed by the
        # node itself (``qualname``, emptied when an import changes a name) or by the
        # current parent, which fixes the whole ancestor chain of a tree being walked.
        # The node is kept with its entry, so an id reused by a new object never matches.
        self._qualnames: dict[int, tuple[ast.AST, str | None]] = {}
        self._scope_cache: dict[int, tuple[Any, _Scopes]] = {}

    # -- the project around the file
    @property
    def project(self) -> ProjectView:
        """The project model as seen from this file: classes and their bases across files,
        set-up facts through every base (see ``bot.analysis.project``). Without a model
        passed to the analysis, a model of this file alone (so a base from another file is
        unknown). Built on first use only."""
        view = self._project_view
        if view is None:
            from bot.analysis.project import ProjectModel

            model = self._project_model
            if model is None:
                model = ProjectModel({})
            tree = self.tree if self.tree is not None else ast.Module(body=[], type_ignores=[])
            view = self._project_view = model.view(self.path, tree, self.source)
        return view

    # -- tree navigation
    @property
    def parent(self) -> ast.AST | None:
        return self.ancestors[-1] if self.ancestors else None

    def _scopes(self) -> _Scopes:
        """(enclosing functions innermost first, innermost class, ``function_name``) of the
        current node, computed once per parent: every check of every node under the same
        parent asks the same question."""
        ancestors = self.ancestors
        parent = ancestors[-1] if ancestors else None
        entry = self._scope_cache.get(id(parent))
        if entry is not None and entry[0] is parent:
            return entry[1]
        functions = tuple(a for a in reversed(ancestors) if isinstance(a, _FUNCS))
        klass = next((a for a in reversed(ancestors) if isinstance(a, ast.ClassDef)), None)
        name = ".".join(n.name for n in ancestors if isinstance(n, _SCOPES))
        found: _Scopes = (functions, klass, name)
        self._scope_cache[id(parent)] = (parent, found)
        return found

    def enclosing_functions(self) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, ...]:
        """The functions around the current node, innermost first."""
        return self._scopes()[0]  # type: ignore[return-value]

    def enclosing_function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        functions = self._scopes()[0]
        return functions[0] if functions else None  # type: ignore[return-value]

    def enclosing_class(self) -> ast.ClassDef | None:
        return self._scopes()[1]

    def function_name(self) -> str:
        """``Class.method`` / ``func`` / ``Outer.inner`` around the current node, or ""."""
        return self._scopes()[2]

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
            for sub in subtree(scope):
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
                target = self._patch_target(expr)
                if target is not None:
                    out.add(target)
        return frozenset(out)

    def _patch_target(self, expr: ast.expr) -> str | None:
        """``'os.unlink'`` for ``mock.patch('os.unlink')``, ``'os.unlink'`` for
        ``mock.patch.object(os, 'unlink')``; None for anything else."""
        if not isinstance(expr, ast.Call) or not expr.args:
            return None
        name = self.qualname(expr.func) or ""
        if name.endswith("patch") or name.endswith("MockPatch"):
            first = expr.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
        elif name.endswith(("patch.object", "MockPatchObject")) and len(expr.args) > 1:
            attr = expr.args[1]
            obj = self.qualname(expr.args[0]) or ""
            if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                return f"{obj}.{attr.value}"
        return None

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
        entry = self._qualnames.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
        found = self._qualname(node)
        self._qualnames[id(node)] = (node, found)
        return found

    def _qualname(self, node: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.imports.get(node.id, node.id))
        return ".".join(reversed(parts))

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Record the names an import statement binds (the engine calls this).

        The mapping is replaced, never changed in place, so a rule that kept
        ``ctx.imports`` at a node keeps the imports in force there."""
        self._qualnames.clear()  # a name may now stand for another module
        imports = dict(self.imports)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    imports[top] = top
        else:
            module = node.module or ""
            for alias in node.names:
                if alias.name == "*":
                    continue
                full = f"{module}.{alias.name}" if module else alias.name
                imports[alias.asname or alias.name] = full
        self.imports = imports

    @contextmanager
    def imports_as(self, imports: dict[str, str]) -> Iterator[None]:
        """Resolve names with ``imports`` (kept from an earlier node) for a while."""
        if imports is self.imports:
            yield
            return
        saved, saved_cache = self.imports, self._qualnames
        self.imports, self._qualnames = imports, {}
        try:
            yield
        finally:
            self.imports, self._qualnames = saved, saved_cache

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
        text = one_line(text)
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
        autofix: Fix | None = None,
        **fields: Any,
    ) -> None:
        """Emit a finding of the running rule for ``node``.

        ``fields`` fill the rule's message/recommendation templates; ``code``
        defaults to the node's source text (``fix`` is one of the templates' fields). ``autofix``
        (a ``bot.analysis.fixes.Fix``) only when the edit is certain and
        changes nothing but the defect (``bot.analysis.fixes``).
        """
        rule = rule or self.rule
        if rule is None:  # pragma: no cover - engine always sets it
            raise RuntimeError("report() outside a rule check")
        if "code" not in fields:
            fields["code"] = self.segment(node)
        self.raw.append(
            Report(
                rule,
                site or self.site(node),
                severity or rule.severity(self.is_test),
                confidence or rule.confidence,
                fields,
                autofix,
            )
        )
