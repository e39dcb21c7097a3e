"""Tests that cannot fail (RULES.md family, CWE-693 unless noted)."""

from __future__ import annotations

import ast
import re
from functools import lru_cache

from bot.analysis.engine import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import mock_name

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
_PATCHERS = frozenset({"mock.patch", "mock.patch.object", "mock.patch.dict", "mock.patch.multiple"})


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


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_mock_source(value: ast.AST, ctx: Context) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    # mock.patch(...).start() returns the mock
    if isinstance(func, ast.Attribute) and func.attr == "start":
        inner = func.value
        return isinstance(inner, ast.Call) and mock_name(ctx.qualname(inner.func)) in _PATCHERS
    return mock_name(ctx.qualname(func)) in _MOCK_FACTORIES


def _known_mocks(ctx: Context) -> set[str]:
    mocks: set[str] = ctx.state.setdefault("mock-nonexistent-assertion", set())
    return mocks


@register(
    id="mock-nonexistent-assertion",
    title="Mock assertion that does not exist",
    cwe=693,
    severity=Severity.HIGH,
    message=(
        "`{code}` is not an assertion: `{name}` is not a mock assert method, so the call "
        "returns a new Mock and checks nothing; the test passes whatever the code does."
    ),
    recommendation="Call the real assertion: `{receiver}.{suggestion}(...)`.",
    node_types=(ast.Call, ast.Assign, ast.withitem),
)
def check_mock_nonexistent_assertion(node: ast.AST, ctx: Context) -> None:
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
            and mock_name(ctx.qualname(node.context_expr.func)) in _PATCHERS
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
    if not ctx.is_test and _root_name(receiver) not in _known_mocks(ctx):
        return
    ctx.report(
        node,
        name=func.attr,
        suggestion=suggestion,
        receiver=ctx.segment(receiver, 60),
    )


# ----------------------------------------------------------------------------------

_ONE_ARG_ASSERTS = {
    "assertTrue": ("is truthy", "assertEqual"),
    "assert_": ("is truthy", "assertEqual"),
    "assertFalse": ("is falsy", "assertNotEqual"),
    "assertIsNone": ("is None", "assertIs"),
    "assertIsNotNone": ("is not None", "assertIsNot"),
}
_MESSAGE_NAME = re.compile(
    r"msg|message|reason|err|exc|detail|text|desc|explain|info|hint|fail|note|why|output"
    r"|out|content|body|log|trace|diff|context|repr|str|summary|warn|label|comment|help",
    re.IGNORECASE,
)
_SHORT_MESSAGE_NAMES = frozenset({"e", "ex", "m", "s", "tb"})


def _not_a_message(node: ast.AST) -> bool:
    """True when ``node`` clearly is not a failure message (precision first)."""
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id not in _SHORT_MESSAGE_NAMES and not _MESSAGE_NAME.search(node.id)
    if isinstance(node, ast.Attribute):
        return not _MESSAGE_NAME.search(node.attr)
    if isinstance(
        node,
        ast.List
        | ast.Tuple
        | ast.Set
        | ast.Dict
        | ast.ListComp
        | ast.SetComp
        | ast.DictComp
        | ast.Compare
        | ast.Lambda,
    ):
        return True
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not | ast.USub | ast.UAdd) and _not_a_message(node.operand)
    if isinstance(node, ast.BoolOp):
        return all(_not_a_message(v) for v in node.values)
    return False  # f-strings, %/+/.format, calls, subscripts: may well be a message


def _diagnostic(first: ast.expr, second: ast.expr, ctx: Context) -> bool:
    """``assertTrue(line.startswith('x'), line)``: the value is shown on failure."""
    if isinstance(first, ast.Compare | ast.BoolOp | ast.Call) or (
        isinstance(first, ast.UnaryOp) and isinstance(first.op, ast.Not)
    ):
        return True
    return ctx.segment(second) in ctx.segment(first, 10_000)


@register(
    id="assert-second-arg-not-message",
    title="Second argument of a one-value assertion is not a message",
    cwe=1025,
    severity=Severity.MEDIUM,
    message=(
        "`{code}` passes `{second}` as the failure message, not as a value to compare: "
        "the assertion only checks that `{first}` {what}, so `{second}` is never checked."
    ),
    recommendation=(
        "If a comparison was meant, write `self.{better}({first}, {second})`; "
        "if `{second}` really is a message, pass it as `msg={second}`."
    ),
    node_types=(ast.Call,),
)
def check_assert_second_arg(node: ast.Call, ctx: Context) -> None:
    func = node.func
    if not isinstance(func, ast.Attribute):
        return
    info = _ONE_ARG_ASSERTS.get(func.attr)
    if info is None or len(node.args) != 2 or node.keywords:
        return
    first, second = node.args
    if isinstance(first, ast.Starred) or not _not_a_message(second):
        return
    if isinstance(second, ast.Name | ast.Attribute) and _diagnostic(first, second, ctx):
        return
    what, better = info
    ctx.report(
        node,
        first=ctx.segment(first, 60),
        second=ctx.segment(second, 60),
        what=what,
        better=better,
    )
