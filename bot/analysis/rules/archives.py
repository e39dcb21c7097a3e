"""archive-path-traversal: tar and zip archives extracted without checking member paths."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import keyword

_ARCHIVES = "archive-path-traversal:names"

_OPENERS = {"tarfile.open": "tar", "tarfile.TarFile": "tar", "tarfile.TarFile.open": "tar",
            "zipfile.ZipFile": "zip"}  # fmt: skip


def _archive_kind(node: ast.AST, ctx: Context) -> str | None:
    if isinstance(node, ast.Call):
        return _OPENERS.get(ctx.qualname(node.func) or "")
    if isinstance(node, ast.Name | ast.Attribute):
        return ctx.state.get(_ARCHIVES, {}).get(ctx.segment(node))
    return None


@register(
    id="archive-path-traversal",
    title="Archive extracted without checking member paths",
    family="state_leaks",
    rationale=(
        "Archive member names are chosen by whoever built the archive. Extracting "
        "without checking them lets a crafted tarball or zip (a downloaded image, an "
        "uploaded backup) overwrite any file the process can write, such as cron jobs, "
        "SSH keys or the code itself; links inside tar files reach even further."
    ),
    cwe=22,
    severity=Severity.MEDIUM,
    message="`{code}` extracts {kind} archive without checking its members: a member named "
    "`../../etc/cron.d/x` or an absolute path (or a link) writes outside the target directory.",
    recommendation="{fix}",
    bandit_ids=("B202",),
    node_types=(ast.Call, ast.Assign, ast.withitem),
    call_names=frozenset({"extractall", "extract"}),
)
def check_archive_path_traversal(node: ast.AST, ctx: Context) -> None:
    """``extractall()``/``extract()`` on a ``tarfile``/``zipfile`` archive without a check of its
    members.

    A tar extraction passes when it gives ``filter=`` or ``members=``; a zip extraction when the
    function reads ``namelist()``/``infolist()`` first. Archives are recognised when opened in
    the call or bound to a name earlier in the file.
    """
    if isinstance(node, ast.Assign | ast.withitem):
        value = node.value if isinstance(node, ast.Assign) else node.context_expr
        targets = node.targets if isinstance(node, ast.Assign) else [node.optional_vars]
        kind = _archive_kind(value, ctx) if isinstance(value, ast.Call) else None
        if kind is not None:
            for target in targets:
                if isinstance(target, ast.Name | ast.Attribute):
                    ctx.state.setdefault(_ARCHIVES, {})[ctx.segment(target)] = kind
        return
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in ("extractall", "extract"):
        return
    kind = _archive_kind(func.value, ctx)
    if kind is None:
        return
    if kind == "tar":
        if keyword(node, "filter") is not None or keyword(node, "members") is not None:
            return
        fix = (
            "Pass `filter='data'` (Python 3.12+, backported to 3.8.17+), or check every "
            "member's name and type before extracting."
        )
    else:
        if func.attr == "extract":
            return
        scope = ctx.enclosing_function()
        if scope is not None and ctx.scope_names(scope) & {"namelist", "infolist"}:
            return
        fix = "Check each name from `namelist()` (no absolute paths, no `..`) before extracting."
    dotted = ctx.qualname(func)
    if dotted and ctx.is_patched(dotted):
        return
    ctx.report(node, kind="a tar" if kind == "tar" else "a zip", fix=fix)
