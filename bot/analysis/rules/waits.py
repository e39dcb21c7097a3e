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
    """``time.sleep(n)`` with a constant of at least one second, directly in a test method (not in
    a loop, not patched).
    """
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
    """
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
