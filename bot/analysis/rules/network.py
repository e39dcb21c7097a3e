"""Network calls and servers: binding every interface, HTTP requests without a timeout."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import call_name, keyword, str_const

_ALL_INTERFACES = frozenset({"0.0.0.0", "", "::", "[::]"})  # noqa: S104 - the pattern to detect

_BIND_CALLS = frozenset({"bind", "listen", "create_server", "HTTPServer", "ThreadingHTTPServer",
                         "TCPServer", "UDPServer", "ThreadingTCPServer", "make_server",
                         "WSGIServer", "StreamServer"})  # fmt: skip

_HOST_KW = ("host", "bind_host", "listen_host", "address", "bind_address")


def _all_interfaces_host(node: ast.Call) -> str | None:
    name = call_name(node)
    if name in _BIND_CALLS and node.args:
        first = node.args[0]
        if isinstance(first, ast.Tuple) and first.elts:
            host = str_const(first.elts[0])
            if host in _ALL_INTERFACES:
                return host or "''"
        if name in ("make_server", "create_server"):
            host = str_const(first)
            if host in _ALL_INTERFACES:
                return host or "''"
    for kw in node.keywords:
        if kw.arg in _HOST_KW:
            host = str_const(kw.value)
            if host in _ALL_INTERFACES and (host or name in _BIND_CALLS):
                return host or "''"
    return None


@register(
    id="bind-all-interfaces",
    title="Server bound to all network interfaces",
    family="state_leaks",
    rationale=(
        "A server bound to `0.0.0.0` or `::` accepts connections from every network the "
        "machine is on, not only from the local host. A test server or debug endpoint "
        "meant for local use becomes reachable by anyone who can route to the machine."
    ),
    cwe=1327,
    severity=Severity.MEDIUM,
    severity_test=Severity.LOW,
    message="`{code}` listens on `{host}`, i.e. on every network interface, so anything that "
    "can reach the machine can reach the service.",
    recommendation="Bind to `127.0.0.1` (tests) or to a configured address.",
    bandit_ids=("B104",),
    node_types=(ast.Call,),
    call_names=frozenset({*_BIND_CALLS, "run", "Server", "serve", "start_server"}),
)
def check_bind_all_interfaces(node: ast.Call, ctx: Context) -> None:
    """A server or socket bound to ``0.0.0.0``, ``::`` or ``''``: ``bind(('0.0.0.0', port))``,
    ``HTTPServer(('', port), ...)``, ``make_server('0.0.0.0', ...)``, or a
    ``host=``/``bind_host=``-style keyword with such a value.
    """
    host = _all_interfaces_host(node)
    if host is None:
        return
    dotted = ctx.qualname(node.func)
    if dotted and ctx.is_patched(dotted):
        return
    ctx.report(node, host=host)


# --------------------------------------------------------------- request-without-timeout

_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})

_SESSIONS = "request-without-timeout:sessions"


@register(
    id="request-without-timeout",
    title="HTTP request without a timeout",
    family="state_leaks",
    rationale=(
        "HTTP libraries such as requests wait forever by default. One unresponsive "
        "server or dropped connection then hangs the calling thread or worker "
        "indefinitely, and enough of them take the service down."
    ),
    cwe=1088,
    severity=Severity.LOW,
    message="`{code}` has no `timeout=`, so an unresponsive server blocks this call forever.",
    recommendation="Pass `timeout=` (seconds, or a `(connect, read)` tuple) from configuration.",
    bandit_ids=("B113",),
    node_types=(ast.Call, ast.Assign),
    files="code",
)
def check_request_without_timeout(node: ast.AST, ctx: Context) -> None:
    """Outside tests: ``requests.get/post/...`` and calls on a ``requests.Session()`` bound
    earlier in the file, without ``timeout=`` (and without ``**kwargs`` that may carry it).
    """
    if ctx.is_test:
        return
    if isinstance(node, ast.Assign):
        if isinstance(node.value, ast.Call) and ctx.qualname(node.value.func) in (
            "requests.Session", "requests.session", "requests.sessions.Session"
        ):  # fmt: skip
            for target in node.targets:
                if isinstance(target, ast.Name | ast.Attribute):
                    ctx.state.setdefault(_SESSIONS, set()).add(ctx.segment(target))
        return
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in _HTTP_VERBS:
        return
    if keyword(node, "timeout") is not None or any(kw.arg is None for kw in node.keywords):
        return
    dotted = ctx.qualname(func) or ""
    if (dotted.startswith("requests.") and dotted.count(".") == 1) or ctx.segment(
        func.value
    ) in ctx.state.get(_SESSIONS, ()):
        ctx.report(node)
