"""Mocks that check nothing: misspelt or uncalled assertions, a Mock class where an
instance was meant."""

from __future__ import annotations

import ast
from functools import lru_cache

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import PATCHERS, mock_name, root_name

# unittest.mock's assertion methods (Python 3.8+; the await ones come with AsyncMock).
REAL_MOCK_ASSERTS = frozenset(
    {
        "assert_called",
        "assert_called_once",
        "assert_called_with",
        "assert_called_once_with",
        "assert_any_call",
        "assert_has_calls",
        "assert_not_called",
        "assert_awaited",
        "assert_awaited_once",
        "assert_awaited_with",
        "assert_awaited_once_with",
        "assert_any_await",
        "assert_has_awaits",
        "assert_not_awaited",
    }
)

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
    ctx.report(
        node,
        name=func.attr,
        suggestion=suggestion,
        receiver=receiver_code,
        fixed=f"{receiver_code}.{suggestion}(...)",
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
            cls_code = ctx.segment(value, 40)
            ctx.report(node, cls=cls_code, how=how.rstrip("="), instance=f"{cls_code}()",
                       new_callable=f"new_callable={cls_code}")  # fmt: skip
            return
