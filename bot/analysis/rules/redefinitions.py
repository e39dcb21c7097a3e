"""duplicate-test-definition: a test defined twice in one scope, so the first never runs.

Python binds a name once per scope: a second ``def test_x`` in a class replaces the first,
and the runner collects only the second. This is the defect that OpenStack's history fixes
most often (pyflakes' F811 is the other tool that sees it). Only the direct statements of
one body count: definitions in the branches of an ``if`` or ``try`` are alternatives, and a
method of the same name in a subclass is an override.
"""

from __future__ import annotations

import ast

from bot.analysis.context import Context, Site
from bot.analysis.model import Severity
from bot.analysis.registry import register

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# decorators that make a second definition of a name extend the first, not replace it
_EXTENDING_ATTRS = frozenset({"setter", "getter", "deleter", "register", "overload"})


def _is_test_class(node: ast.ClassDef) -> bool:
    name = node.name
    if name.startswith("Test") or name.endswith(("Test", "Tests", "TestCase")):
        return True
    return any(isinstance(s, _DEFS[:2]) and s.name.startswith("test") for s in node.body)


def _is_test(node: ast.stmt) -> bool:
    if isinstance(node, ast.ClassDef):
        return _is_test_class(node)
    return isinstance(node, _DEFS[:2]) and node.name.startswith("test")


def _extends(node: ast.stmt) -> bool:
    """``@overload``, ``@x.setter``, ``@f.register``: the definitions belong together."""
    for deco in getattr(node, "decorator_list", ()):
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in _EXTENDING_ATTRS:
            return True
    return False


def _used_between(name: str, stmts: list[ast.stmt], redefinition: ast.stmt) -> bool:
    """The first definition is read (``test_b = test_a``, ``del test_a``, a decorator
    argument) before the name is bound again, so it is not lost."""
    nodes: list[ast.AST] = [*stmts, *getattr(redefinition, "decorator_list", ())]
    for top in nodes:
        for sub in ast.walk(top):
            if isinstance(sub, ast.Name) and sub.id == name:
                return True
    return False


def _header(node: ast.stmt) -> frozenset[int]:
    """The lines of a definition's decorators and ``def``/``class`` line."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
    return frozenset(range(first, node.lineno + 1))


@register(
    id="duplicate-test-definition",
    title="Test defined twice in the same scope",
    family="test_integrity",
    rationale=(
        "A second definition of the same name in a class or module replaces the first, so "
        "the test runner collects only the last one: the first test never runs, and "
        "whatever it checked is unchecked while the suite stays green."
    ),
    cwe=561,
    severity=Severity.HIGH,
    message=(
        "`{code}` defines `{name}` again in {scope}: it replaces the {kind} of the same name "
        "on line {first}, which therefore never runs."
    ),
    recommendation=(
        "Rename one of the two (or delete the stale copy) so that both run; `flake8` reports "
        "this as F811."
    ),
    node_types=(ast.Module, ast.ClassDef),
)
def check_duplicate_test_definition(node: ast.Module | ast.ClassDef, ctx: Context) -> None:
    """A test method, test function or test class defined twice among the direct statements
    of one class or module body; reported on the redefinition, naming the line it hides.

    Left alone: definitions in different branches of an ``if``/``try`` (alternatives), an
    override in a subclass (another scope), ``@overload``/``@x.setter``/``@f.register``
    chains, and a first definition that is used (aliased, deleted, decorated with) before
    the name is bound again.
    """
    seen: dict[str, int] = {}
    body = node.body
    for index, stmt in enumerate(body):
        if not isinstance(stmt, _DEFS):
            continue
        first_index = seen.get(stmt.name)
        seen[stmt.name] = index
        if first_index is None or not _is_test(stmt):
            continue
        first = body[first_index]
        if _extends(stmt) or _extends(first):
            continue
        if _used_between(stmt.name, body[first_index + 1 : index], stmt):
            continue
        scope = f"class `{node.name}`" if isinstance(node, ast.ClassDef) else "this module"
        kind = "class" if isinstance(first, ast.ClassDef) else "test"
        site = ctx.site(stmt)
        ctx.report(
            stmt,
            site=Site(site.line, site.end_line, _scope_name(node, ctx), also=_header(first)),
            code=_def_line(stmt, ctx),
            name=stmt.name,
            scope=scope,
            kind=kind,
            first=str(first.lineno),
        )


def _def_line(stmt: ast.stmt, ctx: Context) -> str:
    line = ctx.lines[stmt.lineno - 1] if stmt.lineno <= len(ctx.lines) else ""
    return line.strip()


def _scope_name(node: ast.Module | ast.ClassDef, ctx: Context) -> str:
    """``Outer.Class`` for a class body (the walk stands at the class), "" for the module."""
    if isinstance(node, ast.Module):
        return ""
    prefix = ctx.function_name()
    return f"{prefix}.{node.name}" if prefix else node.name
