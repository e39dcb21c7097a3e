"""tls-verification-disabled: TLS certificate or host checks turned off."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register

_HTTP_CALLS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "Session",
     "session", "Client", "AsyncClient", "urlopen", "stream", "send", "HTTPSConnection",
     "HTTPSConnectionPool", "PoolManager", "Request", "ClientSession", "TCPConnector"}
)  # fmt: skip

_LOCAL_TARGET = re.compile(
    r"localhost|127\.0\.0\.1|\[::1\]|::1|fake|example|test|mock|stub|\.local\b|"
    r"^/|^[a-z_]+$",
    re.IGNORECASE,
)


def _local_target(node: ast.Call) -> bool:
    url = node.args[0] if node.args else None
    for kw in node.keywords:
        if kw.arg in ("url", "endpoint", "host", "base_url"):
            url = kw.value
    value = url.value if isinstance(url, ast.Constant) else None
    if isinstance(url, ast.JoinedStr) and url.values and isinstance(url.values[0], ast.Constant):
        value = url.values[0].value
    return isinstance(value, str) and bool(_LOCAL_TARGET.search(value))


def _tls_report(ctx: Context, node: ast.AST, what: str, call: ast.Call | None = None) -> None:
    if ctx.is_test and call is not None and _local_target(call):
        return
    ctx.report(node, what=what)


@register(
    id="tls-verification-disabled",
    title="TLS certificate verification disabled",
    family="access_control",
    rationale=(
        "Without certificate and host-name checks, TLS no longer proves who is on the "
        "other end. Anyone on the network path can impersonate the server and read or "
        "change the traffic, credentials included."
    ),
    cwe=295,
    severity=Severity.HIGH,
    severity_test=Severity.LOW,
    message="`{code}` {what}, so anyone on the network path can impersonate the server and "
    "read or change the traffic (credentials included).",
    recommendation="Keep verification on; point `verify=`/`cafile=` at the CA bundle that "
    "signs the server's certificate instead.",
    bandit_ids=("B501", "B323", "B507"),
    node_types=(ast.Call, ast.Assign, ast.Attribute),
)
def check_tls_verification_disabled(node: ast.AST, ctx: Context) -> None:
    """``verify=False`` (and ``verify_ssl``/``ssl_verify``) on HTTP clients, ``ssl.CERT_NONE``,
    ``ssl._create_unverified_context()``, ``check_hostname = False``, hiding urllib3's
    ``InsecureRequestWarning``, and paramiko's ``AutoAddPolicy``/``WarningPolicy``.

    In test code a call to a local or fake address is left alone.
    """
    if isinstance(node, ast.Attribute):
        if node.attr != "CERT_NONE" or ctx.qualname(node) != "ssl.CERT_NONE":
            return
        if isinstance(ctx.parent, ast.Compare):
            return  # reading the mode, not setting it
        _tls_report(ctx, node, "turns certificate checking off (`ssl.CERT_NONE`)")
        return
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "check_hostname"
                and isinstance(node.value, ast.Constant)
                and node.value.value is False
            ):
                _tls_report(ctx, node, "turns host-name checking off")
                return
        return
    assert isinstance(node, ast.Call)
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    dotted = ctx.qualname(func) or ""
    if dotted == "ssl._create_unverified_context":
        _tls_report(ctx, node, "creates an SSL context that verifies nothing")
        return
    if name == "disable_warnings" and any(
        "InsecureRequestWarning" in ctx.segment(a) for a in node.args
    ):
        _tls_report(ctx, node, "hides the warning urllib3 gives for unverified HTTPS requests")
        return
    if name == "set_missing_host_key_policy" and node.args:
        policy = ctx.qualname(node.args[0].func if isinstance(node.args[0], ast.Call)
                              else node.args[0]) or ""  # fmt: skip
        if policy.endswith(("AutoAddPolicy", "WarningPolicy")):
            _tls_report(ctx, node, "accepts any SSH host key")
        return
    if name in _HTTP_CALLS or dotted.startswith(("requests.", "httpx.", "urllib3.")):
        for kw in node.keywords:
            if (
                kw.arg in ("verify", "verify_ssl", "ssl_verify")
                and isinstance(kw.value, ast.Constant)
                and kw.value.value is False
            ):
                _tls_report(ctx, node, f"passes `{kw.arg}=False`", node)
                return
            if kw.arg == "cert_reqs" and "CERT_NONE" in ctx.segment(kw.value):
                return  # the ssl.CERT_NONE attribute is reported itself
