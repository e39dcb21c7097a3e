"""Mocks that check nothing: misspelt or uncalled assertions, misspelt attributes, unittest
assertions called on a mock, an empty ``assert_has_calls``, a Mock class where an instance
was meant.

The names a Mock really has are read from ``unittest.mock`` itself, not typed here.
"""

from __future__ import annotations

import ast
import inspect
import types
import unittest
from functools import lru_cache
from unittest import mock as _mock

from bot.analysis.context import Context, Site
from bot.analysis.fixes import rename_attribute
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import PATCHERS, keyword, mock_name, root_name

_MOCK_CLASSES_RUNTIME = (
    _mock.NonCallableMock, _mock.Mock, _mock.MagicMock, _mock.NonCallableMagicMock,
    _mock.AsyncMock,
)  # fmt: skip
#: every public attribute of unittest.mock's Mock classes (and what an AsyncMock sets up)
MOCK_ATTRIBUTES = frozenset(
    name
    for obj in (*_MOCK_CLASSES_RUNTIME, _mock.AsyncMock())
    for name in dir(obj)
    if not name.startswith("_")
)
# unittest.mock's assertion methods (the await ones come with AsyncMock).
REAL_MOCK_ASSERTS = frozenset(n for n in MOCK_ATTRIBUTES if n.startswith("assert_"))

# Names that read like assertions but are ordinary (auto-created) mock attributes.
_MISSING_PREFIX = {
    "called_once_with": "assert_called_once_with",
    "called_with": "assert_called_with",
    "has_calls": "assert_has_calls",
    "not_called": "assert_not_called",
}

_BAD_PREFIXES = ("mock_assert_", "asset_", "assret_")

_MIN_LEN = min(map(len, REAL_MOCK_ASSERTS)) - 2

_MAX_LEN = max(map(len, REAL_MOCK_ASSERTS)) + 2

_MOCK_FACTORIES = frozenset(
    {
        "mock.Mock",
        "mock.MagicMock",
        "mock.NonCallableMock",
        "mock.NonCallableMagicMock",
        "mock.AsyncMock",
        "mock.create_autospec",
    }
)


def _distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up (limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            val = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            cur.append(val)
            best = min(best, val)
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@lru_cache(maxsize=4096)
def fake_assertion(name: str) -> str | None:
    """The real mock assertion ``name`` was probably meant to be, or None if it is fine.

    Names starting with ``assert`` are left alone: Mock raises AttributeError for
    them (so the test fails loudly), and test helpers are often named that way.
    """
    if name in REAL_MOCK_ASSERTS:
        return None
    if name in _MISSING_PREFIX:
        return _MISSING_PREFIX[name]
    for prefix in _BAD_PREFIXES:
        if name.startswith(prefix):
            guess = "assert_" + name[len(prefix) :]
            return guess if guess in REAL_MOCK_ASSERTS else _closest(guess) or "assert_called_with"
    if name.startswith("assert") or not (_MIN_LEN <= len(name) <= _MAX_LEN):
        return None
    if "_" not in name:
        return None
    # Two edits cannot break the leading "a", "sert", and "call"/"await" all at once.
    if not (name[0] == "a" or "sert" in name or "call" in name or "await" in name):
        return None
    return _closest(name)


def certain_assertion(name: str) -> str | None:
    """The assertion ``name`` certainly stands for — a missing ``assert_`` or a misspelt
    prefix in front of an exact assert method name — or None where it is only the closest
    guess (no fix is offered for a guess)."""
    if name in _MISSING_PREFIX:
        return _MISSING_PREFIX[name]
    for prefix in _BAD_PREFIXES:
        if name.startswith(prefix):
            guess = "assert_" + name[len(prefix) :]
            return guess if guess in REAL_MOCK_ASSERTS else None
    return None


def _closest(name: str) -> str | None:
    best: tuple[int, str] | None = None
    for real in sorted(REAL_MOCK_ASSERTS):
        d = _distance(name, real)
        if d <= 2 and (best is None or d < best[0]):
            best = (d, real)
    return best[1] if best else None


def _root_id(node: ast.AST) -> str | None:
    root = root_name(node)
    return root.id if root is not None else None


def _is_mock_source(value: ast.AST, ctx: Context) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    # mock.patch(...).start() returns the mock
    if isinstance(func, ast.Attribute) and func.attr == "start":
        inner = func.value
        return isinstance(inner, ast.Call) and mock_name(ctx.qualname(inner.func)) in PATCHERS
    return mock_name(ctx.qualname(func)) in _MOCK_FACTORIES


def _known_mocks(ctx: Context) -> set[str]:
    mocks: set[str] = ctx.state.setdefault("mock-nonexistent-assertion", set())
    return mocks


@register(
    id="mock-nonexistent-assertion",
    title="Mock assertion that does not exist",
    family="test_integrity",
    rationale=(
        "Mock objects accept any attribute. A misspelt assertion such as "
        "`called_once_with` or `assert_called_onec` is an ordinary attribute call that "
        "returns a new Mock, so the test asserts nothing and passes whatever the code "
        "does."
    ),
    cwe=693,
    severity=Severity.HIGH,
    message=(
        "`{code}` is not an assertion: `{name}` is not a mock assert method, so the call "
        "returns a new Mock and checks nothing; the test passes whatever the code does."
    ),
    recommendation="Call the real assertion: `{fixed}`.",
    node_types=(ast.Call, ast.Assign, ast.withitem),
    fixes="`m.called_once_with(...)` -> `m.assert_called_once_with(...)` (a missing "
    "`assert_` or a misspelt prefix before an exact assertion name), only for a call that "
    "is a statement of its own; no fix for a closest-name guess",
)
def check_mock_nonexistent_assertion(node: ast.AST, ctx: Context) -> None:
    """A call of a mock attribute that reads like an assertion but is none:
    ``m.called_once_with(...)``, ``m.assret_called_with(...)``, a name within two edits of a
    real assert method.

    In test code every receiver but ``self``/``cls`` counts; elsewhere only names bound to a
    ``Mock()`` or ``mock.patch``.
    """
    if isinstance(node, ast.Assign):
        if not ctx.is_test and _is_mock_source(node.value, ctx):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    _known_mocks(ctx).add(target.id)
        return
    if isinstance(node, ast.withitem):
        var = node.optional_vars
        if (
            not ctx.is_test
            and isinstance(var, ast.Name)
            and isinstance(node.context_expr, ast.Call)
            and mock_name(ctx.qualname(node.context_expr.func)) in PATCHERS
        ):
            _known_mocks(ctx).add(var.id)
        return
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute):
        return
    suggestion = fake_assertion(func.attr)
    if suggestion is None:
        return
    receiver = func.value
    if isinstance(receiver, ast.Name) and receiver.id in ("self", "cls"):
        return  # a helper method of the test class, not a mock
    if not ctx.is_test and _root_id(receiver) not in _known_mocks(ctx):
        return
    receiver_code = ctx.segment(receiver, 60)
    certain = certain_assertion(func.attr)
    fix = (
        rename_attribute(ctx.lines, func, certain, f"Call `{certain}` instead of `{func.attr}`")
        # only as a statement of its own: an assertion returns None, so inside an
        # expression (``assertTrue(m.has_calls(...))``) the rename would change the test
        if certain is not None and isinstance(ctx.parent, ast.Expr)
        else None
    )
    ctx.report(
        node,
        name=func.attr,
        suggestion=suggestion,
        receiver=receiver_code,
        fixed=f"{receiver_code}.{suggestion}(...)",
        autofix=fix,
    )


# ------------------------------------------------------------- mock-assertion-not-called


@register(
    id="mock-assertion-not-called",
    title="Mock assertion referenced or assigned but not called",
    family="test_integrity",
    rationale=(
        "`m.assert_called_once_with` without parentheses, or assigned to, only looks up "
        "an attribute: nothing is asserted, and the test passes whether or not the mock "
        "was called."
    ),
    cwe=693,
    severity=Severity.HIGH,
    message="`{code}` {how} `{name}` instead of calling it, so nothing is asserted and the "
    "test passes whatever the code does.",
    recommendation="Call it: `{call}`.",
    node_types=(ast.Expr, ast.Assign),
)
def check_mock_assertion_not_called(node: ast.Expr | ast.Assign, ctx: Context) -> None:
    """A real mock assertion method named but not called (``m.assert_called_once_with`` as a
    statement) or assigned to (``m.assert_called_once_with = ...``).
    """
    if isinstance(node, ast.Expr):
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr in REAL_MOCK_ASSERTS:
            receiver = ctx.segment(value.value, 60)
            ctx.report(node, how="only names", name=value.attr, receiver=receiver,
                       call=f"{receiver}.{value.attr}(...)")  # fmt: skip
        return
    for target in node.targets:
        if isinstance(target, ast.Attribute) and target.attr in REAL_MOCK_ASSERTS:
            receiver = ctx.segment(target.value, 60)
            ctx.report(node, how="assigns to", name=target.attr, receiver=receiver,
                       call=f"{receiver}.{target.attr}(...)")  # fmt: skip
            return


# ------------------------------------------------------------- mock-class-as-replacement

_MOCK_CLASSES = frozenset(
    {"mock.Mock", "mock.MagicMock", "mock.NonCallableMock", "mock.NonCallableMagicMock",
     "mock.AsyncMock"}
)  # fmt: skip

_NEW_POSITION = {"mock.patch": 1, "mock.patch.object": 2}


@register(
    id="mock-class-as-replacement",
    title="Mock class, not a Mock instance, used as the replacement",
    family="test_integrity",
    rationale=(
        "Passing the Mock class itself as the replacement means every use of the "
        "patched target creates a fresh mock instance. Assertions made on the class "
        "then look at an object the code never used, so they check nothing."
    ),
    cwe=436,
    severity=Severity.MEDIUM,
    message="`{code}` passes the class `{cls}` as `{how}`: every call of the patched target "
    "builds a fresh mock, so assertions made on the class check nothing.",
    recommendation="Pass an instance (`{instance}`), or use `{new_callable}` / omit `new` and "
    "let `mock.patch` create the mock.",
    node_types=(ast.Call,),
    call_names=frozenset({"patch", "object", "Mock", "MagicMock", "MockPatch",
                          "MockPatchObject"}),
)  # fmt: skip
def check_mock_class_as_replacement(node: ast.Call, ctx: Context) -> None:
    """``mock.patch(target, mock.Mock)``, ``mock.patch.object(obj, 'attr', mock.MagicMock)``, or
    ``new=``/``side_effect=`` given a Mock class instead of an instance.

    Left alone: the class as a sentinel value. ``with mock.patch.object(obj, '_stats',
    mock.Mock) as stats:`` binds the replacement itself, and when the test only compares or
    passes ``stats`` on (``assertEqual(stats, obj.get_stats())``; never calls it, never
    reads an attribute of it), the class is a unique object the test checks the code hands
    back, not a mock it expects to record calls.
    """
    name = mock_name(ctx.qualname(node.func))
    if name is None:
        return
    candidates: list[tuple[str, ast.AST]] = []
    pos = _NEW_POSITION.get(name)
    if pos is not None and len(node.args) > pos:
        candidates.append(("new", node.args[pos]))
    for kw in node.keywords:
        if kw.arg == "new" or kw.arg == "side_effect":
            candidates.append((f"{kw.arg}=", kw.value))
    for how, value in candidates:
        cls = mock_name(ctx.qualname(value))
        if cls in _MOCK_CLASSES:
            if how != "side_effect=" and _read_back_as_value(node, ctx):
                return
            cls_code = ctx.segment(value, 40)
            ctx.report(node, cls=cls_code, how=how.rstrip("="), instance=f"{cls_code}()",
                       new_callable=f"new_callable={cls_code}")  # fmt: skip
            return


def _read_back_as_value(node: ast.Call, ctx: Context) -> bool:
    """``with <node> as name:`` where ``name`` (the replacement: a patcher given ``new``
    returns it) is used, and only as a plain value in the function: never called, never an
    attribute or item taken from it, never bound again."""
    item = ctx.parent
    if not (
        isinstance(item, ast.withitem)
        and item.context_expr is node
        and isinstance(item.optional_vars, ast.Name)
    ):
        return False
    bound = item.optional_vars
    scope: ast.AST | None = ctx.enclosing_function()
    if scope is None:
        scope = ctx.ancestors[-2] if len(ctx.ancestors) > 1 else None
    if scope is None:
        return False
    uses = 0
    for parent in ast.walk(scope):
        for child in ast.iter_child_nodes(parent):
            if not (isinstance(child, ast.Name) and child.id == bound.id) or child is bound:
                continue
            if not isinstance(child.ctx, ast.Load):
                return False  # bound again: its uses may be of something else
            if (isinstance(parent, ast.Call) and parent.func is child) or (
                isinstance(parent, ast.Attribute | ast.Subscript) and parent.value is child
            ):
                return False  # used as a mock: called, or asked for what it recorded
            uses += 1
    return uses > 0


# --------------------------------------------------------------- which objects are mocks
#
# mock-attribute-typo and assert-on-mock judge an attribute by what its receiver is, so
# they follow, per file, the names that hold mocks: made by a Mock class, by a patcher
# (``mock.patch(...).start()``, ``with mock.patch(...) as m``, a ``@mock.patch`` argument,
# ``fixtures.MockPatch(...).mock``, pytest-mock's ``mocker.patch``), or reached from one
# (``m.return_value``, ``m.child()``). A mock is "spec" when made with ``spec``,
# ``spec_set``, ``autospec`` or ``create_autospec`` (a misspelt attribute then raises); a
# name that also holds anything else is "other". Facts are gathered during the walk and
# judged after it, so a mock made in ``setUp`` below the test that uses it still counts.

PLAIN, SPEC, OTHER = "plain", "spec", "other"
_FACTORIES = {
    "mock.Mock": True,
    "mock.MagicMock": True,
    "mock.NonCallableMock": True,
    "mock.NonCallableMagicMock": True,
    "mock.AsyncMock": True,
    "mock.PropertyMock": False,
}  # fmt: skip  (True: the first positional argument is a spec)
_MOCK_CLASS_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _FACTORIES)
_SPEC_KEYWORDS = frozenset({"spec", "spec_set", "autospec"})
_INJECTING = frozenset({"mock.patch", "mock.patch.object"})
Key = tuple[str, int, str]


class _MockFacts:
    """Per file: what each name holds, and the candidates the mock rules judge at the end."""

    def __init__(self) -> None:
        self.kinds: dict[Key, set[str]] = {}
        self.patchers: dict[Key, str] = {}  # a name bound to an unstarted patcher
        self.typos: list[tuple[ast.AST, ast.expr, tuple[int, ...], int, dict[str, str]]] = []
        self.asserts: list[tuple[ast.Call, tuple[int, ...], int, frozenset[str]]] = []
        self.sites: dict[int, Site] = {}
        self.noted: set[int] = set()
        #: bindings seen, judged only when a candidate needs them (most files have none):
        #: (node, scopes, class id, class node, the imports in force at the node)
        self.pending: list[tuple[ast.AST, tuple[int, ...], int, ast.ClassDef | None,
                                 dict[str, str]]] = []  # fmt: skip

    def bind(self, key: Key | None, kind: str | None) -> None:
        if key is not None:
            self.kinds.setdefault(key, set()).add(kind or OTHER)

    def kind(self, key: Key) -> str | None:
        found = self.kinds.get(key)
        if not found:
            return None
        return next(iter(found)) if len(found) == 1 else OTHER


def _facts(ctx: Context) -> _MockFacts:
    facts = ctx.state.get("_mock_facts")
    if facts is None:
        facts = ctx.state["_mock_facts"] = _MockFacts()
    return facts


def _normalised(ctx: Context, func: ast.AST) -> str | None:
    """``mock.x`` for unittest.mock/mock names and pytest-mock's ``mocker.x``."""
    name = ctx.qualname(func)
    if name is not None and (name == "mocker" or name.startswith("mocker.")):
        return "mock" + name[len("mocker") :]
    return mock_name(name)


def _given(node: ast.expr | None) -> bool:
    """An argument that is really passed: not absent, ``None`` or ``False``."""
    return node is not None and not (isinstance(node, ast.Constant) and node.value in (None, False))


def _patch_kind(
    call: ast.Call, name: str, ctx: Context, scopes: tuple[int, ...], klass: int
) -> str:
    """What a patcher puts in place: a plain MagicMock unless told otherwise."""
    if name in ("mock.patch.dict", "mock.patch.multiple"):
        return OTHER
    if any(kw.arg in _SPEC_KEYWORDS and _given(kw.value) for kw in call.keywords):
        return SPEC
    position = 1 if name in ("mock.patch", "MockPatch") else 2
    new = keyword(call, "new")
    replacement = (
        new.value
        if new is not None
        else (call.args[position] if len(call.args) > position else None)
    )
    if replacement is not None:
        return _source_kind(replacement, ctx, scopes, klass) or OTHER
    factory = keyword(call, "new_callable")
    if factory is not None:
        cls = _normalised(ctx, factory.value)
        return PLAIN if cls in _FACTORIES else OTHER
    return PLAIN


def _patcher_name(call: ast.Call, ctx: Context) -> str | None:
    name = _normalised(ctx, call.func)
    if name in PATCHERS:
        return name
    dotted = ctx.qualname(call.func) or ""
    if dotted.endswith(("MockPatch", "MockPatchObject")):  # fixtures.MockPatch(...)
        return "MockPatch" if dotted.endswith("MockPatch") else "MockPatchObject"
    return None


def _source_kind(value: ast.AST, ctx: Context, scopes: tuple[int, ...], klass: int) -> str | None:
    """The kind of mock ``value`` evaluates to, or None when it is no known mock."""
    node = value
    while True:
        if isinstance(node, ast.Call):
            made = _made_kind(node, ctx, scopes, klass)
            if made is not None:
                return made
            node = node.func  # calling a mock returns its return_value, a mock
        elif isinstance(node, ast.Attribute):
            if node.attr == "mock" and isinstance(node.value, ast.Call):
                inner = _fixture_patch(node.value, ctx)  # useFixture(MockPatch(...)).mock
                if inner is not None:
                    return _patch_kind(inner, _patcher_name(inner, ctx) or "", ctx, scopes, klass)
            key = _self_key(node, klass)
            if key is not None:
                return _facts(ctx).kind(key)
            node = node.value
        elif isinstance(node, ast.Name):
            return _name_kind(node.id, ctx, scopes)
        else:
            return None


def _made_kind(call: ast.Call, ctx: Context, scopes: tuple[int, ...], klass: int) -> str | None:
    """A call that makes a mock: a Mock class, ``create_autospec``, ``<patcher>.start()``."""
    name = _normalised(ctx, call.func)
    if name == "mock.create_autospec":
        return SPEC
    if name in _FACTORIES:
        positional_spec = _FACTORIES[name] and bool(call.args)
        spec = positional_spec or any(
            kw.arg in ("spec", "spec_set") and _given(kw.value) for kw in call.keywords
        )
        return SPEC if spec else PLAIN
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "start" and not call.args:
        inner = func.value
        if isinstance(inner, ast.Call):
            patcher = _patcher_name(inner, ctx)
            if patcher is not None:
                return _patch_kind(inner, patcher, ctx, scopes, klass)
        key = _name_key(inner, scopes, klass)
        if key is not None and key in _facts(ctx).patchers:
            return _facts(ctx).patchers[key]
    if name in PATCHERS and (ctx.qualname(call.func) or "").startswith("mocker."):
        return _patch_kind(call, name, ctx, scopes, klass)  # mocker.patch returns the mock
    return None


def _fixture_patch(call: ast.Call, ctx: Context) -> ast.Call | None:
    """``self.useFixture(fixtures.MockPatch(...))`` -> the MockPatch call."""
    if isinstance(call.func, ast.Attribute) and call.func.attr == "useFixture" and call.args:
        inner = call.args[0]
        if isinstance(inner, ast.Call) and _patcher_name(inner, ctx) in (
            "MockPatch", "MockPatchObject"
        ):  # fmt: skip
            return inner
    return None


def _name_kind(name: str, ctx: Context, scopes: tuple[int, ...]) -> str | None:
    facts = _facts(ctx)
    for scope in scopes:
        found = facts.kind(("local", scope, name))
        if found is not None:
            return found
    return facts.kind(("module", 0, name))


def _self_key(node: ast.AST, klass: int) -> Key | None:
    if (
        klass
        and isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        return ("self", klass, node.attr)
    return None


def _name_key(node: ast.AST, scopes: tuple[int, ...], klass: int) -> Key | None:
    if isinstance(node, ast.Name):
        return ("local", scopes[0], node.id) if scopes else ("module", 0, node.id)
    return _self_key(node, klass)


def _scopes(ctx: Context) -> tuple[tuple[int, ...], int]:
    """The enclosing functions (innermost first) and class, as ids (once per parent)."""
    functions = ctx.enclosing_functions()
    cache: dict[int, tuple[object, tuple[tuple[int, ...], int]]] = ctx.state.setdefault(
        "_mock_scopes", {}
    )
    entry = cache.get(id(functions))
    klass = ctx.enclosing_class()
    if entry is not None and entry[0] is functions and entry[1][1] == id(klass or 0):
        return entry[1]
    found = tuple(id(a) for a in functions), id(klass) if klass is not None else 0
    cache[id(functions)] = (functions, found)
    return found


def _note_bindings(node: ast.AST, ctx: Context) -> None:
    """Remember an assignment, ``with`` item or decorated test (once per node, whichever mock
    rule sees it first), with what decides its meaning there: the scopes and the imports
    seen so far. What it binds is worked out by ``_settle``, in the same order, only for a
    file with a candidate to judge."""
    facts = _facts(ctx)
    if id(node) in facts.noted:
        return
    facts.noted.add(id(node))
    scopes, klass = _scopes(ctx)
    facts.pending.append((node, scopes, klass, ctx.enclosing_class(), ctx.imports))


def _settle(ctx: Context, facts: _MockFacts) -> None:
    """Record what every pending binding binds, in walk order, each seen with the imports
    that were in force at it (as if it had been worked out during the walk)."""
    pending, facts.pending = facts.pending, []
    for node, scopes, klass, owner, imports in pending:
        with ctx.imports_as(imports):
            _bind(node, ctx, scopes, klass, owner)


def _bind(
    node: ast.AST, ctx: Context, scopes: tuple[int, ...], klass: int, owner: ast.ClassDef | None
) -> None:
    facts = _facts(ctx)
    if isinstance(node, ast.Assign):
        kind = _source_kind(node.value, ctx, scopes, klass)
        patcher = _patcher_name(node.value, ctx) if isinstance(node.value, ast.Call) else None
        for target in node.targets:
            key = _name_key(target, scopes, klass)
            if patcher is not None and key is not None:
                facts.patchers[key] = _patch_kind(node.value, patcher, ctx, scopes, klass)  # type: ignore[arg-type]
                continue
            facts.bind(key, kind)
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        expr = node.context_expr
        patcher = _patcher_name(expr, ctx) if isinstance(expr, ast.Call) else None
        kind = _patch_kind(expr, patcher, ctx, scopes, klass) if patcher else None  # type: ignore[arg-type]
        facts.bind(_name_key(node.optional_vars, scopes, klass), kind)
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        _note_injected(node, ctx, klass, owner)


def _note_injected(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    ctx: Context,
    klass: int,
    owner: ast.ClassDef | None,
) -> None:
    """``@mock.patch`` decorators pass their mocks as the first positional arguments after
    ``self``, the bottom decorator's first; every other parameter is unknown."""
    facts = _facts(ctx)
    injected: list[str] = []
    decorators = list(reversed(func.decorator_list))
    if owner is not None and func.name.startswith("test"):
        decorators += list(reversed(owner.decorator_list))
    for deco in decorators:
        if not isinstance(deco, ast.Call):
            continue
        name = _normalised(ctx, deco.func)
        if name not in _INJECTING:
            continue
        position = 1 if name == "mock.patch" else 2
        if keyword(deco, "new") is not None or len(deco.args) > position:
            continue  # a replacement is given: nothing is passed in
        injected.append(_patch_kind(deco, name, ctx, (), klass))
    params = [*func.args.posonlyargs, *func.args.args]
    if params and params[0].arg in ("self", "cls"):
        params = params[1:]
    for index, param in enumerate(params):
        kind = injected[index] if index < len(injected) else OTHER
        facts.bind(("local", id(func), param.arg), kind)
    for extra in (*func.args.kwonlyargs, func.args.vararg, func.args.kwarg):
        if extra is not None:
            facts.bind(("local", id(func), extra.arg), OTHER)


# ------------------------------------------------------------------ mock-attribute-typo


def _is_method(name: str) -> bool:
    for cls in _MOCK_CLASSES_RUNTIME:
        found = inspect.getattr_static(cls, name, None)
        if found is not None:
            return isinstance(found, types.FunctionType)
    return False


#: Mock attributes that are methods (configure_mock…) and that hold data (return_value…)
_MOCK_METHODS = frozenset(n for n in MOCK_ATTRIBUTES - REAL_MOCK_ASSERTS if _is_method(n))
_MOCK_DATA = frozenset(MOCK_ATTRIBUTES - REAL_MOCK_ASSERTS - _MOCK_METHODS)
#: keyword arguments a Mock class or a patcher takes (the rest configure attributes)
_MOCK_KEYWORDS = (
    frozenset(
        name
        for fn in (_mock.Mock, _mock.NonCallableMock.__init__, _mock.patch)
        for name in inspect.signature(fn).parameters
        if not name.startswith("_") and name not in ("self", "kwargs", "args")
    )
    | _MOCK_DATA
)
#: an assertion read without its ``assert_`` prefix: ``m.called_once`` is a child mock
_UNPREFIXED = frozenset(n[len("assert_") :] for n in REAL_MOCK_ASSERTS) - MOCK_ATTRIBUTES
_ASSERT_LOOKALIKES = ("assert", "assret", "asert", "aseert", "assrt")


@lru_cache(maxsize=4096)
def misspelt_mock_attribute(name: str, usage: str) -> str | None:
    """The Mock attribute ``name`` was meant to be, or None when it is no misspelling.

    ``usage`` is ``get``, ``set``, ``call`` or ``keyword``: a read, assignment or call of
    ``m.<name>``, or ``<name>=`` given to a Mock class or patcher. Close means: the same
    name in another case, or, for names of 7+ characters with the same first letter, one
    edit away (two from names of 10+ characters); and for reads, an assertion's name
    without ``assert_`` (``called_once``). Short names (``called``, ``name``) are too close
    to ordinary words to guess at.
    """
    if name in MOCK_ATTRIBUTES or name.startswith(("_", *_ASSERT_LOOKALIKES)):
        return None
    if usage == "keyword" and name in _MOCK_KEYWORDS:
        return None
    if usage == "get" and name in _UNPREFIXED:
        return "assert_" + name
    candidates = {
        "call": _MOCK_METHODS, "get": _MOCK_DATA, "set": _MOCK_DATA, "keyword": _MOCK_KEYWORDS
    }[usage]  # fmt: skip
    lowered = name.lower()
    best: tuple[int, str] | None = None
    for real in sorted(candidates):
        if lowered == real:
            return real
        if len(real) < 7 or lowered[0] != real[0]:
            continue
        limit = 2 if len(real) >= 10 else 1
        d = _distance(lowered, real, limit)
        if d <= limit and (best is None or d < best[0]):
            best = (d, real)
    return best[1] if best else None


_EFFECT = {
    "set": ("sets", "the setting configures nothing the code reads"),
    "get": ("reads", "it reads a new child mock (always true), not what the mock recorded"),
    "call": ("calls", "the call does nothing"),
    "keyword": ("passes", "the mock is configured with an attribute nobody reads"),
}


def _usage(node: ast.Attribute, parent: ast.AST | None) -> str | None:
    if isinstance(parent, ast.Call) and parent.func is node:
        return "call"
    if isinstance(node.ctx, ast.Store):
        return "set"
    if isinstance(node.ctx, ast.Del) or isinstance(parent, ast.Attribute | ast.Subscript):
        return None  # ``m.method_call.assert_called_once()``: a mocked method, not a typo
    return "get"


def _note_typo(node: ast.AST, ctx: Context) -> None:
    # the scopes are looked up only for a candidate: most attributes and calls are none
    if isinstance(node, ast.Attribute):
        usage = _usage(node, ctx.parent)
        real = misspelt_mock_attribute(node.attr, usage) if usage else None
        if real is not None and usage is not None:
            scopes, klass = _scopes(ctx)
            facts = _facts(ctx)
            facts.typos.append((node, node.value, scopes, klass, {"name": node.attr,
                                "real": real, "usage": usage}))  # fmt: skip
            facts.sites[id(node)] = ctx.site(node)
        return
    assert isinstance(node, ast.Call)
    name = _normalised(ctx, node.func)
    func = node.func
    if name in _FACTORIES or (name in PATCHERS and name != "mock.patch.dict"):
        receiver: ast.expr = node  # the mock it makes
    elif isinstance(func, ast.Attribute) and func.attr == "configure_mock":
        receiver = func.value
    else:
        return
    for kw in node.keywords:
        real = misspelt_mock_attribute(kw.arg, "keyword") if kw.arg else None
        if real is not None:
            scopes, klass = _scopes(ctx)
            facts = _facts(ctx)
            facts.typos.append((kw, receiver, scopes, klass, {"name": kw.arg or "",
                                "real": real, "usage": "keyword"}))  # fmt: skip
            facts.sites[id(kw)] = ctx.site(node)


def _receiver_kind(
    receiver: ast.expr, ctx: Context, scopes: tuple[int, ...], klass: int
) -> str | None:
    if isinstance(receiver, ast.Call):
        name = _normalised(ctx, receiver.func)
        if name in PATCHERS:
            return _patch_kind(receiver, name, ctx, scopes, klass)
    return _source_kind(receiver, ctx, scopes, klass)


def finish_mock_attribute_typo(ctx: Context) -> None:
    facts = ctx.state.get("_mock_facts")
    if facts is None or not facts.typos:
        return
    _settle(ctx, facts)
    for node, receiver, scopes, klass, fields in facts.typos:
        if _receiver_kind(receiver, ctx, scopes, klass) != PLAIN:
            continue  # not a mock we know, or a spec'd one (where typos raise)
        how, effect = _EFFECT[fields["usage"]]
        site: Site = facts.sites[id(node)]
        code = ctx.segment(node) if not isinstance(node, ast.keyword) else f"{fields['name']}="
        fix = (
            rename_attribute(ctx.lines, node, fields["real"],
                             f"Set `{fields['real']}`, not `{fields['name']}`")
            if isinstance(node, ast.Attribute) and fields["usage"] == "set"
            and _only_nearest(fields["name"], fields["real"])
            else None
        )  # fmt: skip
        ctx.report(node, site=site, how=how, effect=effect, name=fields["name"],
                   real=fields["real"], code=code if code else fields["name"],
                   autofix=fix)  # fmt: skip


def _only_nearest(name: str, real: str) -> bool:
    """True when ``real`` is the one data attribute of Mock nearest to ``name`` (a fix is
    offered only then: with a tie the rule's pick would be a guess)."""
    lowered = name.lower()
    if lowered == real:
        return True
    d = _distance(lowered, real, 2)
    return not any(other != real and _distance(lowered, other, d) <= d for other in _MOCK_DATA)


@register(
    id="mock-attribute-typo",
    title="Misspelt Mock attribute",
    family="test_integrity",
    rationale=(
        "A Mock creates any attribute it is asked for. `m.side_effects = Error()` or "
        "`m.retun_value = 3` configures a new child mock that the code never reads, and "
        "`assertTrue(m.called_once)` checks a child mock, which is always true: the test "
        "runs with the wrong setup or checks nothing, and passes."
    ),
    cwe=693,
    severity=Severity.HIGH,
    message="`{code}` {how} `{name}`, which a Mock does not have: it creates it silently, so "
    "{effect}. `{real}` was meant.",
    recommendation="Write `{real}`. Creating the mock with `spec`/`autospec` (or "
    "`mock.patch(..., autospec=True)`) makes such a typo raise.",
    node_types=(ast.Attribute, ast.Call, ast.Assign, ast.withitem, ast.FunctionDef,
                ast.AsyncFunctionDef),
    finish=finish_mock_attribute_typo,
    fixes="`m.side_effects = ...` -> `m.side_effect = ...`: an assignment to a misspelt data "
    "attribute whose real name is the only nearest one",
)  # fmt: skip
def check_mock_attribute_typo(node: ast.AST, ctx: Context) -> None:
    """An attribute of a mock close to a real Mock attribute — ``side_effects``,
    ``retun_value``, ``return_Value``, ``call_counts``, ``called_once`` — set, read or
    called on it, or passed as a keyword to a Mock class, a patcher or ``configure_mock``.

    Only on objects known to be plain mocks (``Mock()``/``MagicMock()``, a patcher's mock, a
    ``@mock.patch`` argument, a child of one); a mock made with ``spec``, ``spec_set``,
    ``autospec`` or ``create_autospec`` raises on such typos and is left alone, and so is an
    attribute used further (``m.method_call.assert_called_once()``: a mocked method).
    """
    cls = node.__class__
    if cls is ast.Attribute:
        if node.attr in _NO_TYPO or _no_typo(node.attr):  # type: ignore[attr-defined]
            return  # the common case, answered without looking further
        _note_typo(node, ctx)
    elif cls is ast.Call:
        _note_typo(node, ctx)
    else:
        _note_bindings(node, ctx)


#: attribute names that are no misspelling however they are used (a speed-up only)
_NO_TYPO: set[str] = set()


def _no_typo(name: str) -> bool:
    if any(misspelt_mock_attribute(name, usage) for usage in ("get", "set", "call")):
        return False
    if len(_NO_TYPO) > 100_000:
        _NO_TYPO.clear()
    _NO_TYPO.add(name)
    return True


# ----------------------------------------------------------------------- assert-on-mock


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


#: unittest's assertion methods, and mock's assertions spelt as if they were unittest's
_TESTCASE_ASSERTS = frozenset(n for n in dir(unittest.TestCase) if n.startswith("assert"))
_CAMEL_MOCK_ASSERTS = frozenset(_camel(n) for n in REAL_MOCK_ASSERTS)
_ASSERT_ON_MOCK_NAMES = _TESTCASE_ASSERTS | _CAMEL_MOCK_ASSERTS
_TEST_BASE_SUFFIXES = ("TestCase", "Test", "TestBase", "Base")


def _test_class(klass: ast.ClassDef | None, ctx: Context) -> bool:
    """A class whose ``self`` is a test case (its name, its bases or its test methods say so)."""
    if klass is None:
        return False
    name = klass.name
    if name.startswith("Test") or name.endswith(("Test", "Tests", "TestCase")):
        return True
    for base in klass.bases:
        dotted = ctx.qualname(base) or ""
        if dotted.rsplit(".", 1)[-1].endswith(("TestCase", "Test", "Tests")):
            return True
    return any(
        isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name.startswith("test")
        for s in klass.body
    )


def _parameters(ctx: Context) -> frozenset[str]:
    names: set[str] = set()
    for anc in ctx.ancestors:
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            a = anc.args
            names.update(p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs))
    return frozenset(names)


def _is_self(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def _test_case_reference(node: ast.Call, ctx: Context, in_test_class: bool) -> bool:
    """The receiver is (very likely) a test case: a parameter of the helper it is in
    (``def check(test, …): test.assertEqual``), an attribute of a helper object that keeps
    the test (``self.test_case.assertTrue`` in a fixture class), or a class method called
    with ``self`` (``base.TestCase.assertEqual(self, …)``)."""
    receiver = node.func.value  # type: ignore[attr-defined]
    if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "self":
        return True
    root = root_name(receiver)
    if root is None:
        return False
    if root.id in ("self", "cls"):
        return not in_test_class
    return root.id in _parameters(ctx)


def _note_assert(node: ast.Call, ctx: Context) -> None:
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in _ASSERT_ON_MOCK_NAMES:
        return
    if _is_self(func.value):
        return
    scopes, klass = _scopes(ctx)
    in_test_class = _test_class(ctx.enclosing_class(), ctx)
    facts = _facts(ctx)
    reference = _test_case_reference(node, ctx, in_test_class)
    facts.asserts.append((node, scopes, klass, frozenset({"reference"} if reference else ())))
    facts.sites[id(node)] = ctx.site(node)


def finish_assert_on_mock(ctx: Context) -> None:
    facts = ctx.state.get("_mock_facts")
    if facts is None or not facts.asserts:
        return
    _settle(ctx, facts)
    for node, scopes, klass, flags in facts.asserts:
        receiver = node.func.value
        kind = _receiver_kind(receiver, ctx, scopes, klass)
        if kind in (PLAIN, SPEC):
            what, severity, confidence = "a mock", None, "high"
        elif "reference" in flags:
            continue
        else:
            what, severity, confidence = (
                "an object that is not the test case",
                Severity.MEDIUM,
                "medium",
            )
        name = node.func.attr
        ctx.report(
            node,
            site=facts.sites[id(node)],
            severity=severity,
            confidence=confidence,
            name=name,
            fixed=f"self.{name}(...)",
            receiver=ctx.segment(receiver, 60),
            what=what,
        )


@register(
    id="assert-on-mock",
    title="unittest assertion called on a mock",
    family="test_integrity",
    rationale=(
        "`assertEqual`, `assertRaises` and the other unittest assertions are methods of the "
        "test case. Called on a mock (`m.assertCalledOnceWith(...)`, `self.plugin.assertRaises"
        "(...)`) they are not assertions at all: a plain Mock raises AttributeError for the "
        "name, and a mock made with `unsafe=True` or a spec that has the name returns a new "
        "mock and checks nothing."
    ),
    cwe=693,
    severity=Severity.HIGH,
    message="`{code}` calls the unittest assertion `{name}` on `{receiver}`, {what}, so it does "
    "not assert what it says: on a mock it raises AttributeError or checks nothing.",
    recommendation="Call the test case's assertion, `{fixed}`, or the mock's own assertion "
    "(`assert_called_once_with(...)` and its family).",
    node_types=(ast.Call, ast.Assign, ast.withitem, ast.FunctionDef, ast.AsyncFunctionDef),
    finish=finish_assert_on_mock,
)
def check_assert_on_mock(node: ast.AST, ctx: Context) -> None:
    """A unittest assertion name (``assertEqual``, ``assertRaises``… from ``unittest.TestCase``,
    or a mock assertion spelt in its style: ``assertCalledOnceWith``) called on an object
    other than the test case: ``m.assertCalledOnceWith(...)``, ``mgr.x.assertEqual(...)``.

    High when the receiver is known to be a mock; medium on another object. Left alone: a
    receiver that is a parameter of the helper function it is in (the test case passed in),
    ``self.<attr>`` in a class that is not a test case (a fixture keeping the test), and an
    unbound call with ``self`` (``base.TestCase.assertEqual(self, …)``).
    """
    if isinstance(node, ast.Assign | ast.withitem | ast.FunctionDef | ast.AsyncFunctionDef):
        _note_bindings(node, ctx)
    elif isinstance(node, ast.Call):
        _note_assert(node, ctx)


# ---------------------------------------------------------------- assert-has-calls-empty


def _empty_sequence(node: ast.AST | None) -> bool:
    if isinstance(node, ast.List | ast.Tuple):
        return not node.elts
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("list", "tuple")
        and not node.args
        and not node.keywords
    )


@register(
    id="assert-has-calls-empty",
    title="assert_has_calls with no calls",
    family="test_integrity",
    rationale=(
        "`assert_has_calls(calls)` checks that `calls` appear in the mock's calls; an empty "
        "list appears in every list of calls, so the assertion passes whatever the mock did, "
        "including when it was never called."
    ),
    cwe=693,
    severity=Severity.HIGH,
    message="`{code}` asserts an empty list of calls, which every mock satisfies: it passes "
    "whether or not the mock was called.",
    recommendation="List the expected calls (`[mock.call(...), ...]`), or assert "
    "`assert_not_called()` if no call was the point.",
    node_types=(ast.Call,),
    call_names=frozenset({"assert_has_calls", "assert_has_awaits"}),
)
def check_assert_has_calls_empty(node: ast.Call, ctx: Context) -> None:
    """``m.assert_has_calls([])``, ``m.assert_has_calls(())``, ``assert_has_calls(list())``
    (and ``calls=[]``, and ``assert_has_awaits``): checks nothing."""
    if not isinstance(node.func, ast.Attribute) or _is_self(node.func.value):
        return
    calls = node.args[0] if node.args else None
    found = keyword(node, "calls")
    if found is not None:
        calls = found.value
    if _empty_sequence(calls):
        ctx.report(node)
