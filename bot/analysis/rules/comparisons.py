"""Comparisons whose result is an accident: exact float equality, ``is`` with a literal."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
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
)
def check_is_literal_comparison(node: ast.Compare, ctx: Context) -> None:
    """``is`` / ``is not`` with a str, number (not bool) or tuple literal on either side."""
    left = node.left
    for op, right in zip(node.ops, node.comparators, strict=False):
        if op.__class__ is ast.Is or op.__class__ is ast.IsNot:
            for side in (left, right):
                if _identity_literal(side):
                    ctx.report(node, literal=ctx.segment(side, 40))
                    return
        left = right
