"""State that leaks between tests (RULES.md family, CWE-664)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from bot.analysis.engine import Context, Site
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import mock_name

RULE_ID = "patcher-not-stopped"
PATCH_FUNCS = frozenset(
    {"mock.patch", "mock.patch.object", "mock.patch.dict", "mock.patch.multiple"}
)
# Bases known not to register mock.patch.stopall themselves. A class deriving from
# anything else (a project's own base TestCase) may stop every patch for us.
_PLAIN_BASES = frozenset(
    {
        "object",
        "unittest.TestCase",
        "unittest.IsolatedAsyncioTestCase",
        "testtools.TestCase",
        "absl.testing.absltest.TestCase",
    }
)

Key = tuple[str, int, str]  # ("local"|"attr", id(scope node), name)


@dataclass
class _Start:
    site: Site
    node: ast.Call
    key: Key | None  # None for mock.patch(...).start() chained
    cls: ast.ClassDef | None


@dataclass
class _Facts:
    patchers: set[Key] = field(default_factory=set)
    handled: set[Key] = field(default_factory=set)
    starts: list[_Start] = field(default_factory=list)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    stopall: bool = False
    names: set[str] = field(default_factory=set)  # names/attributes bound to patchers so far


def _facts(ctx: Context) -> _Facts:
    facts = ctx.state.get(RULE_ID)
    if facts is None:
        facts = ctx.state[RULE_ID] = _Facts()
    return facts


def _key(node: ast.AST, ctx: Context) -> Key | None:
    """Identify a patcher variable: a local name, or ``self.x`` / ``cls.x`` in a class."""
    if isinstance(node, ast.Name):
        scope = ctx.enclosing_function()
        return ("local", id(scope) if scope is not None else 0, node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        klass = ctx.enclosing_class()
        if klass is not None:
            return ("attr", id(klass), node.attr)
    return None


def _is_patch_call(node: ast.AST, ctx: Context) -> bool:
    return isinstance(node, ast.Call) and mock_name(ctx.qualname(node.func)) in PATCH_FUNCS


def _escapes(values: list[ast.expr], facts: _Facts, ctx: Context) -> None:
    """A patcher passed on, returned or stored elsewhere is someone else's to stop."""
    for value in values:
        items = value.elts if isinstance(value, ast.List | ast.Tuple | ast.Set) else [value]
        for item in items:
            if isinstance(item, ast.Starred):
                item = item.value
            if isinstance(item, ast.Name):
                if item.id not in facts.names:
                    continue
            elif not (isinstance(item, ast.Attribute) and item.attr in facts.names):
                continue
            key = _key(item, ctx)
            if key is not None:
                facts.handled.add(key)


def _finish(ctx: Context) -> None:
    facts: _Facts | None = ctx.state.get(RULE_ID)
    if facts is None or facts.stopall:
        return
    for start in facts.starts:
        plain = start.cls is None or _plain_class(start.cls, facts.classes, ctx, set())
        if start.key is None:
            if not plain:
                continue  # a project base class may register mock.patch.stopall
            ctx.report(start.node, site=start.site, how="the patcher is not kept")
            continue
        if start.key not in facts.patchers or start.key in facts.handled:
            continue
        ctx.report(
            start.node,
            site=start.site,
            confidence="high" if plain else "medium",
            how="nothing calls its `stop()`",
        )


def _plain_class(
    cls: ast.ClassDef, classes: dict[str, ast.ClassDef], ctx: Context, seen: set[str]
) -> bool:
    if cls.name in seen:
        return True
    seen.add(cls.name)
    for base in cls.bases:
        name = ctx.qualname(base)
        if name is None:
            return False
        if name in _PLAIN_BASES:
            continue
        local = classes.get(name)
        if local is None or not _plain_class(local, classes, ctx, seen):
            return False
    return True


@register(
    id=RULE_ID,
    title="mock patcher started but never stopped",
    cwe=772,
    severity=Severity.HIGH,
    message=(
        "`{code}` starts a patch but {how}, so the patched object stays replaced after "
        "this test and later tests in the same worker run against the mock."
    ),
    recommendation=(
        "Register the stop right after starting: `patcher = mock.patch(...)`, "
        "`patcher.start()`, `self.addCleanup(patcher.stop)` (or use `mock.patch` as a "
        "decorator or context manager, or `self.useFixture(fixtures.MockPatch(...))`)."
    ),
    node_types=(
        ast.Call, ast.Assign, ast.AnnAssign, ast.Attribute, ast.Return, ast.ClassDef,
    ),
    finish=_finish,
)  # fmt: skip
def check_patcher(node: ast.AST, ctx: Context) -> None:
    if node.__class__ is ast.Attribute:
        attr = node.attr
        if attr == "stop":
            key = _key(node.value, ctx)
            if key is not None:
                _facts(ctx).handled.add(key)
        elif attr == "stopall" and mock_name(ctx.qualname(node)) == "mock.patch.stopall":
            _facts(ctx).stopall = True
        return
    facts = _facts(ctx)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "start" and not node.args:
            receiver = func.value
            if _is_patch_call(receiver, ctx):
                facts.starts.append(_Start(ctx.site(node), node, None, ctx.enclosing_class()))
            else:
                key = _key(receiver, ctx)
                if key is not None:
                    facts.starts.append(_Start(ctx.site(node), node, key, ctx.enclosing_class()))
        if facts.names and (node.args or node.keywords):
            _escapes([*node.args, *(kw.value for kw in node.keywords)], facts, ctx)
        return
    if isinstance(node, ast.Assign | ast.AnnAssign):
        value = node.value
        if value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if _is_patch_call(value, ctx):
            for target in targets:
                key = _key(target, ctx)
                if key is not None:
                    facts.patchers.add(key)
                    facts.names.add(key[2])
        elif facts.names:
            _escapes([value], facts, ctx)
        return
    if isinstance(node, ast.Return):
        if node.value is not None and facts.names:
            _escapes([node.value], facts, ctx)
        return
    if isinstance(node, ast.ClassDef):
        facts.classes.setdefault(node.name, node)
