"""mock.patch misuse: patchers started and never stopped, ``create=True``.

Whether a test class stops every patch (``mock.patch.stopall``) is a fact of its whole
hierarchy, which the project model (``ctx.project``) answers across files."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.analysis.context import Context, Site
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._model import UNKNOWN_BASE, every_use_fact
from bot.analysis.rules._util import PATCHERS, keyword, mock_name

RULE_ID = "patcher-not-stopped"

Key = tuple[str, int, str]  # ("local"|"attr", id(scope node), name)


@dataclass
class _Start:
    site: Site
    node: ast.Call
    key: Key | None  # None for mock.patch(...).start() chained
    stopped: bool | None  # stops_patches() of the code around the start


@dataclass
class _Facts:
    patchers: set[Key] = field(default_factory=set)
    handled: set[Key] = field(default_factory=set)
    starts: list[_Start] = field(default_factory=list)
    stopall: bool = False
    names: set[str] = field(default_factory=set)  # names/attributes bound to patchers so far


def patcher_facts(ctx: Context) -> _Facts:
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
    return isinstance(node, ast.Call) and mock_name(ctx.qualname(node.func)) in PATCHERS


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


def finish_patcher_not_stopped(ctx: Context) -> None:
    facts: _Facts | None = ctx.state.get(RULE_ID)
    if facts is None or facts.stopall:
        return
    for start in facts.starts:
        if start.key is not None and (
            start.key not in facts.patchers or start.key in facts.handled
        ):
            continue
        stopped = start.stopped
        if stopped is True:
            continue  # every test class running this code registers mock.patch.stopall
        how = "the patcher is not kept" if start.key is None else "nothing calls its `stop()`"
        if stopped is None:
            how += UNKNOWN_BASE.format(does="registers `mock.patch.stopall`")
        ctx.report(
            start.node,
            site=start.site,
            severity=None if stopped is False else Severity.LOW,
            confidence="high" if stopped is False else "low",
            how=how,
        )


@register(
    id=RULE_ID,
    scope="class",
    title="mock patcher started but never stopped",
    family="state_leaks",
    rationale=(
        "A patch started with `start()` stays in place until `stop()` is called. If "
        "nothing stops it, the patched object remains replaced for every later test in "
        "the same worker, which then run against the mock and pass or fail for the "
        "wrong reasons."
    ),
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
        ast.Call, ast.Assign, ast.AnnAssign, ast.Attribute, ast.Return,
    ),
    finish=finish_patcher_not_stopped,
)  # fmt: skip
def check_patcher_not_stopped(node: ast.AST, ctx: Context) -> None:
    """A ``mock.patch(...)`` patcher whose ``start()`` is called and that nothing stops.

    The walk collects facts (patchers bound to names, ``start()`` and ``stop()`` calls,
    patchers passed on or returned, ``mock.patch.stopall``, the classes defined);
    ``finish_patcher_not_stopped`` judges them once the whole file is seen. Nothing is
    reported when every test class running the code registers ``mock.patch.stopall``
    (itself or through a base, across files: ``oslotest.base.BaseTestCase`` does; a
    mixin is judged by the concrete test classes built from it). When a base comes from a
    package the project model does not know, the finding drops to low and says so.
    """
    handler = _FACT_COLLECTORS.get(node.__class__)
    if handler is not None:
        handler(node, ctx)


def _seen_attribute(node: ast.Attribute, ctx: Context) -> None:
    attr = node.attr
    if attr == "stop":
        key = _key(node.value, ctx)
        if key is not None:
            patcher_facts(ctx).handled.add(key)
    elif attr == "stopall" and mock_name(ctx.qualname(node)) == "mock.patch.stopall":
        patcher_facts(ctx).stopall = True


def _seen_call(node: ast.Call, ctx: Context) -> None:
    facts = patcher_facts(ctx)
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "start" and not node.args:
        _seen_start(node, func.value, facts, ctx)
    if facts.names and (node.args or node.keywords):
        _escapes([*node.args, *(kw.value for kw in node.keywords)], facts, ctx)


def _seen_start(node: ast.Call, receiver: ast.expr, facts: _Facts, ctx: Context) -> None:
    if _is_patch_call(receiver, ctx):
        key = None  # mock.patch(...).start(): the patcher is not kept
    else:
        key = _key(receiver, ctx)
        if key is None:
            return
    stopped = every_use_fact(ctx, "stopall")
    facts.starts.append(_Start(ctx.site(node), node, key, stopped))


def _seen_assignment(node: ast.Assign | ast.AnnAssign, ctx: Context) -> None:
    facts = patcher_facts(ctx)
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


def _seen_return(node: ast.Return, ctx: Context) -> None:
    facts = patcher_facts(ctx)
    if node.value is not None and facts.names:
        _escapes([node.value], facts, ctx)


_FACT_COLLECTORS: dict[type[ast.AST], Callable[[Any, Context], None]] = {
    ast.Attribute: _seen_attribute,
    ast.Call: _seen_call,
    ast.Assign: _seen_assignment,
    ast.AnnAssign: _seen_assignment,
    ast.Return: _seen_return,
}


# --------------------------------------------------------------------- patch-create-true


@register(
    id="patch-create-true",
    title="mock.patch(create=True) patches an attribute that does not exist",
    family="test_integrity",
    rationale=(
        "`create=True` lets `mock.patch` add an attribute the real object does not "
        "have. The test then exercises a name the code under test may not use, so a "
        "renamed or removed attribute goes unnoticed."
    ),
    cwe=436,
    severity=Severity.LOW,
    message="`{code}` uses `create=True`: the patched attribute does not exist on the real "
    "object, so the test and the code can disagree without any error.",
    recommendation="Patch an attribute the real object has (check the name), or use "
    "`autospec=True`; keep `create=True` only for optional platform attributes.",
    node_types=(ast.Call,),
    call_names=frozenset({"patch", "object", "MockPatch", "MockPatchObject"}),
)
def check_patch_create_true(node: ast.Call, ctx: Context) -> None:
    """``mock.patch(..., create=True)``, ``mock.patch.object(..., create=True)`` and the fixtures'
    ``MockPatch``/``MockPatchObject`` with ``create=True``.
    """
    kw = keyword(node, "create")
    if kw is None or not (isinstance(kw.value, ast.Constant) and kw.value.value is True):
        return
    name = ctx.qualname(node.func) or ""
    if mock_name(name) in PATCHERS or name.endswith(("MockPatch", "MockPatchObject")):
        ctx.report(node)
