"""Comparisons whose result is an accident: exact float equality, ``is`` with a literal."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.fixes import Fix, Replacement, operator_span
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import is_literal


def _floaty(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, float) and not node.value.is_integer()
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)


@register(
    id="float-exact-equality",
    title="Exact equality on a float",
    family="test_integrity",
    rationale=(
        "Floating-point arithmetic rounds. Two computations of the same quantity can "
        "differ in the last bit, so an exact comparison passes or fails depending on "
        "the order of operations, the platform or the library version: a flaky or "
        "misleading test."
    ),
    cwe=1077,
    severity=Severity.LOW,
    message="`{code}` compares floating-point values exactly; rounding can make equal "
    "quantities differ in the last bit.",
    recommendation="Use `assertAlmostEqual` (or `math.isclose`), or compare integers with `//`.",
    node_types=(ast.Call, ast.Assert),
    call_names=frozenset({"assertEqual", "assertNotEqual", "assertEquals"}),
)
def check_float_exact_equality(node: ast.AST, ctx: Context) -> None:
    """``assertEqual``/``assertNotEqual`` or ``assert a == b`` / ``!=`` where a side is a
    non-integral float literal or a true division.
    """
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


# ----------------------------------------------------------------- is-literal-comparison


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
    family="test_integrity",
    rationale=(
        "`is` compares object identity. Whether two equal strings, numbers or tuples "
        "are the same object is an implementation detail of the interpreter (interning, "
        "caching), so the result can change between runs, versions and platforms."
    ),
    cwe=595,
    severity=Severity.MEDIUM,
    message="`{code}` compares identity with the literal `{literal}`; whether two equal "
    "str/int/tuple objects are the same object is an interpreter detail, so the result "
    "changes between runs and Python versions.",
    recommendation="Compare values with `==` / `!=` (`assertEqual` in a test).",
    node_types=(ast.Compare,),
    fixes="`is` -> `==` and `is not` -> `!=` beside a str, bytes or int literal (or a tuple "
    "of them); not beside a float, where `==` would be an exact float comparison",
)
def check_is_literal_comparison(node: ast.Compare, ctx: Context) -> None:
    """``is`` / ``is not`` with a str, number (not bool) or tuple literal on either side."""
    left = node.left
    literal: ast.AST | None = None
    for op, right in zip(node.ops, node.comparators, strict=False):
        if op.__class__ is ast.Is or op.__class__ is ast.IsNot:
            for side in (left, right):
                if _identity_literal(side):
                    literal = literal or side
        left = right
    if literal is not None:
        ctx.report(node, literal=ctx.segment(literal, 40), autofix=_equality_fix(node, ctx))


_EQUALITY = {ast.Is: (("is",), "=="), ast.IsNot: (("is", "not"), "!=")}


def _exact_literal(node: ast.AST, inner: bool = False) -> bool:
    """A literal whose ``==`` is exact: str, bytes and int constants, tuples of them (inside
    a tuple also None and bools, which the rule does not flag on their own)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if inner and (value is None or isinstance(value, bool)):
            return True
        return isinstance(value, str | bytes | int) and not isinstance(value, bool)
    return isinstance(node, ast.Tuple) and all(_exact_literal(e, True) for e in node.elts)


def _equality_fix(node: ast.Compare, ctx: Context) -> Fix | None:
    """``==``/``!=`` for every ``is``/``is not`` beside an exact literal. For those values
    equality is what identity happened to test on the author's interpreter; beside a float
    the edit would turn one defect into another (exact float equality), so none."""
    if any(isinstance(n, ast.Constant) and isinstance(n.value, float | complex)
           for n in ast.walk(node)):  # fmt: skip
        return None
    replacements: list[Replacement] = []
    left = node.left
    for op, right in zip(node.ops, node.comparators, strict=False):
        words = _EQUALITY.get(op.__class__)
        if words is not None and (_identity_literal(left) or _identity_literal(right)):
            if not (_exact_literal(left) or _exact_literal(right)):
                return None  # all or nothing: the finding must go with the fix
            where = operator_span(ctx.lines, left, right, words[0])
            if where is None:
                return None
            # ``x is(b'ok')`` is legal with a keyword, not pretty with a symbol: add a blank
            after = ctx.lines[where[2] - 1][where[3] : where[3] + 1]
            text = words[1] + (" " if after and not after.isspace() else "")
            replacements.append(Replacement(*where, text))
        left = right
    if not replacements:
        return None
    return Fix("Compare values with `==` / `!=`, not identity", tuple(replacements))
