"""Control flow (RULES.md family, CWE-691)."""

from __future__ import annotations

import ast
import re

from bot.analysis.engine import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import call_name, is_assertion

_SLEEPS = frozenset(
    {"time.sleep", "eventlet.sleep", "greenthread.sleep", "eventlet.greenthread.sleep",
     "asyncio.sleep", "gevent.sleep"}
)  # fmt: skip
_BOUND_NAME = re.compile(
    r"time|deadline|timeout|retr|attempt|count|tries|max|limit|elapsed|until|expire|"
    r"remaining|left|budget|iteration|loop|^i$|^n$|^j$|^x$|interval|wait",
    re.IGNORECASE,
)
_CLOCKS = frozenset({"time", "monotonic", "perf_counter", "utcnow", "now", "is_older_than",
                     "delta_seconds", "is_newer_than"})  # fmt: skip
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _loop_nodes(loop: ast.While) -> list[ast.AST]:
    out: list[ast.AST] = []
    todo: list[ast.AST] = [loop.test, *loop.body, *loop.orelse]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, _NESTED):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _operand_bounds(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and _BOUND_NAME.search(sub.id):
            return True
        if isinstance(sub, ast.Attribute) and _BOUND_NAME.search(sub.attr):
            return True
        if isinstance(sub, ast.Call) and call_name(sub) in _CLOCKS:
            return True
    return False


@register(
    id="unbounded-wait-loop",
    title="Polling loop without a retry limit or deadline",
    cwe=835,
    severity=Severity.MEDIUM,
    message="`{code}` sleeps and polls with no retry count or deadline: if the awaited state "
    "never comes (a hung service, a lost event), the loop spins forever and the job hangs.",
    recommendation="Bound it: count attempts or compare against a deadline and call "
    "`self.fail(...)`/raise after the limit (or use a helper with a timeout, e.g. "
    "`oslo_service.loopingcall` with `timeout=`, `fixtures.Timeout`).",
    node_types=(ast.While,),
)
def check_unbounded_wait_loop(node: ast.While, ctx: Context) -> None:
    nodes = _loop_nodes(node)
    sleeps = False
    counters: set[str] = set()
    compares: list[ast.Compare] = []
    for sub in nodes:
        if isinstance(sub, ast.Call):
            if ctx.qualname(sub.func) in _SLEEPS:
                sleeps = True
        elif isinstance(sub, ast.Compare):
            compares.append(sub)
        elif isinstance(sub, ast.AugAssign) and isinstance(sub.target, ast.Name | ast.Attribute):
            counters.add(ctx.segment(sub.target))
        elif isinstance(sub, ast.For | ast.AsyncFor):
            return  # an inner bounded iteration drives the waiting
    if not sleeps:
        return
    if isinstance(node.test, ast.Compare | ast.BoolOp | ast.UnaryOp) and _operand_bounds(node.test):
        return
    for cmp in compares:
        if _operand_bounds(cmp):
            return
        for side in (cmp.left, *cmp.comparators):
            if ctx.segment(side) in counters:
                return
    ctx.report(node)


# ------------------------------------------------------------------- return-in-finally


@register(
    id="return-in-finally",
    title="return/break/continue inside finally",
    cwe=584,
    severity=Severity.MEDIUM,
    message="`{code}` leaves a `finally` block, which silently discards any exception in "
    "flight (including a failed assertion).",
    recommendation="Move the `{kind}` after the `try` statement, or re-raise explicitly.",
    node_types=(ast.Return, ast.Break, ast.Continue),
)
def check_return_in_finally(node: ast.stmt, ctx: Context) -> None:
    ancestors = ctx.ancestors
    loop_ok = not isinstance(node, ast.Return)
    for i in range(len(ancestors) - 1, -1, -1):
        anc = ancestors[i]
        if isinstance(anc, _NESTED):
            return
        if loop_ok and isinstance(anc, ast.For | ast.AsyncFor | ast.While):
            return  # break/continue of a loop inside the finally block
        if isinstance(anc, ast.Try | getattr(ast, "TryStar", ast.Try)) and anc.finalbody:
            child = ancestors[i + 1] if i + 1 < len(ancestors) else node
            if any(child is s for s in anc.finalbody):
                ctx.report(node, kind=type(node).__name__.lower())
                return


# -------------------------------------------------------------- unreachable-assertion

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
    cwe=561,
    severity=Severity.MEDIUM,
    message="`{code}` comes after `{after}` in the same block, so it never runs and checks "
    "nothing{more}.",
    recommendation="Move the assertion before `{after}`, or delete it if it is obsolete.",
    node_types=(ast.FunctionDef, ast.AsyncFunctionDef, ast.If, ast.For, ast.AsyncFor, ast.While,
                ast.With, ast.AsyncWith, ast.Try, ast.ExceptHandler),
)  # fmt: skip
def check_unreachable_assertion(node: ast.AST, ctx: Context) -> None:
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


# -------------------------------------------------------------- sleep-synchronization


@register(
    id="sleep-synchronization",
    title="Fixed sleep used to wait for asynchronous work",
    cwe=362,
    severity=Severity.LOW,
    message="`{code}` waits a fixed time for something to happen: on a slow CI node it is not "
    "long enough (a flaky test), on a fast one it wastes time.",
    recommendation="Wait for the condition itself with a bounded polling helper (e.g. "
    "`self._wait_for_state_change(...)`), or synchronise with an event.",
    node_types=(ast.Call,),
    call_names=frozenset({"sleep"}),
)
def check_sleep_sync(node: ast.Call, ctx: Context) -> None:
    if not ctx.is_test or ctx.qualname(node.func) != "time.sleep" or not node.args:
        return
    arg = node.args[0]
    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, int | float)):
        return
    if isinstance(arg.value, bool) or arg.value < 1:
        return
    func = ctx.enclosing_function()
    if func is None or not func.name.startswith("test"):
        return
    for anc in ctx.ancestors:
        if isinstance(anc, ast.While | ast.For | ast.AsyncFor):
            return
    if ctx.is_patched("time.sleep"):
        return
    ctx.report(node)


# --------------------------------------------------------------- assert-for-validation


@register(
    id="assert-for-validation",
    title="assert used for a run-time check",
    cwe=617,
    severity=Severity.LOW,
    message="`{code}` is removed when Python runs with `-O`, so this check disappears in an "
    "optimised deployment.",
    recommendation="Raise an explicit exception (`if not cond: raise ValueError(...)`).",
    bandit_ids=("B101",),
    node_types=(ast.Assert,),
)
def check_assert_for_validation(node: ast.Assert, ctx: Context) -> None:
    if ctx.is_test:
        return
    for anc in ctx.ancestors:
        if isinstance(anc, ast.If) and "TYPE_CHECKING" in ctx.segment(anc.test):
            return
    ctx.report(node)
