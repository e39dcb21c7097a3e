"""Tests that cannot fail (RULES.md family, CWE-693 unless noted)."""

from __future__ import annotations

import ast
import re
from functools import lru_cache

from bot.analysis.engine import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import (
    assertion_call,
    contains_call,
    is_assertion,
    is_literal,
    keyword,
    literal_truth,
    mock_name,
)

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


# ------------------------------------------------------------------ assert-always-true

_TRUTHY_ASSERTS = {"assertTrue": True, "assert_": True, "failUnless": True, "assertFalse": False,
                   "failIf": False}  # fmt: skip
_LITERAL_PAIR_ASSERTS = frozenset(
    {"assertEqual", "assertEquals", "assertIs", "assertNotEqual", "assertIsNot"}
)


def _fixed_assert(node: ast.AST) -> str | None:
    """Why the assertion's outcome is fixed when the code is written, or None."""
    if isinstance(node, ast.Assert):
        test = node.test
        if isinstance(test, ast.Tuple) and test.elts:
            return "a non-empty tuple is always true (the parentheses make a tuple)"
        if is_literal(test) and literal_truth(test) is True:
            return "its condition is a constant that is always true"
        return None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    name = node.func.attr
    args = node.args
    if not args or isinstance(args[0], ast.Starred):
        return None
    first = args[0]
    if name in _TRUTHY_ASSERTS:
        truth = literal_truth(first)
        if isinstance(first, ast.Tuple) and first.elts:
            truth = True
        if truth is not None:
            return f"its value is a constant that is always {'true' if truth else 'false'}"
        return None
    if name == "assertIsNone":
        if isinstance(first, ast.Constant) and first.value is None:
            return "`None` is always None"
        return None
    if name == "assertIsNotNone":
        if is_literal(first) and not (isinstance(first, ast.Constant) and first.value is None):
            return "a literal is never None"
        return None
    if name in _LITERAL_PAIR_ASSERTS and len(args) >= 2:  # noqa: SIM102
        if is_literal(first) and is_literal(args[1]):
            return "both sides are literals"
    return None


@register(
    id="assert-always-true",
    title="Assertion whose outcome is fixed by constants",
    cwe=693,
    severity=Severity.MEDIUM,
    message="`{code}` cannot fail the way it was meant to: {why}, so it checks nothing "
    "about the code under test.",
    recommendation="Assert on the value the code under test produced, e.g. "
    "`self.assertEqual(expected, result)`; `assert (x, 'msg')` should be `assert x, 'msg'`.",
    node_types=(ast.Assert, ast.Call),
    call_names=frozenset(
        {*_TRUTHY_ASSERTS, "assertIsNone", "assertIsNotNone", *_LITERAL_PAIR_ASSERTS}
    ),
)
def check_assert_always_true(node: ast.AST, ctx: Context) -> None:
    why = _fixed_assert(node)
    if why is not None:
        ctx.report(node, why=why)


# ------------------------------------------------------------ mock-assertion-not-called


@register(
    id="mock-assertion-not-called",
    title="Mock assertion referenced or assigned but not called",
    cwe=693,
    severity=Severity.HIGH,
    message="`{code}` {how} `{name}` instead of calling it, so nothing is asserted and the "
    "test passes whatever the code does.",
    recommendation="Call it: `{receiver}.{name}(...)`.",
    node_types=(ast.Expr, ast.Assign),
)
def check_mock_assertion_not_called(node: ast.Expr | ast.Assign, ctx: Context) -> None:
    if isinstance(node, ast.Expr):
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr in REAL_MOCK_ASSERTS:
            ctx.report(node, how="only names", name=value.attr,
                       receiver=ctx.segment(value.value, 60))  # fmt: skip
        return
    for target in node.targets:
        if isinstance(target, ast.Attribute) and target.attr in REAL_MOCK_ASSERTS:
            ctx.report(node, how="assigns to", name=target.attr,
                       receiver=ctx.segment(target.value, 60))  # fmt: skip
            return


# -------------------------------------------------------------- assert-same-operands

_PAIR_ASSERTS = frozenset(
    {
        "assertEqual", "assertEquals", "assertIs", "assertCountEqual", "assertItemsEqual",
        "assertDictEqual", "assertListEqual", "assertSetEqual", "assertTupleEqual",
        "assertSequenceEqual", "assertMultiLineEqual", "assertAlmostEqual",
    }
)  # fmt: skip


_REFLEXIVE = re.compile(r"eq|equal|compar|cmp|order|hash|sort|ident", re.IGNORECASE)


def _same(a: ast.AST, b: ast.AST) -> bool:
    if is_literal(a) and is_literal(b):
        return False  # assert-always-true reports literal pairs
    if contains_call(a):
        return False  # f() == f() can test determinism
    return ast.dump(a) == ast.dump(b)


@register(
    id="assert-same-operands",
    title="Assertion compares an expression with itself",
    cwe=1025,
    severity=Severity.MEDIUM,
    message="`{code}` compares `{operand}` with itself, so it always passes.",
    recommendation="Compare the value the code produced with an independent expected value.",
    node_types=(ast.Call, ast.Assert),
    call_names=_PAIR_ASSERTS,
)
def check_assert_same_operands(node: ast.AST, ctx: Context) -> None:
    func = ctx.enclosing_function()
    if func is not None and _REFLEXIVE.search(func.name):
        return  # test_equality: x == x exercises __eq__ on purpose
    if isinstance(node, ast.Assert):
        test = node.test
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq | ast.Is | ast.GtE | ast.LtE)
            and _same(test.left, test.comparators[0])
        ):
            ctx.report(node, operand=ctx.segment(test.left, 60))
        return
    assert isinstance(node, ast.Call)
    if len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):  # noqa: SIM102
        if _same(node.args[0], node.args[1]):
            ctx.report(node, operand=ctx.segment(node.args[0], 60))


# ------------------------------------------------------------- assertions-after-raise

_RAISES_CTX = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})


def _raises_context(item: ast.withitem, ctx: Context) -> bool:
    expr = item.context_expr
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    if isinstance(func, ast.Attribute) and func.attr in _RAISES_CTX:
        return True
    name = ctx.qualname(func)
    return name in ("pytest.raises", "testtools.ExpectedException")


@register(
    id="assertions-after-raise",
    title="Assertion after the raising call inside assertRaises",
    cwe=693,
    severity=Severity.MEDIUM,
    message="`{code}` sits inside `with {cm}` after `{first}`, which is expected to raise; "
    "when it does, the rest of the block is skipped, so this assertion never runs{more}.",
    recommendation="Move the assertion after the `with` block (dedent it), keeping only the "
    "call that should raise inside.",
    node_types=(ast.With, ast.AsyncWith),
)
def check_assertions_after_raise(node: ast.With | ast.AsyncWith, ctx: Context) -> None:
    item = next((i for i in node.items if _raises_context(i, ctx)), None)
    if item is None:
        return
    first: ast.stmt | None = None
    dead: list[ast.stmt] = []
    for stmt in node.body:
        if first is None:
            if is_assertion(stmt) or not contains_call(stmt):
                continue
            first = stmt
            continue
        if is_assertion(stmt):
            dead.append(stmt)
    if first is not None and dead:
        more = f" (nor do the {len(dead) - 1} assertion(s) after it)" if len(dead) > 1 else ""
        ctx.report(
            dead[0], cm=ctx.segment(item.context_expr, 60), first=ctx.segment(first, 60), more=more
        )


# ------------------------------------------------------------ assert-raises-too-broad

_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})


def _broad(node: ast.AST, ctx: Context) -> str | None:
    if isinstance(node, ast.Tuple):
        for elt in node.elts:
            found = _broad(elt, ctx)
            if found:
                return found
        return None
    name = ctx.qualname(node)
    return name.rsplit(".", 1)[-1] if name in _BROAD else None


@register(
    id="assert-raises-too-broad",
    title="assertRaises(Exception) passes on any error",
    cwe=396,
    severity=Severity.MEDIUM,
    message="`{code}` accepts any `{exc}`, so the test also passes when the code fails for "
    "an unrelated reason (a typo, a wrong mock, a TypeError).",
    recommendation="Expect the specific exception the code raises (e.g. "
    "`exception.InstanceNotFound`), or add `match=`/use `assertRaisesRegex` to pin the error.",
    bandit_ids=("B017",),
    node_types=(ast.Call,),
    call_names=frozenset({"assertRaises", "raises"}),
)
def check_assert_raises_too_broad(node: ast.Call, ctx: Context) -> None:
    if not node.args:
        return
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "assertRaises":
        pass
    elif ctx.qualname(func) == "pytest.raises":
        if keyword(node, "match") is not None:
            return
    else:
        return
    exc = _broad(node.args[0], ctx)
    if exc is not None:
        ctx.report(node, exc=exc)


# ---------------------------------------------------------- assertion-error-swallowed

_SWALLOWING = frozenset({"AssertionError", "Exception", "BaseException"})
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def _handler_catches(handler: ast.ExceptHandler, ctx: Context) -> str | None:
    if handler.type is None:
        return "everything (bare `except:`)"
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        name = (ctx.qualname(t) or "").rsplit(".", 1)[-1]
        if name in _SWALLOWING:
            return f"`{name}`"
    return None


def _reraises(handler: ast.ExceptHandler) -> bool:
    for sub in ast.walk(handler):
        if isinstance(sub, ast.Raise) or (isinstance(sub, ast.Call) and assertion_call(sub)):
            return True
        if isinstance(sub, ast.Call):
            name = getattr(sub.func, "attr", getattr(sub.func, "id", ""))
            if name in ("skipTest", "skip", "exit", "_exit", "abort"):
                return True
    return False


@register(
    id="assertion-error-swallowed",
    title="Assertion failure caught and discarded",
    cwe=390,
    severity=Severity.HIGH,
    message="`{code}` catches {what} around assertions and does not re-raise, so a failing "
    "assertion in the `try` block is swallowed and the test passes.",
    recommendation="Remove the `try`/`except`, or catch only the exception the code under test "
    "raises and keep the assertions outside the `try` block.",
    node_types=(ast.Try,),
)
def check_assertion_error_swallowed(node: ast.Try, ctx: Context) -> None:
    if not any(is_assertion(stmt) for stmt in node.body):
        return
    for anc in reversed(ctx.ancestors):
        if isinstance(anc, _LOOPS):
            return  # a polling loop that retries on failure
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            break
    for handler in node.handlers:
        what = _handler_catches(handler, ctx)
        if what is not None and not _reraises(handler):
            ctx.report(handler, what=what)
            return


# --------------------------------------------------------- mock-class-as-replacement

_MOCK_CLASSES = frozenset(
    {"mock.Mock", "mock.MagicMock", "mock.NonCallableMock", "mock.NonCallableMagicMock",
     "mock.AsyncMock"}
)  # fmt: skip
_NEW_POSITION = {"mock.patch": 1, "mock.patch.object": 2}


@register(
    id="mock-class-as-replacement",
    title="Mock class, not a Mock instance, used as the replacement",
    cwe=436,
    severity=Severity.MEDIUM,
    message="`{code}` passes the class `{cls}` as `{how}`: every call of the patched target "
    "builds a fresh mock, so assertions made on the class check nothing.",
    recommendation="Pass an instance (`{cls}()`), or use `new_callable={cls}` / omit `new` and "
    "let `mock.patch` create the mock.",
    node_types=(ast.Call,),
    call_names=frozenset({"patch", "object", "Mock", "MagicMock", "MockPatch",
                          "MockPatchObject"}),
)  # fmt: skip
def check_mock_class_as_replacement(node: ast.Call, ctx: Context) -> None:
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
            ctx.report(node, cls=ctx.segment(value, 40), how=how.rstrip("="))
            return


# ---------------------------------------------------------------- patch-create-true


@register(
    id="patch-create-true",
    title="mock.patch(create=True) patches an attribute that does not exist",
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
    kw = keyword(node, "create")
    if kw is None or not (isinstance(kw.value, ast.Constant) and kw.value.value is True):
        return
    name = ctx.qualname(node.func) or ""
    if mock_name(name) in _PATCHERS or name.endswith(("MockPatch", "MockPatchObject")):
        ctx.report(node)


# -------------------------------------------------------------- removed-assert-alias

REMOVED_ALIASES = {
    "assertEquals": "assertEqual",
    "assertNotEquals": "assertNotEqual",
    "assertItemsEqual": "assertCountEqual",
    "assertRaisesRegexp": "assertRaisesRegex",
    "assertRegexpMatches": "assertRegex",
    "assertNotRegexpMatches": "assertNotRegex",
    "assertDictContainsSubset": "assertLessEqual(expected.items(), actual.items())",
    "assertAlmostEquals": "assertAlmostEqual",
    "assertNotAlmostEquals": "assertNotAlmostEqual",
    "assert_": "assertTrue",
    "failUnless": "assertTrue",
    "failIf": "assertFalse",
    "failUnlessEqual": "assertEqual",
    "failIfEqual": "assertNotEqual",
    "failUnlessRaises": "assertRaises",
    "failUnlessAlmostEqual": "assertAlmostEqual",
    "failIfAlmostEqual": "assertNotAlmostEqual",
}


@register(
    id="removed-assert-alias",
    title="Assertion alias removed in Python 3.12",
    cwe=477,
    severity=Severity.MEDIUM,
    message="`{code}` uses `{name}`, which Python 3.12 removed from unittest: the test errors "
    "with AttributeError (or relies on a compatibility shim) instead of checking anything.",
    recommendation="Use `self.{better}` instead.",
    node_types=(ast.Call,),
    call_names=frozenset(REMOVED_ALIASES),
)
def check_removed_assert_alias(node: ast.Call, ctx: Context) -> None:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):  # noqa: SIM102
        if func.value.id in ("self", "cls", "testcase", "test_case", "tc"):
            ctx.report(node, name=func.attr, better=REMOVED_ALIASES[func.attr])


# ------------------------------------------------------------- is-literal-comparison


def _identity_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        v = node.value
        return v is not None and v is not Ellipsis and not isinstance(v, bool)
    if isinstance(node, ast.Tuple):
        return is_literal(node)
    return False


@register(
    id="is-literal-comparison",
    title="`is` comparison with a literal",
    cwe=595,
    severity=Severity.MEDIUM,
    message="`{code}` compares identity with the literal `{literal}`; whether two equal "
    "str/int/tuple objects are the same object is an interpreter detail, so the result "
    "changes between runs and Python versions.",
    recommendation="Compare values with `==` / `!=` (`assertEqual` in a test).",
    node_types=(ast.Compare,),
)
def check_is_literal(node: ast.Compare, ctx: Context) -> None:
    left = node.left
    for op, right in zip(node.ops, node.comparators, strict=False):
        if op.__class__ is ast.Is or op.__class__ is ast.IsNot:
            for side in (left, right):
                if _identity_literal(side):
                    ctx.report(node, literal=ctx.segment(side, 40))
                    return
        left = right


# -------------------------------------------------------------- float-exact-equality


def _floaty(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, float) and not node.value.is_integer()
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)


@register(
    id="float-exact-equality",
    title="Exact equality on a float",
    cwe=1077,
    severity=Severity.LOW,
    message="`{code}` compares floating-point values exactly; rounding can make equal "
    "quantities differ in the last bit.",
    recommendation="Use `assertAlmostEqual` (or `math.isclose`), or compare integers with `//`.",
    node_types=(ast.Call, ast.Assert),
    call_names=frozenset({"assertEqual", "assertNotEqual", "assertEquals"}),
)
def check_float_exact_equality(node: ast.AST, ctx: Context) -> None:
    if isinstance(node, ast.Assert):
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1:  # noqa: SIM102
            if isinstance(test.ops[0], ast.Eq | ast.NotEq) and (
                _floaty(test.left) or _floaty(test.comparators[0])
            ):
                ctx.report(node)
        return
    assert isinstance(node, ast.Call)
    if any(_floaty(a) for a in node.args[:2]):
        ctx.report(node)
