"""Assertions that cannot do their job: fixed by constants, comparing a thing with
itself, too broad, never reached, swallowed, removed from unittest, or (outside tests)
used for run-time validation."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.fixes import Fix, rename_attribute, swap
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import (
    assertion_call,
    call_name,
    contains_call,
    is_assertion,
    is_literal,
    keyword,
    literal_truth,
    same_tree,
)

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
        if truth is None or truth != _TRUTHY_ASSERTS[name]:
            # ``assertFalse(True)``/``assertTrue(False)`` always fail: a deliberate failure
            # (``self.fail()`` says it better, but the test does fail)
            return None
        return f"its value is a constant that is always {'true' if truth else 'false'}"
    if name == "assertIsNone":
        if isinstance(first, ast.Constant) and first.value is None:
            return "`None` is always None"
        return None
    if name == "assertIsNotNone":
        if is_literal(first) and not (isinstance(first, ast.Constant) and first.value is None):
            return "a literal is never None"
        return None
    if name in _LITERAL_PAIR_ASSERTS and len(args) >= 2:  # noqa: SIM102
        if is_literal(first) and is_literal(args[1]) and _literal_pair_passes(name, first, args[1]):
            return "both sides are literals"
    return None


def _literal_pair_passes(name: str, first: ast.expr, second: ast.expr) -> bool:
    """Does the assertion on two literals always pass (rather than always fail, which is a
    deliberate failure)?"""
    try:
        a, b = ast.literal_eval(first), ast.literal_eval(second)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return True
    same = a is b if name in ("assertIs", "assertIsNot") else a == b
    return same if name in ("assertEqual", "assertEquals", "assertIs") else not same


@register(
    id="assert-always-true",
    title="Assertion whose outcome is fixed by constants",
    family="test_integrity",
    rationale=(
        "A test is only worth its ability to fail. An assertion whose outcome is fixed "
        "when the code is written (a tuple in parentheses, two literals) passes "
        "whatever the code under test does, so a regression ships with a green test "
        "run."
    ),
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
    """An assertion that always passes because constants fix it: ``assert (x, 'msg')``,
    ``assert True``, ``assertTrue(1)``, ``assertIsNone(None)``, ``assertIsNotNone('x')``, or
    ``assertEqual`` on two equal literals. One that always *fails* (``assertFalse(True)``,
    ``assertTrue(False)``, ``assertEqual(1, 2)``) is a deliberate failure and is left alone.
    """
    why = _fixed_assert(node)
    if why is not None:
        ctx.report(node, why=why)


# ----------------------------------------------------------------- assert-for-validation


@register(
    id="assert-for-validation",
    title="assert used for a run-time check",
    family="control_flow",
    rationale=(
        "Python drops `assert` statements when it runs with `-O`, so a permission or "
        "input check written as an assert vanishes in an optimised deployment and the "
        "code then proceeds with data it meant to reject."
    ),
    cwe=617,
    severity=Severity.LOW,
    message="`{code}` is removed when Python runs with `-O`, so this check disappears in an "
    "optimised deployment.",
    recommendation="Raise an explicit exception (`if not cond: raise ValueError(...)`).",
    bandit_ids=("B101",),
    node_types=(ast.Assert,),
    files="code",
)
def check_assert_for_validation(node: ast.Assert, ctx: Context) -> None:
    """An ``assert`` statement in code that is not test code (except under ``if TYPE_CHECKING``)."""
    if ctx.is_test:
        return
    for anc in ctx.ancestors:
        if isinstance(anc, ast.If) and "TYPE_CHECKING" in ctx.segment(anc.test):
            return
    ctx.report(node)


# --------------------------------------------------------------- assert-raises-too-broad

_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})


def _broad(node: ast.AST, ctx: Context) -> str | None:
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Tuple):
            todo.extend(reversed(current.elts))
            continue
        name = ctx.qualname(current)
        if name in _BROAD:
            return name.rsplit(".", 1)[-1]
    return None


@register(
    id="assert-raises-too-broad",
    title="assertRaises(Exception) passes on any error",
    family="test_integrity",
    rationale=(
        "`assertRaises(Exception)` also passes when the code fails for an unrelated "
        "reason: a typo raising NameError, a wrong mock raising TypeError. The test "
        "then reports success for code that never reached the error path it was written "
        "to cover."
    ),
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
    """``assertRaises(Exception)``, ``assertRaises(BaseException)`` (also inside a tuple) and
    ``pytest.raises(Exception)`` without ``match=``.
    """
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
    if exc is not None and not _pinned_after(node, ctx):
        ctx.report(node, exc=exc)


def _pinned_after(node: ast.Call, ctx: Context) -> bool:
    """``e = self.assertRaises(Exception, f)`` followed at once by an assertion on ``e``
    (its message, its exact type): an unrelated error fails that check, so the broad catch
    lets nothing through."""
    parent = ctx.parent
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)):  # fmt: skip
        return False
    name = parent.targets[0].id
    bodies = (getattr(a, "body", None) for a in reversed(ctx.ancestors[:-1]))
    body = next((b for b in bodies if isinstance(b, list) and parent in b), None)
    if not body:
        return False
    following = body[body.index(parent) + 1 :][:1]
    return any(
        is_assertion(stmt) and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(stmt))
        for stmt in following
    )


# ------------------------------------------------------------------ assert-same-operands

_PAIR_ASSERTS = frozenset(
    {
        "assertEqual", "assertEquals", "assertIs", "assertCountEqual", "assertItemsEqual",
        "assertDictEqual", "assertListEqual", "assertSetEqual", "assertTupleEqual",
        "assertSequenceEqual", "assertMultiLineEqual", "assertAlmostEqual",
    }
)  # fmt: skip

_REFLEXIVE = re.compile(r"eq|equal|compar|cmp|order|hash|sort|ident", re.IGNORECASE)


#: calls that give the same answer for the same arguments: the same call on both sides of an
#: assertion compares a value with itself
_PURE_CALLS = frozenset(
    {
        "len", "str", "repr", "int", "float", "bool", "bytes", "sorted", "list", "tuple", "set",
        "frozenset", "dict", "type", "abs", "round", "min", "max", "sum", "any", "all",
        "getattr", "hasattr", "isinstance", "issubclass", "get", "keys", "values", "items",
        "count", "index", "lower", "upper", "strip", "split", "startswith", "endswith",
        "format", "join", "encode", "decode", "dumps", "loads", "to_primitive", "as_dict",
        "obj_to_primitive",
    }
)  # fmt: skip


def _pure(node: ast.AST) -> bool:
    """Every call in ``node`` is to a function that returns the same for the same input."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and call_name(sub) not in _PURE_CALLS:
            return False
    return True


def _same(a: ast.AST, b: ast.AST) -> bool:
    if is_literal(a) and is_literal(b):
        return False  # assert-always-true reports literal pairs
    if contains_call(a) and not _pure(a):
        return False  # f() == f() can test determinism (uuid4(), next(), a mock's calls)
    return same_tree(a, b)


@register(
    id="assert-same-operands",
    title="Assertion compares an expression with itself",
    family="test_integrity",
    rationale=(
        "Comparing an expression with itself always passes, so the assertion checks "
        "nothing about the code under test; it usually means a copy-paste slip where "
        "one side should have been the expected value."
    ),
    cwe=1025,
    severity=Severity.MEDIUM,
    message="`{code}` compares `{operand}` with itself, so it always passes.",
    recommendation="Compare the value the code produced with an independent expected value.",
    node_types=(ast.Call, ast.Assert),
    call_names=_PAIR_ASSERTS,
)
def check_assert_same_operands(node: ast.AST, ctx: Context) -> None:
    """``assertEqual(x, x)`` and the other pair assertions, or ``assert x == x``, with the same
    expression on both sides.

    Identical calls count when every call is of a function that gives the same answer for
    the same input (``len``, ``str``, ``sorted``, ``d.get``, ``jsonutils.dumps``…). Literals
    (reported by assert-always-true), other calls (``f() == f()`` can test determinism) and
    tests named after equality, ordering or hashing are left alone.
    """
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


# --------------------------------------------------------- assert-second-arg-not-message

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
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.UnaryOp) and isinstance(
            current.op, ast.Not | ast.USub | ast.UAdd
        ):
            todo.append(current.operand)
        elif isinstance(current, ast.BoolOp):
            todo.extend(current.values)
        elif not _plainly_not_a_message(current):
            return False
    return True


def _plainly_not_a_message(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id not in _SHORT_MESSAGE_NAMES and not _MESSAGE_NAME.search(node.id)
    if isinstance(node, ast.Attribute):
        return not _MESSAGE_NAME.search(node.attr)
    # f-strings, %/+/.format, calls, subscripts: may well be a message
    return isinstance(
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
    )


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
    family="test_integrity",
    rationale=(
        "`assertTrue(a, b)` treats `b` as the failure message, not as a value to "
        "compare. The author almost always meant `assertEqual(a, b)`; as written, only "
        "the truthiness of `a` is tested and any value of `b` passes."
    ),
    cwe=1025,
    severity=Severity.MEDIUM,
    message=(
        "`{code}` passes `{second}` as the failure message, not as a value to compare: "
        "the assertion only checks that `{first}` {what}, so `{second}` is never checked."
    ),
    recommendation=(
        "If a comparison was meant, write `{comparison}`; "
        "if `{second}` really is a message, pass it as `{as_message}`."
    ),
    node_types=(ast.Call,),
    fixes="`assertTrue(a, 1)` -> `assertEqual(1, a)` (expected value first) when the second "
    "argument is an int literal or a container literal without floats, and the first is a "
    "value, not a comparison; no fix for the other assertions or for names",
)
def check_assert_second_arg_not_message(node: ast.Call, ctx: Context) -> None:
    """``assertTrue(a, b)``, ``assertFalse(a, b)``, ``assertIsNone(a, b)`` and
    ``assertIsNotNone(a, b)`` whose second argument is clearly a value, not a failure message.

    Names that read like messages (``msg``, ``reason``, ``output``...), strings, f-strings and
    calls are taken as messages; so is a name shown by the first argument
    (``assertTrue(line.startswith('x'), line)``).
    """
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
    first_code, second_code = ctx.segment(first, 60), ctx.segment(second, 60)
    ctx.report(
        node,
        autofix=_equality_fix(node, func, ctx),
        first=first_code,
        second=second_code,
        what=what,
        better=better,
        comparison=f"self.{better}({first_code}, {second_code})",
        as_message=f"msg={second_code}",
    )


def _expected_value(node: ast.AST) -> bool:
    """A literal only an equality check makes sense of: an int (not a bool, not a float,
    which ``assertEqual`` would compare exactly), or a list/tuple/set/dict literal of
    such values and strings."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    if not isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict) or not is_literal(node):
        return False
    return not any(
        isinstance(n, ast.Constant) and isinstance(n.value, float | complex)
        for n in ast.walk(node)
    )


def _equality_fix(node: ast.Call, func: ast.Attribute, ctx: Context) -> Fix | None:
    """``self.assertTrue(a, 1)`` -> ``self.assertEqual(1, a)``: certain only for
    ``assertTrue`` (whose intended comparison is equality) with a value first and a literal
    that cannot be a message second; the two arguments swap texts (expected first, as
    testtools prints it), keeping each one's own formatting."""
    if func.attr != "assertTrue":  # ``assert_`` is removed-assert-alias's rename first
        return None
    first, second = node.args
    if not _expected_value(second) or isinstance(
        first, ast.Compare | ast.BoolOp | ast.UnaryOp | ast.Constant
    ):
        return None
    rename = rename_attribute(ctx.lines, func, "assertEqual", "").replacements
    return Fix(
        f"Compare with `assertEqual`: `{ctx.segment(second, 40)}` was passed as the message",
        (*rename, *swap(ctx.lines, ctx.source, first, second)),
    )


# ------------------------------------------------------------- assertion-error-swallowed

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
    scope="function",
    title="Assertion failure caught and discarded",
    family="test_integrity",
    rationale=(
        "Assertions fail by raising AssertionError. A `try` block around them whose "
        "handler catches that (or `Exception`, or everything) and does not re-raise "
        "turns every failing assertion into a pass, so the test can never report the "
        "bug it was written for."
    ),
    cwe=390,
    severity=Severity.HIGH,
    message="`{code}` catches {what} around assertions and does not re-raise, so a failing "
    "assertion in the `try` block is swallowed and the test passes.",
    recommendation="Remove the `try`/`except`, or catch only the exception the code under test "
    "raises and keep the assertions outside the `try` block.",
    node_types=(ast.Try,),
)
def check_assertion_error_swallowed(node: ast.Try, ctx: Context) -> None:
    """A ``try`` block with assertions whose handler catches ``AssertionError``, ``Exception``,
    ``BaseException`` or everything and neither re-raises, asserts, fails nor skips.

    A ``try`` inside a loop (a polling loop that retries) is left alone, and so is a
    predicate -- a handler returning a value (``return False``) in a function whose result
    is used (``wait_until_true(check)``, ``assertTrue(check())``): the failure is its
    answer. When the function is used only in other files, the finding is low.
    """
    if not any(is_assertion(stmt) for stmt in node.body):
        return
    for anc in reversed(ctx.ancestors):
        if isinstance(anc, _LOOPS):
            return  # a polling loop that retries on failure
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            break
    for handler in node.handlers:
        what = _handler_catches(handler, ctx)
        if what is None or _reraises(handler):
            continue
        severity = None
        if _returns_value(handler):
            # A predicate: the failure becomes its result (``return False``), which a
            # ``wait_until_true(check)``-style poller or ``assertTrue(check())`` acts on.
            used = _result_used(ctx)
            if used:
                return
            if used is None:
                severity = Severity.LOW
                what += (" (the function returns a result instead; if its callers, in other "
                         "files, check it, nothing is lost)")  # fmt: skip
        ctx.report(handler, what=what, severity=severity)
        return


def _returns_value(handler: ast.ExceptHandler) -> bool:
    """The handler ends by returning a value (``return False``): a failure result."""
    last = handler.body[-1] if handler.body else None
    return (
        isinstance(last, ast.Return)
        and last.value is not None
        and not (isinstance(last.value, ast.Constant) and last.value.value is None)
    )


def _result_used(ctx: Context) -> bool | None:
    """Is the result of the enclosing function used where it is referenced in this file
    (passed on as a predicate, tested, asserted, returned)? False when every use discards
    it; None when it is used only outside this file (or nowhere)."""
    func = ctx.enclosing_function()
    if func is None:
        return False
    uses = _uses(ctx).get(func.name)
    if not uses:
        return None if ctx.project.mentioned_elsewhere(func.name) else False
    return any(uses)


def _uses(ctx: Context) -> dict[str, list[bool]]:
    """name -> for each reference in the file, whether its value is used (anything but a
    call whose result is thrown away: ``check()`` alone on its line)."""
    found: dict[str, list[bool]] | None = ctx.state.get("_predicate_uses")
    if found is not None:
        return found
    found = {}
    discarded: set[int] = set()
    tree = ctx.tree
    for sub in ast.walk(tree) if tree is not None else ():
        if isinstance(sub, ast.Expr) and isinstance(sub.value, ast.Call):
            discarded.add(id(sub.value.func))
        elif isinstance(sub, ast.Name | ast.Attribute) and isinstance(sub.ctx, ast.Load):
            name = sub.id if isinstance(sub, ast.Name) else sub.attr
            found.setdefault(name, []).append(id(sub) not in discarded)
    ctx.state["_predicate_uses"] = found
    return found


# ---------------------------------------------------------------- assertions-after-raise

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
    family="test_integrity",
    rationale=(
        "Inside `with self.assertRaises(...)`, the block stops at the statement that "
        "raises. Assertions written after that call never run, so the checks on the "
        "error (its message, its status code) are silently skipped."
    ),
    cwe=693,
    severity=Severity.MEDIUM,
    message="`{code}` sits inside the `with` block of `{cm}` after `{first}`, which is expected "
    "to raise; "
    "when it does, the rest of the block is skipped, so this assertion never runs{more}.",
    recommendation="Move the assertion after the `with` block (dedent it), keeping only the "
    "call that should raise inside.",
    node_types=(ast.With, ast.AsyncWith),
)
def check_assertions_after_raise(node: ast.With | ast.AsyncWith, ctx: Context) -> None:
    """Assertions inside ``with self.assertRaises(...)`` (or ``assertRaisesRegex``,
    ``pytest.raises``, ``testtools.ExpectedException``) that come after the first statement
    that calls something: that call is the one expected to raise.
    """
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


# ------------------------------------------------------------------ removed-assert-alias

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
    family="test_integrity",
    rationale=(
        "Python 3.12 removed the deprecated unittest aliases (`assertEquals`, "
        "`failUnless`, ...). A test using them errors with AttributeError on current "
        "Python, or silently depends on a compatibility shim, instead of checking "
        "anything."
    ),
    cwe=477,
    severity=Severity.MEDIUM,
    message="`{code}` uses `{name}`, which Python 3.12 removed from unittest: the test errors "
    "with AttributeError (or relies on a compatibility shim) instead of checking anything.",
    recommendation="Use `{replacement}` instead.",
    node_types=(ast.Call,),
    call_names=frozenset(REMOVED_ALIASES),
    fixes="renames the alias to its current name (not `assertDictContainsSubset`, whose "
    "replacement takes other arguments)",
)
def check_removed_assert_alias(node: ast.Call, ctx: Context) -> None:
    """``self.assertEquals(...)``, ``self.failUnless(...)`` and the other unittest aliases Python
    3.12 removed, called on ``self``/``cls``/a test case.
    """
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):  # noqa: SIM102
        if func.value.id in ("self", "cls", "testcase", "test_case", "tc"):
            better = REMOVED_ALIASES[func.attr]
            # a rename is the whole fix only where the new name takes the same arguments
            fix = (
                rename_attribute(ctx.lines, func, better, f"Rename `{func.attr}` to `{better}`")
                if better.isidentifier()
                else None
            )
            ctx.report(
                node, name=func.attr, better=better, replacement=f"self.{better}", autofix=fix
            )


# ----------------------------------------------------------------- unreachable-assertion

_STMT_LISTS = ("body", "orelse", "finalbody")


def _terminator(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.Return):
        return "return"
    if isinstance(stmt, ast.Raise):
        return "raise"
    if isinstance(stmt, ast.Continue):
        return "continue"
    if isinstance(stmt, ast.Break):
        return "break"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and func.attr == "fail" and isinstance(
            func.value, ast.Name
        ) and func.value.id in ("self", "pytest"):  # fmt: skip
            return "self.fail()"
    return None


@register(
    id="unreachable-assertion",
    title="Assertion after return/raise/fail never runs",
    family="control_flow",
    rationale=(
        "Statements after `return`, `raise`, `continue`, `break` or `self.fail()` in "
        "the same block never run, so an assertion placed there checks nothing while "
        "looking like part of the test."
    ),
    cwe=561,
    severity=Severity.MEDIUM,
    message="`{code}` comes after `{after}` in the same block, so it never runs and checks "
    "nothing{more}.",
    recommendation="Move the assertion before `{after}`, or delete it if it is obsolete.",
    node_types=(ast.FunctionDef, ast.AsyncFunctionDef, ast.If, ast.For, ast.AsyncFor, ast.While,
                ast.With, ast.AsyncWith, ast.Try, ast.ExceptHandler),
)  # fmt: skip
def check_unreachable_assertion(node: ast.AST, ctx: Context) -> None:
    """An assertion after ``return``, ``raise``, ``continue``, ``break`` or ``self.fail()`` in the
    same block (function body, branch, loop, ``with``, ``try``).
    """
    for field in _STMT_LISTS:
        stmts = getattr(node, field, None)
        if not stmts:
            continue
        after: str | None = None
        dead = [stmt for stmt in _after_terminator(stmts) if is_assertion(stmt)]
        if dead:
            after = _terminator(next(s for s in stmts if _terminator(s)))
            more = f" (and {len(dead) - 1} more assertion(s) after it)" if len(dead) > 1 else ""
            ctx.report(dead[0], after=after, more=more)


def _after_terminator(stmts: list[ast.stmt]) -> list[ast.stmt]:
    for i, stmt in enumerate(stmts):
        if _terminator(stmt) is not None:
            return stmts[i + 1 :]
    return []
