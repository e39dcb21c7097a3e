"""global-state-not-restored: a test changes process-wide state and leaves it changed.

What changes global state: an assignment to an attribute of an imported module or class
(also through a local alias of one), into a module-level dict or ``sys.modules``, into
``os.environ``; ``CONF.set_override``; a direct ``CONF.group.option = …`` (not an
override: no config fixture undoes it).

What restores it has to be about the same state: a cleanup or ``finally`` that names it,
a ``tearDown``-like method (or a method registered as a cleanup) that names it, the saved
original put back, a ``mock.patch`` around the code, a set-up that resets it before every
test; for ``set_override``, a config fixture (oslo.config's ``Config``, or a project
fixture built on it) in the set-up of every test class running the code, which the project
model finds across files. Another test writing the same leak is no restore, and neither is
a cleanup registered for something else.

Never reported: module-level code (deliberate import-time set-up), entry-point scripts
kept under ``tests/`` (they run in their own process), and the lines that restore.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from bot.analysis.context import Context, subtree
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._model import UNKNOWN_BASE, enclosing_class_ref, every_use_fact
from bot.analysis.rules._util import root_name, str_const

_CLEANUP_CALLS = frozenset({"addCleanup", "addClassCleanup", "enter_context", "callback"})

_ENV_CALLS = {"os.environ.update", "os.environ.setdefault", "os.putenv"}

_RESTORING_FUNCS = re.compile(
    r"^(?:tearDown\w*|cleanUp|_?clean_?up\w*|_?restore\w*|_?reset\w*|_?undo\w*|_?unpatch\w*)$",
    re.IGNORECASE,
)
#: names a saved original is kept under: ``mod.X = orig_x`` puts the value back
_SAVED = re.compile(r"orig|saved|old|real|backup|prev|before|default|initial", re.IGNORECASE)

_WHAT = {
    "os.environ": "the process environment",
    "CONF": "a global configuration option",
    "CONF-assign": "a global configuration option by assignment to the `CONF` object itself "
    "(not an override: no config fixture or `reset()` undoes it)",
    "CONF-group": "a global configuration option by assignment (not an override)",
    "module": "an attribute of an imported module or class",
    "sys.modules": "the interpreter's module table `sys.modules`",
    "module-dict": "a module-level dict or list",
}
_FIX = {
    "os.environ": "Use `self.useFixture(fixtures.EnvironmentVariable('NAME', value))` or "
    "`mock.patch.dict(os.environ, {...})`.",
    "CONF": "Use `self.flags(option=value, group=...)` or the oslo.config fixture's "
    "`config(...)`, which undo the override after the test.",
    "CONF-assign": "Use `self.flags(option=value, group=...)` or the oslo.config fixture's "
    "`config(...)` instead of assigning to the option.",
    "CONF-group": "Use `self.flags(option=value, group=...)` or the oslo.config fixture's "
    "`config(...)` instead of assigning to the option.",
    "module": "Use `self.stub_out('module.attr', value)`, `mock.patch('module.attr', value)` "
    "or `self.useFixture(fixtures.MonkeyPatch(...))`, which restore the original.",
    "sys.modules": "Use `mock.patch.dict(sys.modules, {'name': fake})`, which puts the table "
    "back after the test.",
    "module-dict": "Use `mock.patch.dict(module.TABLE, {...})`, which restores the dict.",
}


@dataclass(frozen=True)
class _Change:
    kind: str
    name: str  # the attribute, option or key changed: what a restore must name
    target: ast.AST | None = None  # the assigned target (None for calls)


# ------------------------------------------------------------------------------ targets


def _is_conf(dotted: str, root: str) -> bool:
    return root == "CONF" or ".CONF." in f".{dotted}."


def _subscript_change(target: ast.Subscript, ctx: Context) -> _Change | None:
    container = ctx.qualname(target.value)
    key = str_const(target.slice) or ""
    if container == "os.environ":
        return _Change("os.environ", key or "environ", target)
    if container == "sys.modules":
        return _Change("sys.modules", key or "modules", target)
    root = root_name(target.value)
    if (
        isinstance(target.value, ast.Attribute)
        and root is not None
        and container is not None
        and _imported(root.id, ctx)
    ):
        return _Change("module-dict", target.value.attr, target)
    return None


def _imported(name: str, ctx: Context) -> bool:
    return name in ctx.imports and name not in _local_names(ctx.enclosing_function(), ctx)


def _assign_change(target: ast.AST, ctx: Context) -> _Change | None:
    if isinstance(target, ast.Subscript):
        return _subscript_change(target, ctx)
    if not isinstance(target, ast.Attribute):
        return None
    dotted = ctx.qualname(target)
    root = root_name(target)
    if dotted is None or root is None or root.id in ("self", "cls"):
        return None
    if _is_conf(dotted, root.id):
        # oslo.config 10.7.0 (cfg.py): ``CONF.group`` is a GroupAttr cached until the cache is
        # cleared, which ``reset()`` (the config fixture's cleanup) does: an option assigned
        # on it is dropped with it. ``CONF.option = x`` sets an attribute of ConfigOpts
        # itself, which nothing ever removes.
        grouped = f".{dotted}".split(".CONF.", 1)[-1].count(".") >= 1
        return _Change("CONF-group" if grouped else "CONF-assign", target.attr, target)
    if target.attr in _MOCK_ATTRIBUTES or _mock_configured(target, ctx):
        return None  # configuring a mock: the patch that put it there restores the original
    if _imported(root.id, ctx) or root.id in _aliases(ctx.enclosing_function(), ctx):
        return _Change("module", target.attr, target)
    return None


#: attributes that only a mock has: assigning them configures a mock, not a module
_MOCK_ATTRIBUTES = frozenset(
    {"return_value", "side_effect", "called", "call_count", "call_args", "call_args_list",
     "mock_calls", "method_calls", "spec", "spec_set"}
)  # fmt: skip


def _mock_configured(target: ast.Attribute, ctx: Context) -> bool:
    """Something in the assigned chain is mock-patched around here (``@mock.patch.object(
    objects.Instance, 'save')`` then ``objects.Instance.save.x = …``), so it is a mock."""
    node: ast.AST = target.value
    while isinstance(node, ast.Attribute):
        dotted = ctx.qualname(node)
        if dotted and ctx.is_patched(dotted):
            return True
        node = node.value
    return False


def _call_change(node: ast.Call, ctx: Context) -> _Change | None:
    dotted = ctx.qualname(node.func) or ""
    if dotted in _ENV_CALLS:
        return _Change("os.environ", str_const(node.args[0]) or "environ" if node.args
                       else "environ")  # fmt: skip
    if dotted.endswith(".set_override") and _is_conf(dotted, dotted.split(".", 1)[0]):
        return _Change("CONF", (str_const(node.args[0]) if node.args else None) or "set_override")
    return None


def _local_names(func: ast.AST | None, ctx: Context) -> frozenset[str]:
    """Parameters and names bound inside ``func`` (they shadow module imports)."""
    return _scope(func, ctx)[0]


def _aliases(func: ast.AST | None, ctx: Context) -> frozenset[str]:
    """Local names bound to an imported module or class (``m = module``, ``c = mod.Class``):
    an attribute assigned through them changes the module or class itself."""
    return _scope(func, ctx)[1]


def _scope(func: ast.AST | None, ctx: Context) -> tuple[frozenset[str], frozenset[str]]:
    """``(bound names, aliases of imports)`` of ``func``, from one walk, cached."""
    if func is None:
        return frozenset(), frozenset()
    cache: dict[int, tuple[frozenset[str], frozenset[str]]] = ctx.state.setdefault("_scope", {})
    found = cache.get(id(func))
    if found is not None:
        return found
    names: set[str] = set()
    aliases: set[str] = set()
    for sub in subtree(func):
        if isinstance(sub, ast.arg):
            names.add(sub.arg)
        elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
            names.add(sub.id)
        elif (
            isinstance(sub, ast.Assign)
            and len(sub.targets) == 1
            and isinstance(sub.targets[0], ast.Name)
            and isinstance(sub.value, ast.Name | ast.Attribute)
        ):
            root = root_name(sub.value)
            if (
                root is not None
                and root.id in ctx.imports
                and (ctx.imports[root.id] or "").split(".")[-1] != "mock"
                and _module_or_class(sub.value)
            ):
                aliases.add(sub.targets[0].id)
    found = cache[id(func)] = (frozenset(names), frozenset(aliases))
    return found


def _module_or_class(value: ast.AST) -> bool:
    """``module`` or ``pkg.module.Class``: a name, or a chain ending in a class name."""
    return isinstance(value, ast.Name) or (
        isinstance(value, ast.Attribute) and value.attr[:1].isupper() and not value.attr.isupper()
    )


# ----------------------------------------------------------------------------- restores


def _mentions(node: ast.AST, name: str) -> bool:
    """``node`` names ``name``: as a name, an attribute or a string (``setattr(m, 'X', …)``)."""
    for sub in ast.walk(node):
        c = sub.__class__
        if (
            (c is ast.Name and sub.id == name)  # type: ignore[attr-defined]
            or (c is ast.Attribute and sub.attr == name)  # type: ignore[attr-defined]
            or (c is ast.Constant and sub.value == name)  # type: ignore[attr-defined]
        ):
            return True
    return False


def _local_function(func: ast.AST, name: str) -> ast.AST | None:
    for sub in ast.walk(func):
        if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef) and sub.name == name:
            return sub
    return None


def _cleanup_restores(call: ast.Call, change: _Change, func: ast.AST, ctx: Context) -> bool:
    """``self.addCleanup(...)`` registered for this state: its arguments name it, or it runs
    a local function, lambda or method that does, or (for overrides) it resets CONF."""
    if change.kind == "CONF":
        for arg in call.args:
            registered = ctx.qualname(arg) or ""
            if registered.endswith(("CONF.reset", "clear_override")):
                return True
    if any(_mentions(a, change.name) for a in [*call.args, *(k.value for k in call.keywords)]):
        return True
    if not call.args:
        return False
    first = call.args[0]
    registered = ctx.qualname(first) or ""
    root = root_name(change.target) if change.target is not None else None
    if (
        root is not None
        and isinstance(first, ast.Attribute)
        and _RESTORING_FUNCS.match(first.attr)
        and registered.rpartition(".")[0] == (ctx.qualname(root) or root.id)
    ):
        return True  # ``self.addCleanup(fakelib._reset)`` after ``fakelib.X = …``
    if isinstance(first, ast.Name):
        local = _local_function(func, first.id)
        return local is not None and _mentions(local, change.name)
    if isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name):
        method = ctx.class_method(first.attr) if first.value.id == "self" else None
        return method is not None and _mentions(method, change.name)
    return False


def _function_restores(func: ast.AST | None, change: _Change, ctx: Context) -> bool:
    if func is None:
        return False
    for sub in ast.walk(func):
        if isinstance(sub, ast.Call):
            name = getattr(sub.func, "attr", getattr(sub.func, "id", None))
            if name in _CLEANUP_CALLS and _cleanup_restores(sub, change, func, ctx):
                return True
            if change.kind == "CONF" and name == "useFixture":
                return True  # a fixture set up here (a config fixture) owns the overrides
            if name == "useFixture" and _fixture_assigns(sub, change, ctx):
                return True
        elif isinstance(sub, ast.Try) and sub.finalbody:
            if any(_mentions(stmt, change.name) for stmt in sub.finalbody):
                return True
        elif (
            change.target is not None
            and isinstance(sub, ast.Assign)
            and sub.value.__class__ in (ast.Attribute, ast.Subscript)
            and ctx.segment(sub.value, 10_000) == ctx.segment(change.target, 10_000)
        ):
            return True  # ``orig = mod.X``: saved, to be put back
    return False


def _fixture_assigns(call: ast.Call, change: _Change, ctx: Context) -> bool:
    """``self.useFixture(X(...))`` where the fixture's set-up assigns the same attribute
    (across files, through the project model)."""
    from bot.analysis.summary import dotted

    if not call.args or not isinstance(call.args[0], ast.Call):
        return False
    written = dotted(call.args[0].func)
    fixture = ctx.project.resolve(written) if written else None
    if fixture is None or fixture.summary is None or fixture.summary.setup is None:
        return False
    return change.name in fixture.summary.setup.assigns


def _class_restores(change: _Change, ctx: Context) -> bool:
    """A tear-down-like method of the class (``tearDown``, ``cleanUp``, ``_restore…``) or
    a method it registers as a cleanup names the state, or a set-up resets it before every
    test. Another test that changes the same state is no restore."""
    klass = ctx.enclosing_class()
    if klass is None:
        return False
    registered: set[str] = set()
    methods = [s for s in klass.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    for method in methods:
        if method.name.startswith("setUp") or method.name == "__init__":
            for sub in ast.walk(method):
                if isinstance(sub, ast.Call) and getattr(sub.func, "attr", "") in _CLEANUP_CALLS:
                    registered.update(a.attr for a in sub.args[:1] if isinstance(a, ast.Attribute))
    current = ctx.enclosing_function()
    for method in methods:
        if method is current:
            continue
        restoring = _RESTORING_FUNCS.match(method.name) or method.name in registered
        resetting = method.name.startswith("setUp") and _assigns(method, change.name)
        if (restoring and _mentions(method, change.name)) or resetting:
            return True
    return False


def _reset_by_setup(change: _Change, ctx: Context) -> bool:
    """The set-up of the class or of a base (across files), or a fixture it uses, assigns
    the same attribute before every test (nova's base resets ``compute.api.CELLS``)."""
    if change.kind not in ("module", "CONF-assign"):
        return False
    _, ref = enclosing_class_ref(ctx)
    if ref is None:
        return False
    return bool(ctx.project.model.setup_assigns(ref, change.name))


def _assigns(func: ast.AST, name: str) -> bool:
    for sub in ast.walk(func):
        if isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Attribute) and target.attr == name:
                    return True
    return False


def _restoring_line(node: ast.AST, change: _Change, ctx: Context) -> bool:
    """The statement itself restores: in a ``finally``, in a cleanup or tear-down function,
    or putting back a saved original (``mod.X = orig``)."""
    for anc in reversed(ctx.ancestors):
        if isinstance(anc, ast.Try) and any(_contains(s, node) for s in anc.finalbody):
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            if anc.name == "setUpModule" or _RESTORING_FUNCS.match(anc.name):
                return True
            if anc.name in _cleanup_registered(ctx):
                return True
        elif isinstance(anc, ast.Lambda):
            return True  # a lambda assigning is a cleanup callback (``lambda: setattr``)
    if isinstance(node, ast.Assign):
        value = node.value
        if (isinstance(value, ast.Constant) and value.value is None) or _empty(value):
            return True  # a lazily filled cache or registry put back to its initial state
        saved = value.id if isinstance(value, ast.Name) else getattr(value, "attr", "")
        if saved and _SAVED.search(saved):
            return True
    return False


def _reached_through_an_object(change: _Change, ctx: Context) -> bool:
    """``mod.obj.attr = …`` (deeper than ``mod.X`` or ``mod.Class.X``): the object reached
    may be a stand-in a fixture installed, which goes away with the fixture."""
    target = change.target
    if isinstance(target, ast.Subscript):
        target = target.value
        if not isinstance(target, ast.Attribute):
            return False
        return isinstance(target.value, ast.Attribute)
    if not isinstance(target, ast.Attribute):
        return False
    middle = target.value
    if isinstance(middle, ast.Name):
        return False
    if isinstance(middle, ast.Attribute) and isinstance(middle.value, ast.Name):
        return not middle.attr[:1].isupper()  # mod.Class.X (or mod.LOG.x) is the module's own
    return True


def _empty(value: ast.AST) -> bool:
    """``{}``, ``[]``, ``set()``, ``dict()``: an empty container."""
    if isinstance(value, ast.Dict | ast.List | ast.Tuple | ast.Set):
        return not getattr(value, "elts", getattr(value, "keys", None))
    if not isinstance(value, ast.Call) or value.args or value.keywords:
        return False
    func = value.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name in ("set", "dict", "list", "tuple", "OrderedDict", "defaultdict", "deque")


def _same_as_module_value(node: ast.AST, change: _Change, ctx: Context) -> bool:
    """``fakelib.X = 32`` where the module itself defines ``X = 32``: nothing changes."""
    if change.kind != "module" or not isinstance(node, ast.Assign):
        return False
    target, value = change.target, node.value
    if not isinstance(target, ast.Attribute) or not isinstance(value, ast.Constant):
        return False
    module = ctx.qualname(target.value)
    if module is None:
        return False
    current = ctx.project.model.module_constant(module, target.attr)
    return current is not None and current == value.value and type(current) is type(value.value)


def _trailing_reset(node: ast.AST, ctx: Context) -> bool:
    """``mod.CACHE = False`` as one of the last two statements of a test: putting a flag
    the test turned on back to its falsy default."""
    func = ctx.enclosing_function()
    if func is None or not isinstance(node, ast.Assign):
        return False
    value = node.value
    if not isinstance(value, ast.Constant) or value.value:
        return False
    return any(node is stmt for stmt in func.body[-2:])


def _contains(stmt: ast.AST, node: ast.AST) -> bool:
    return any(sub is node for sub in ast.walk(stmt))


def _cleanup_registered(ctx: Context) -> frozenset[str]:
    """Names of functions and methods the file passes to ``addCleanup`` and friends (read
    from the source text: one regular expression, not a walk of the tree)."""
    found: frozenset[str] | None = ctx.state.get("_cleanup_registered")
    if found is None:
        found = ctx.state["_cleanup_registered"] = frozenset(_REGISTERED.findall(ctx.source))
    return found


_REGISTERED = re.compile(
    r"\b(?:addCleanup|addClassCleanup|enter_context|callback)\(\s*(?:[A-Za-z_]\w*\.)*(\w+)"
)


def _patched_around(change: _Change, node: ast.AST, ctx: Context) -> bool:
    """A ``mock.patch``/``mock.patch.dict`` around the code restores the state at exit."""
    if change.target is not None and change.kind == "module":
        dotted = ctx.qualname(change.target)
        if dotted and ctx.is_patched(dotted):
            return True
    if change.kind in ("os.environ", "sys.modules", "module-dict"):
        container = {"os.environ": "environ", "sys.modules": "modules"}.get(
            change.kind, change.name
        )
        for anc in ctx.ancestors:
            exprs: list[ast.expr] = []
            if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                exprs = list(anc.decorator_list)
            elif isinstance(anc, ast.With | ast.AsyncWith):
                exprs = [i.context_expr for i in anc.items]
            for expr in exprs:
                if isinstance(expr, ast.Call) and getattr(expr.func, "attr", "") == "dict":  # noqa: SIM102
                    if expr.args and _mentions(expr.args[0], container):
                        return True
    return False


def _change(node: ast.AST, ctx: Context) -> _Change | None:
    if isinstance(node, ast.Call):
        return _call_change(node, ctx)
    if isinstance(node, ast.Assign):
        for target in node.targets:
            change = _assign_change(target, ctx)
            if change is not None:
                return change
    return None


def _restored(node: ast.AST, change: _Change, func: ast.AST, ctx: Context) -> bool:
    """Anything that puts the state back, or makes the statement no change at all."""
    return (
        _restoring_line(node, change, ctx)
        or _trailing_reset(node, ctx)
        or _same_as_module_value(node, change, ctx)
        or _function_restores(func, change, ctx)
        or _class_restores(change, ctx)
        or _reset_by_setup(change, ctx)
        or _patched_around(change, node, ctx)
        or ctx.project.entry_point
    )


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
    message="`{code}` changes {what} and nothing restores it{unsure}, so every later test in "
    "the same worker process sees the changed value and may pass or fail depending on test "
    "order.",
    recommendation="{fix}",
    node_types=(ast.Assign, ast.Call),
    call_names=frozenset({"update", "setdefault", "putenv", "set_override"}),
    files="tests",
)
def check_global_state_not_restored(node: ast.AST, ctx: Context) -> None:
    """In a test function: an assignment to an attribute of an imported module or class
    (directly or through a local alias), into ``os.environ``, ``sys.modules`` or a module's
    dict, to a ``CONF`` option, or ``os.environ.update``/``setdefault``, ``os.putenv``,
    ``CONF.set_override`` — when nothing restores that same state.

    A restore is a cleanup, ``finally`` or tear-down method naming the state, the saved
    original put back, a ``mock.patch`` around it, a set-up resetting it before every test,
    or, for ``set_override``, a config fixture in the set-up of every test class running the
    code (found through the project model; when a base is unknown the finding is low).
    Module-level code, entry-point scripts and the restoring lines themselves are never
    reported.
    """
    if not ctx.is_test:
        return
    func = ctx.enclosing_function()
    if func is None or func.name == "__init__":
        # import-time set-up of the test package, or a helper object's constructor (a DB
        # fixture built once per process): deliberate, for every test alike
        return
    change = _change(node, ctx)
    if change is None or _restored(node, change, func, ctx):
        return
    severity: Severity | None = None
    unsure = ""
    if change.kind in ("module", "module-dict") and _reached_through_an_object(change, ctx):
        severity = Severity.LOW
        unsure = (" (if the object it is set on is a fake or a mock a fixture put there, the "
                  "fixture restores it; the bot cannot tell)")  # fmt: skip
    if change.kind in ("CONF", "CONF-group"):
        reset = every_use_fact(ctx, "resets_config")
        if reset:
            return
        if reset is False and every_use_fact(ctx, "fixture"):
            reset = None  # a fixture's set-up: the tests using it decide (their config fixture)
        if reset is None:
            severity = Severity.LOW
            unsure = UNKNOWN_BASE.format(does="resets configuration overrides")
    ctx.report(node, severity=severity, what=_WHAT[change.kind], fix=_FIX[change.kind],
               unsure=unsure)  # fmt: skip
