"""int-of-true-division: ``int(a / b)`` on integers, which loses precision past 2**53."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import binop_operands

_INT_NAME = re.compile(
    r"size|count|len|num|total|bytes|_mb$|_gb$|_kb$|^mb$|^gb$|^kb$|pages|blocks|^n$|^i$|"
    r"index|idx|offset|cpus|vcpus|cores|sockets|threads|memory|disk|units|slots",
    re.IGNORECASE,
)


_INTEGRAL_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.LShift, ast.Pow)


def _integral(node: ast.AST) -> bool:
    return all(_integral_operand(n) for n in binop_operands(node, _INTEGRAL_OPS))


def _integral_operand(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        return name in ("len", "int", "sum", "round")
    if isinstance(node, ast.Name):
        return bool(_INT_NAME.search(node.id))
    if isinstance(node, ast.Attribute):
        return bool(_INT_NAME.search(node.attr))
    return False


@register(
    id="int-of-true-division",
    title="int() of a true division of integers",
    family="calculation",
    rationale=(
        "`/` produces a float, which holds integers exactly only up to 2**53, and "
        "`int()` truncates towards zero. Sizes, counts and offsets computed this way "
        "are wrong for large values and round the wrong way for negative ones."
    ),
    cwe=1339,
    severity=Severity.LOW,
    message="`{code}` divides integers with `/` (a float) and truncates it: past 2**53 the "
    "float loses digits, and negative values round towards zero.",
    recommendation="Use floor division `a // b` (or `-(-a // b)` to round up).",
    node_types=(ast.Call,),
    call_names=frozenset({"int", "floor"}),
)
def check_int_of_true_division(node: ast.Call, ctx: Context) -> None:
    """``int(a / b)`` or ``math.floor(a / b)`` where both operands look integral (integer
    literals, ``len()``, names such as ``size``, ``count``, ``num_*``).
    """
    dotted = ctx.qualname(node.func)
    if dotted not in ("int", "math.floor") or len(node.args) != 1 or node.keywords:
        return
    arg = node.args[0]
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Div):  # noqa: SIM102
        if _integral(arg.left) and _integral(arg.right):
            ctx.report(node)
