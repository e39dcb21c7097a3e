"""debug-mode-enabled: a web framework's debug mode switched on in code."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import keyword


@register(
    id="debug-mode-enabled",
    title="Web application debug mode enabled",
    family="access_control",
    rationale=(
        "Framework debug modes show stack traces, configuration and source to anyone "
        "who triggers an error, and Werkzeug's debugger offers an interactive Python "
        "console in the browser: remote code execution for whoever reaches the page."
    ),
    cwe=489,
    severity=Severity.MEDIUM,
    message="`{code}` turns on the framework's debug mode, which shows stack traces and "
    "(Werkzeug) an interactive console that runs arbitrary code for anyone who reaches it.",
    recommendation="Take debug from configuration, off by default; never enable it in code "
    "that ships.",
    bandit_ids=("B201",),
    node_types=(ast.Call, ast.Assign),
    files="code",
)
def check_debug_mode_enabled(node: ast.AST, ctx: Context) -> None:
    """Outside tests: ``app.run(debug=True)`` / ``run_simple(use_debugger=True)``, ``app.debug =
    True`` and ``app.config['DEBUG'] = True``.
    """
    if ctx.is_test:
        return
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("run", "run_simple"):
            kw = keyword(node, "debug") or keyword(node, "use_debugger")
            if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                ctx.report(node)
        return
    assert isinstance(node, ast.Assign)
    if not (isinstance(node.value, ast.Constant) and node.value.value is True):
        return
    for target in node.targets:
        if isinstance(target, ast.Attribute) and target.attr == "debug":  # noqa: SIM102
            if isinstance(target.value, ast.Name) and target.value.id in ("app", "application"):
                ctx.report(node)
                return
        if isinstance(target, ast.Subscript) and target.slice.__class__ is ast.Constant:
            key = getattr(target.slice, "value", None)
            if key == "DEBUG" and ctx.segment(target.value).endswith("config"):
                ctx.report(node)
                return
