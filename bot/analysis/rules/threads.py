"""thread-not-joined: threads and green threads that outlive the test that started them."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register

_SPAWNERS = frozenset(
    {"threading.Thread", "threading.Timer", "eventlet.spawn", "eventlet.spawn_n",
     "eventlet.spawn_after", "eventlet.greenthread.spawn", "eventlet.greenthread.spawn_n",
     "eventlet.greenthread.spawn_after", "greenthread.spawn", "greenthread.spawn_n"}
)  # fmt: skip

_JOINERS = frozenset(
    {"join", "wait", "kill", "cancel", "addCleanup", "useFixture", "stop", "waitall",
     "link", "shutdown"}
)  # fmt: skip


@register(
    id="thread-not-joined",
    scope="function",
    title="Thread started by a test and never joined",
    family="state_leaks",
    rationale=(
        "A thread or green thread that the test does not join or kill can outlive the "
        "test and act during the next one, changing shared state or failing there, "
        "which makes failures depend on test order and timing."
    ),
    cwe=404,
    severity=Severity.LOW,
    message="`{code}` starts a thread that the test never joins, waits for or kills, so it can "
    "outlive the test and act on the next one.",
    recommendation="Join or kill it before the test ends: `self.addCleanup(thread.join)` (or "
    "`gt.kill`), or run the work synchronously in the test.",
    node_types=(ast.Call,),
    call_names=frozenset({"Thread", "Timer", "spawn", "spawn_n", "spawn_after"}),
    files="tests",
)
def check_thread_not_joined(node: ast.Call, ctx: Context) -> None:
    """In tests: ``threading.Thread``/``Timer`` (when started) and
    ``eventlet.spawn*``/``greenthread.spawn*`` in a function that never joins, waits for,
    kills, cancels or registers a cleanup for them.
    """
    if not ctx.is_test:
        return
    dotted = ctx.qualname(node.func)
    if dotted not in _SPAWNERS or ctx.is_patched(dotted):
        return
    func = ctx.enclosing_function()
    if func is None:
        return
    names = ctx.scope_names(func)
    if names & _JOINERS:
        return
    if dotted.startswith("threading.") and "start" not in names:
        return
    if isinstance(ctx.parent, ast.Return):
        return
    ctx.report(node)
