"""return-in-finally: ``return``/``break``/``continue`` that leave a ``finally`` block."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import NESTED_SCOPES


@register(
    id="return-in-finally",
    title="return/break/continue inside finally",
    family="control_flow",
    rationale=(
        "A `return`, `break` or `continue` that leaves a `finally` block discards any "
        "exception in flight, including a failed assertion, so errors disappear without "
        "a trace."
    ),
    cwe=584,
    severity=Severity.MEDIUM,
    message="`{code}` leaves a `finally` block, which silently discards any exception in "
    "flight (including a failed assertion).",
    recommendation="Move the `{kind}` after the `try` statement, or re-raise explicitly.",
    node_types=(ast.Return, ast.Break, ast.Continue),
)
def check_return_in_finally(node: ast.stmt, ctx: Context) -> None:
    """``return`` inside a ``finally`` block, and ``break``/``continue`` that leave one (not those
    of a loop inside the block).
    """
    ancestors = ctx.ancestors
    loop_ok = not isinstance(node, ast.Return)
    for i in range(len(ancestors) - 1, -1, -1):
        anc = ancestors[i]
        if isinstance(anc, NESTED_SCOPES):
            return
        if loop_ok and isinstance(anc, ast.For | ast.AsyncFor | ast.While):
            return  # break/continue of a loop inside the finally block
        if isinstance(anc, ast.Try | getattr(ast, "TryStar", ast.Try)) and anc.finalbody:
            child = ancestors[i + 1] if i + 1 < len(ancestors) else node
            if any(child is s for s in anc.finalbody):
                ctx.report(node, kind=type(node).__name__.lower())
                return
