"""Waiting in tests: fixed sleeps for asynchronous work and polling loops without a bound."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import NESTED_SCOPES, call_name

_SLEEPS = frozenset(
    {"time.sleep", "eventlet.sleep", "greenthread.sleep", "eventlet.greenthread.sleep",
     "asyncio.sleep", "gevent.sleep"}
)  # fmt: skip


@register(
    id="sleep-synchronization",
    title="Fixed sleep used to wait for asynchronous work",
    family="control_flow",
    rationale=(
        "A fixed sleep guesses how long asynchronous work takes. On a slow CI node the "
        "guess is too short and the test fails at random; on a fast one it wastes time "
        "on every run."
    ),
    cwe=362,
    severity=Severity.LOW,
    message="`{code}` waits a fixed time for something to happen: on a slow CI node it is not "
    "long enough (a flaky test), on a fast one it wastes time.",
    recommendation="Wait for the condition itself with a bounded polling helper (e.g. "
    "`self._wait_for_state_change(...)`), or synchronise with an event.",
    node_types=(ast.Call,),
    call_names=frozenset({"sleep"}),
)
def check_sleep_synchronization(node: ast.Call, ctx: Context) -> None:
    """``time.sleep``, ``eventlet.sleep``, ``greenthread.sleep`` (and the other sleeps) in a
    test method with a positive constant or a computed duration, not inside a loop (a
    polling loop's sleep is how a bounded wait is written) -- except a ``for`` loop whose
    body does nothing but sleep. ``sleep(0)`` (a yield to other green threads), a
    ``time.sleep`` under a second outside loops (a pause for distinct timestamps) and
    patched sleeps are left alone.
    """
    if not ctx.is_test or not node.args or ctx.qualname(node.func) not in _SLEEPS:
        return
    arg = node.args[0]
    in_loop = any(isinstance(a, ast.While | ast.For | ast.AsyncFor) for a in ctx.ancestors)
    if isinstance(arg, ast.Constant):
        if not isinstance(arg.value, int | float) or isinstance(arg.value, bool):
            return
        if arg.value <= 0:
            return  # sleep(0): yields to other green threads, waits for nothing
        if arg.value < 1 and ctx.qualname(node.func) == "time.sleep" and not in_loop:
            return  # a short pause (distinct timestamps), not a wait for other work
    func = ctx.enclosing_function()
    if func is None or not func.name.startswith("test"):
        return
    for anc in ctx.ancestors:
        if isinstance(anc, ast.While | ast.For | ast.AsyncFor) and not _only_sleeps(anc):
            return
    if ctx.is_patched("time.sleep") or ctx.is_patched(ctx.qualname(node.func) or "sleep"):
        return
    ctx.report(node)


def _only_sleeps(loop: ast.While | ast.For | ast.AsyncFor) -> bool:
    """``for _ in range(5): time.sleep(0.1)``: the loop checks nothing, it only sleeps."""
    return all(
        isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
        and call_name(stmt.value) == "sleep"
        for stmt in loop.body
    ) and not isinstance(loop, ast.While)  # fmt: skip


# ------------------------------------------------------------------- unbounded-wait-loop

_BOUND_NAME = re.compile(
    r"time|deadline|timeout|retr|attempt|count|tries|max|limit|elapsed|until|expire|"
    r"remaining|left|budget|iteration|loop|^i$|^n$|^j$|^x$|interval|wait",
    re.IGNORECASE,
)

_CLOCKS = frozenset({"time", "monotonic", "perf_counter", "utcnow", "now", "is_older_than",
                     "delta_seconds", "is_newer_than"})  # fmt: skip


def _loop_nodes(loop: ast.While) -> list[ast.AST]:
    out: list[ast.AST] = []
    todo: list[ast.AST] = [loop.test, *loop.body, *loop.orelse]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, NESTED_SCOPES):
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
    scope="function",
    title="Polling loop without a retry limit or deadline",
    family="control_flow",
    rationale=(
        "A polling loop with no attempt limit or deadline spins forever when the "
        "awaited state never comes (a hung service, a lost event). The test or job then "
        "hangs until an outer timeout kills it, without saying what it waited for."
    ),
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
    """A ``while`` loop that sleeps and whose condition and comparisons mention no counter,
    deadline, clock or limit, and that contains no inner ``for`` loop.

    Left alone: a loop inside a block that bounds it (``with eventlet.Timeout(...)``,
    ``fixtures.Timeout``, ``self.assert_max_execution_time()``, a timeout decorator); a
    ``while True`` with no way out at all (no ``break``, ``return`` or ``raise``): a small
    daemon meant to run until its process is stopped, not a wait; loops in the ``run``
    of a thread, process or service class, and in entry-point scripts.
    """
    if _bounded_by_block(ctx) or _runs_forever(node, ctx):
        return
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
        elif isinstance(sub, ast.If) and _breaks_when_exhausted(sub):
            return  # reads a stream until it is exhausted: bounded by the data
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


#: a loop that reads a stream each round ends when the data does
_CONSUMING = frozenset({"read", "readline", "recv", "read1", "readinto"})


def _breaks_when_exhausted(node: ast.If) -> bool:
    """``if not data.read(65536): break``: the loop ends with its input."""
    reads = any(isinstance(c, ast.Call) and call_name(c) in _CONSUMING for c in ast.walk(node.test))
    return reads and any(isinstance(stmt, ast.Break | ast.Return) for stmt in node.body)


_BOUNDING = re.compile(r"timeout|deadline|max_execution_time|time_limit", re.IGNORECASE)


def _bounded_by_block(ctx: Context) -> bool:
    """A ``with`` block or decorator around the loop that stops it after a time limit."""
    for anc in ctx.ancestors:
        exprs: list[ast.expr] = []
        if isinstance(anc, ast.With | ast.AsyncWith):
            exprs = [item.context_expr for item in anc.items]
        elif isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            exprs = list(anc.decorator_list)
        for expr in exprs:
            target = expr.func if isinstance(expr, ast.Call) else expr
            name = ctx.qualname(target) or (call_name(expr) if isinstance(expr, ast.Call) else "")
            if name and _BOUNDING.search(name.rsplit(".", 1)[-1]):
                return True
    return False


def _exits(loop: ast.While) -> bool:
    """The loop has a way out at its own level: ``break``, ``return`` or ``raise`` (not
    counting nested functions, nor ``break`` of an inner loop)."""
    todo: list[tuple[ast.AST, bool]] = [(stmt, False) for stmt in [*loop.body, *loop.orelse]]
    while todo:
        node, inner_loop = todo.pop()
        if isinstance(node, NESTED_SCOPES):
            continue
        if isinstance(node, ast.Return | ast.Raise) or (
            isinstance(node, ast.Break) and not inner_loop
        ):
            return True
        if isinstance(node, ast.Call) and call_name(node) in ("exit", "_exit", "fail"):
            return True
        nested = inner_loop or isinstance(node, ast.While | ast.For | ast.AsyncFor)
        todo.extend((child, nested) for child in ast.iter_child_nodes(node))
    return False


def _runs_forever(loop: ast.While, ctx: Context) -> bool:
    test = loop.test
    if isinstance(test, ast.Constant) and test.value and not _exits(loop):
        return True  # a daemon's main loop: stopped with its process, not waiting
    func = ctx.enclosing_function()
    klass = ctx.enclosing_class()
    if func is not None and klass is not None and func.name in ("run", "serve_forever", "_run"):
        ancestors = list(ctx.ancestors)
        ref = ctx.project.class_ref(klass, ancestors[: ancestors.index(klass)])
        if ref is not None and ctx.project.fact(ref, "runs_forever"):
            return True
    return ctx.project.entry_point
