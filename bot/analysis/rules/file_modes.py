"""permissive-file-mode: files and directories made writable by every local user."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import binop_operands

_MODE_POSITION = {
    "os.chmod": 1, "os.fchmod": 1, "os.lchmod": 1, "os.open": 2, "os.mkdir": 1,
    "os.makedirs": 1, "os.mkfifo": 1, "os.mknod": 1,
}  # fmt: skip

_STAT_OTHER_WRITE = frozenset({"S_IWOTH", "S_IRWXO"})


def _other_writable(node: ast.AST, ctx: Context) -> bool:
    return any(_writable_bit(n, ctx) for n in binop_operands(node, (ast.BitOr, ast.Add)))


def _writable_bit(node: ast.AST, ctx: Context) -> bool:
    if isinstance(node, ast.Constant):
        v = node.value
        return isinstance(v, int) and not isinstance(v, bool) and bool(v & 0o002) and v < 0o10000
    if isinstance(node, ast.Attribute | ast.Name):
        return (ctx.qualname(node) or "").rsplit(".", 1)[-1] in _STAT_OTHER_WRITE
    return False


@register(
    id="permissive-file-mode",
    title="File or directory writable by every user",
    family="access_control",
    rationale=(
        "A world-writable file or directory lets every local user change its contents, "
        "replace it, or plant files and symlinks in it, which turns a configuration "
        "file, a script or a socket into a way to take over the program that uses it."
    ),
    cwe=732,
    severity=Severity.MEDIUM,
    message="`{code}` sets mode `{mode}`, which lets every local user write to it (replace "
    "its contents, plant files or links).",
    recommendation="Use the narrowest mode that works: `0o600`/`0o644` for files, "
    "`0o700`/`0o755` for directories.",
    bandit_ids=("B103",),
    node_types=(ast.Call,),
    call_names=frozenset({"chmod", "fchmod", "lchmod", "open", "mkdir", "makedirs", "mkfifo",
                          "mknod"}),
)  # fmt: skip
def check_permissive_file_mode(node: ast.Call, ctx: Context) -> None:
    """``os.chmod``, ``os.open``, ``os.mkdir``, ``os.makedirs``, ``Path(...).chmod``/``mkdir`` and
    similar with a mode that lets others write (``0o777``, ``0o666``, ``stat.S_IWOTH``...).
    """
    dotted = ctx.qualname(node.func) or ""
    pos = _MODE_POSITION.get(dotted)
    mode: ast.AST | None = None
    if pos is not None:
        mode = node.args[pos] if len(node.args) > pos else None
    elif isinstance(node.func, ast.Attribute) and node.func.attr in ("chmod", "mkdir"):
        if dotted.startswith(("os.", "shutil.")) or not isinstance(node.func.value, ast.Call):
            return  # only Path(...).chmod(mode) / Path(...).mkdir(mode)
        if not (ctx.qualname(node.func.value.func) or "").endswith("Path"):
            return
        mode = node.args[0] if node.args else None
    else:
        return
    for kw in node.keywords:
        if kw.arg == "mode":
            mode = kw.value
    if mode is None or not _other_writable(mode, ctx):
        return
    if dotted and ctx.is_patched(dotted):
        return
    ctx.report(node, mode=ctx.segment(mode, 40))
