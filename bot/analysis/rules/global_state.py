"""global-state-not-restored: a test changes process-wide state and leaves it changed."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import root_name, str_const
from bot.analysis.rules.patchers import patcher_facts, plain_class

_CLEANUP_NAMES = frozenset({"addCleanup", "addClassCleanup", "useFixture", "enter_context"})

_ENV_CALLS = {"os.environ.update", "os.environ.setdefault", "os.putenv", "os.environ.pop"}


def _func_restores(func: ast.AST | None, ctx: Context) -> bool:
    if func is None:
        return False
    if ctx.scope_names(func) & _CLEANUP_NAMES:
        return True
    return any(isinstance(n, ast.Try) and n.finalbody for n in ast.walk(func))


def _class_restores(name: str, ctx: Context) -> bool:
    """Another method of the class (tearDown, cleanUp, a fixture's _reset) names it."""
    klass = ctx.enclosing_class()
    current = ctx.enclosing_function()
    if klass is None:
        return False
    for stmt in klass.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt is not current:  # noqa: SIM102
            if name in ctx.scope_names(stmt):
                return True
    return False


def _conf_managed(ctx: Context) -> bool:
    """A project base class (nova's test.TestCase…) or a config fixture in ``setUp``
    resets CONF overrides after each test."""
    klass = ctx.enclosing_class()
    if klass is None:
        return False
    setup = ctx.class_method("setUp")
    if setup is not None and any("Conf" in n for n in ctx.scope_names(setup)):
        return True
    facts = patcher_facts(ctx)
    return _mixin(klass) or not plain_class(klass, facts.classes, ctx, set())


def _mixin(klass: ast.ClassDef) -> bool:
    """``class _Base(object)`` / ``FooMixin``: combined with a project base class later."""
    return klass.name.startswith("_") or klass.name.endswith("Mixin")


_RESTORING_FUNCS = re.compile(r"^(?:tearDown\w*|cleanUp|_?clean_?up\w*|_?restore\w*|_?reset\w*)$")


def _local_names(func: ast.AST | None, ctx: Context) -> frozenset[str]:
    """Parameters and names bound inside ``func`` (they shadow module imports)."""
    if func is None:
        return frozenset()
    cache: dict[int, frozenset[str]] = ctx.state.setdefault("_local_names", {})
    found = cache.get(id(func))
    if found is None:
        names: set[str] = set()
        for sub in ast.walk(func):
            if isinstance(sub, ast.arg):
                names.add(sub.arg)
            elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                names.add(sub.id)
        found = cache[id(func)] = frozenset(names)
    return found


def _saved_first(func: ast.AST | None, target: ast.AST, ctx: Context) -> bool:
    """The function also reads the same attribute (``orig = mod.X`` … ``mod.X = orig``)."""
    if func is None:
        return False
    dotted = ctx.qualname(target)
    for sub in ast.walk(func):
        if (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.ctx, ast.Load)
            and sub.attr == getattr(target, "attr", None)
            and ctx.qualname(sub) == dotted
        ):
            return True
    return False


def _trailing_reset(node: ast.AST, func: ast.AST | None) -> bool:
    """``mod.CACHE = False`` as one of the last statements of a test: a reset."""
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or not isinstance(
        node, ast.Assign
    ):
        return False
    if not isinstance(node.value, ast.Constant) or node.value.value:
        return False  # a reset puts back a falsy default (False, 0, None, "")
    return any(node is stmt for stmt in func.body[-2:])


def _global_target(target: ast.AST, ctx: Context) -> str | None:
    """What global state an assignment target is, or None for local state."""
    if isinstance(target, ast.Subscript):
        if ctx.qualname(target.value) == "os.environ":
            return "os.environ"
        return None
    if not isinstance(target, ast.Attribute):
        return None
    dotted = ctx.qualname(target)
    root = root_name(target)
    if dotted is None or root is None or root.id in ("self", "cls"):
        return None
    if root.id == "CONF" or ".CONF." in f".{dotted}":
        return "CONF"
    if root.id in ctx.imports and root.id not in _local_names(ctx.enclosing_function(), ctx):
        return "module"
    return None


@register(
    id="global-state-not-restored",
    scope="class",
    title="Global state changed by a test and not restored",
    family="state_leaks",
    rationale=(
        "Tests in one worker process share module globals, configuration and the "
        "environment. A test that changes them and does not put them back makes later "
        "tests pass or fail depending on which tests ran before, which hides bugs and "
        "produces failures nobody can reproduce alone."
    ),
    cwe=459,
    severity=Severity.MEDIUM,
    message="`{code}` changes {what} and nothing restores it, so every later test in the same "
    "worker process sees the changed value and may pass or fail depending on test order.",
    recommendation="{fix}",
    node_types=(ast.Assign, ast.Call),
    call_names=frozenset({"update", "setdefault", "putenv", "set_override", "pop"}),
)
def check_global_state_not_restored(node: ast.AST, ctx: Context) -> None:
    """A test that assigns to an attribute of an imported module or class, to ``os.environ[...]``,
    calls ``os.environ.update``/``setdefault``/``os.putenv``, or ``CONF.set_override``, and
    nothing restores it.

    Restoring counts as: a cleanup or ``finally`` in the same function, another method of the
    class naming the attribute, a save-and-put-back of the same attribute, a trailing reset to a
    falsy constant, a set-up/tear-down function, or (for CONF) a config fixture or project base
    class that resets overrides.
    """
    if not ctx.is_test:
        return
    if isinstance(node, ast.Assign):
        for target in node.targets:
            kind = _global_target(target, ctx)
            if kind is not None:
                break
        else:
            return
        name = target_attr = getattr(target, "attr", None) or "environ"
    else:
        assert isinstance(node, ast.Call)
        dotted = ctx.qualname(node.func) or ""
        if dotted in _ENV_CALLS:
            if dotted.endswith("pop"):
                return
            kind, name = "os.environ", "environ"
        elif dotted.endswith("set_override") and (
            dotted.startswith("CONF") or ".CONF." in f".{dotted}"
        ):
            kind, name = "CONF", str_const(node.args[0]) if node.args else "set_override"
            name = name or "set_override"
        else:
            return
        target_attr = name
    func = ctx.enclosing_function()
    if func is not None and (func.name == "setUpModule" or _RESTORING_FUNCS.match(func.name)):
        return
    if _func_restores(func, ctx) or _class_restores(target_attr, ctx):
        return
    if isinstance(node, ast.Assign):
        if isinstance(node.value, ast.Constant) and node.value.value is None:
            return  # resetting a lazily filled cache to its initial state
        if _saved_first(func, target, ctx) or _trailing_reset(node, func):
            return
    if kind == "CONF" and _conf_managed(ctx):
        return
    what = {
        "os.environ": "the process environment",
        "CONF": "a global configuration option",
        "module": "an attribute of an imported module or class",
    }[kind]
    fix = {
        "os.environ": "Use `self.useFixture(fixtures.EnvironmentVariable('NAME', value))` or "
        "`mock.patch.dict(os.environ, {...})`.",
        "CONF": "Use `self.flags(option=value, group=...)` or the oslo.config fixture's "
        "`config(...)`, which undo the override after the test.",
        "module": "Use `self.stub_out('module.attr', value)`, `mock.patch('module.attr', value)` "
        "or `self.useFixture(fixtures.MonkeyPatch(...))`, which restore the original.",
    }[kind]
    ctx.report(node, what=what, fix=fix)
