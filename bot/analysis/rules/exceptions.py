"""Exception handlers that hide failures: bare ``except:`` and catch-everything-do-nothing."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register

_BROAD = frozenset({"Exception", "BaseException"})


def _broad(handler: ast.ExceptHandler, ctx: Context) -> str | None:
    if handler.type is None:
        return "except:"
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        name = (ctx.qualname(t) or "").rsplit(".", 1)[-1]
        if name in _BROAD:
            return f"except {name}:"
    return None


def _only_nothing(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Pass | ast.Continue):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # `...` or a docstring-like string
        return False
    return True


@register(
    id="bare-except",
    title="Bare except catches SystemExit and KeyboardInterrupt",
    family="exceptions",
    rationale=(
        "A bare `except:` also catches SystemExit, KeyboardInterrupt and GeneratorExit, "
        "so Ctrl-C, a service manager's stop or a test runner's timeout cannot end the "
        "code cleanly while it runs."
    ),
    cwe=396,
    severity=Severity.LOW,
    message="`{code}` also catches `SystemExit`, `KeyboardInterrupt` and `GeneratorExit`, so "
    "the process cannot be stopped cleanly while this code runs.",
    recommendation="Catch `Exception` (or the specific exceptions expected) instead.",
    node_types=(ast.ExceptHandler,),
)
def check_bare_except(node: ast.ExceptHandler, ctx: Context) -> None:
    """An ``except:`` clause without an exception type whose body never re-raises."""
    if node.type is not None:
        return
    if any(isinstance(sub, ast.Raise) for stmt in node.body for sub in ast.walk(stmt)):
        return
    ctx.report(node)


@register(
    id="exception-swallowed",
    title="Every exception caught and ignored",
    family="exceptions",
    rationale=(
        "A handler that catches every exception and does nothing makes real failures "
        "(bugs, lost connections, failed assertions) vanish without a log line, so they "
        "surface later and far from their cause, or never."
    ),
    cwe=390,
    severity=Severity.MEDIUM,
    severity_test=Severity.LOW,
    message="`{code}` catches every exception and does nothing with it, so real failures "
    "(bugs, failed assertions, lost connections) vanish without a trace.",
    recommendation="Catch the specific exception you expect, and log or handle it.",
    bandit_ids=("B110", "B112"),
    node_types=(ast.ExceptHandler,),
)
def check_exception_swallowed(node: ast.ExceptHandler, ctx: Context) -> None:
    """``except Exception:`` / ``except BaseException:`` / ``except:`` whose body does nothing
    (only ``pass``, ``continue``, ``...`` or a string).
    """
    if _broad(node, ctx) is not None and _only_nothing(node.body):
        ctx.report(node)
