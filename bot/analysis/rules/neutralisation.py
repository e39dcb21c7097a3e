"""Neutralisation (RULES.md family, CWE-707)."""

from __future__ import annotations

import ast

from bot.analysis.engine import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import is_literal_str, keyword

SHELL_ALWAYS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "commands.getoutput",
        "commands.getstatusoutput",
    }
)
SHELL_IF_ASKED = frozenset(
    {
        "subprocess.call",
        "subprocess.run",
        "subprocess.Popen",
        "subprocess.check_call",
        "subprocess.check_output",
    }
)
_EXECUTE_SUFFIXES = ("processutils.execute", "processutils.trycmd", "utils.execute")
_COMMAND_KEYWORDS = ("args", "cmd", "command")
_LITERALS = "shell-injection:literals"


def _is_execute(name: str) -> bool:
    return any(name == s or name.endswith("." + s) for s in _EXECUTE_SUFFIXES)


def _literal_names(ctx: Context) -> dict[str, bool]:
    names: dict[str, bool] = ctx.state.setdefault(_LITERALS, {})
    return names


def _is_literal(node: ast.AST, ctx: Context) -> bool:
    if is_literal_str(node):
        return True
    if isinstance(node, ast.List | ast.Tuple):
        return all(_is_literal(e, ctx) for e in node.elts)
    if isinstance(node, ast.Name):
        return _literal_names(ctx).get(node.id, False)
    return False


def _how(node: ast.AST) -> str:
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp):
        return "`%` formatting" if isinstance(node.op, ast.Mod) else "concatenation"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return "`.format()`"
    if isinstance(node, ast.List | ast.Tuple):
        return "a list with non-literal parts"
    return "a value computed at run time"


def _shell_true(node: ast.Call) -> bool:
    kw = keyword(node, "shell")
    return (
        kw is not None
        and isinstance(kw.value, ast.Constant)
        and bool(kw.value.value)
        and kw.value.value is not Ellipsis
    )


@register(
    id="shell-injection",
    title="Shell command built from non-literal parts",
    cwe=78,
    severity=Severity.HIGH,
    severity_test=Severity.MEDIUM,
    message="`{code}` {detail}",
    recommendation="{fix}",
    bandit_ids=("B602", "B604", "B605"),
    node_types=(ast.Call, ast.Assign),
)
def check_shell_injection(node: ast.AST, ctx: Context) -> None:
    if isinstance(node, ast.Assign):
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            names = _literal_names(ctx)
            literal = _is_literal(node.value, ctx)
            names[target] = literal and names.get(target, True)
        return
    assert isinstance(node, ast.Call)
    qualname = ctx.qualname(node.func)
    if qualname is None:
        return
    name: str = qualname
    if name in SHELL_ALWAYS:
        always = True
    elif name in SHELL_IF_ASKED or _is_execute(name):
        if not _shell_true(node):
            return
        always = False
    else:
        return
    parts: list[ast.expr]
    if _is_execute(name):
        parts = list(node.args)
    elif node.args:
        parts = [node.args[0]]
    else:
        kws = [kw.value for kw in node.keywords if kw.arg in _COMMAND_KEYWORDS]
        parts = kws[:1]
    if not parts:
        return
    short = name.rsplit(".", 1)[-1] if not name.startswith(("os.", "subprocess.")) else name
    via = f"`{short}` always runs its command through a shell" if always else "`shell=True`"
    dynamic = [p for p in parts if isinstance(p, ast.Starred) or not _is_literal(p, ctx)]
    if not dynamic:
        ctx.report(
            node,
            severity=Severity.LOW,
            detail=(
                f"runs a fixed command through the shell ({via}); nothing can be injected "
                "today, but the shell adds quoting pitfalls and nothing else."
            ),
            fix="Pass the command as an argument list without a shell: "
            "`subprocess.run(['cmd', 'arg'], check=True)`.",
        )
        return
    part = dynamic[0]
    ctx.report(
        node,
        detail=(
            f"runs a shell command built from {_how(part)} ({via}): if "
            f"`{ctx.segment(part, 60)}` ever holds shell metacharacters (`;`, `$(...)`, "
            "spaces, quotes) they run as commands."
        ),
        fix="Pass an argument list without a shell (`subprocess.run(['cmd', arg], check=True)` "
        "or `processutils.execute('cmd', arg)`), or quote every dynamic part with "
        "`shlex.quote()`.",
    )
