"""Temporary files: predictable names in shared directories, and files never removed."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._model import UNKNOWN_BASE, every_use_fact
from bot.analysis.rules._util import keyword, str_const
from bot.markdown import md_code

_FS_CALLS = frozenset(
    {
        "open", "io.open", "codecs.open", "os.open", "os.mkdir", "os.makedirs", "os.remove",
        "os.unlink", "os.rename", "os.replace", "os.chmod", "os.chown", "os.symlink",
        "os.link", "os.mkfifo", "os.mknod", "os.rmdir", "shutil.copy", "shutil.copyfile",
        "shutil.copy2", "shutil.move", "shutil.rmtree", "shutil.copytree",
    }
)  # fmt: skip

_PATH_WRITES = frozenset({"write_text", "write_bytes", "mkdir", "touch", "open", "symlink_to"})

_SHARED_TMP = ("/tmp/", "/var/tmp/", "/dev/shm/")  # noqa: S108 - the pattern to detect


def private_tmpdir(ctx: Context) -> bool | None:
    """Does every test class running this code get a fresh private temporary directory
    (``fixtures.NestedTempfile`` -- which ``oslotest.base.BaseTestCase`` uses -- or
    ``TMPDIR``/``tempfile.tempdir`` pointed at a new directory in set-up), removed after the
    test? ``tempfile``'s names then live in a directory no other user can write."""
    return every_use_fact(ctx, "private_tmpdir")


def _in_own_dir(node: ast.Call) -> bool:
    """``mktemp(dir=...)`` with a directory that is not a fixed shared one."""
    kw = keyword(node, "dir")
    return kw is not None and _shared_tmp(kw.value) is None


def _shared_tmp(node: ast.AST | None) -> str | None:
    value = str_const(node)
    if value is None:
        return None
    if value.startswith(_SHARED_TMP) or value in ("/tmp", "/var/tmp"):  # noqa: S108
        return value
    return None


@register(
    id="insecure-temp-file",
    title="Predictable temporary file name",
    family="state_leaks",
    rationale=(
        "A fixed or predictable path in a shared directory such as `/tmp` can be "
        "created first by another local user, as a file or a symlink, making the "
        "program write where the attacker chooses or read what the attacker planted."
    ),
    cwe=377,
    severity=Severity.MEDIUM,
    message="`{code}` {detail}; another local user can create that path first (or a symlink "
    "there) and make the code write where they choose.",
    recommendation="Use `tempfile.mkstemp()` / `tempfile.TemporaryDirectory()` (in a test, "
    "`self.useFixture(fixtures.TempDir())`) and build paths inside it.",
    bandit_ids=("B108", "B306"),
    node_types=(ast.Call,),
    call_names=frozenset({"mktemp", *(n.rsplit(".", 1)[-1] for n in _FS_CALLS), *_PATH_WRITES}),
)
def check_insecure_temp_file(node: ast.Call, ctx: Context) -> None:
    """``tempfile.mktemp()``, and file-system calls (``open``, ``os.*``, ``shutil.*``,
    ``Path(...).write_text``...) on a fixed path in ``/tmp``, ``/var/tmp`` or ``/dev/shm``; a
    call mock-patched around it is left alone.

    ``mktemp()`` in a test whose classes give every test a private temporary directory
    (through any base, across files: ``oslotest.base.BaseTestCase`` does) is no race; when
    a base is unknown it is low. A fixed ``/tmp`` path is shared whatever the base does.
    """
    dotted = ctx.qualname(node.func)
    if dotted == "tempfile.mktemp":
        if ctx.is_patched(dotted) or _in_own_dir(node):
            return
        private = ctx.is_test and private_tmpdir(ctx)
        if private:
            return  # the name is inside this test's own temporary directory
        detail = "creates a name with `tempfile.mktemp()` without creating the file"
        if private is None and ctx.is_test:
            detail += UNKNOWN_BASE.format(does="gives each test a private temporary directory")
        ctx.report(node, detail=detail, severity=Severity.LOW if private is None and ctx.is_test
                   else None)  # fmt: skip
        return
    if dotted in _FS_CALLS:
        args = [*node.args[:2], *(kw.value for kw in node.keywords if kw.arg in
                                   ("file", "path", "src", "dst", "name"))]  # fmt: skip
        path = next((p for p in map(_shared_tmp, args) if p), None)
        if path is not None and not ctx.is_patched(dotted):
            ctx.report(node, detail=f"uses the fixed shared path {md_code(path)}")
        return
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _PATH_WRITES:
        recv = func.value
        if isinstance(recv, ast.Call) and (ctx.qualname(recv.func) or "").endswith("Path"):
            path = _shared_tmp(recv.args[0]) if recv.args else None
            if path is not None:
                ctx.report(node, detail=f"writes to the fixed shared path {md_code(path)}")


# ---------------------------------------------------------------------- temp-not-cleaned

_TEMP_CALLS = frozenset({"tempfile.mkdtemp", "tempfile.mkstemp", "tempfile.NamedTemporaryFile"})

_REMOVERS = frozenset(
    {"rmtree", "unlink", "remove", "removedirs", "rmdir", "addCleanup", "addClassCleanup",
     "useFixture", "cleanup", "cleanUp", "delete_if_exists", "enter_context"}
)  # fmt: skip


@register(
    id="temp-not-cleaned",
    scope="class",
    title="Temporary file or directory never removed",
    family="state_leaks",
    rationale=(
        "Temporary files and directories that nothing removes accumulate on every test "
        "run until the disk or inode table fills, and may leave test data (keys, "
        "images) readable after the run."
    ),
    cwe=459,
    severity=Severity.LOW,
    message="`{code}` creates a temporary {what} that nothing removes, so every run leaves it "
    "behind.",
    recommendation="Use `self.useFixture(fixtures.TempDir())` / `tempfile.TemporaryDirectory()`, "
    "or register `self.addCleanup(shutil.rmtree, path)` / `os.unlink` right after creating it.",
    node_types=(ast.Call,),
    call_names=frozenset({"mkdtemp", "mkstemp", "NamedTemporaryFile"}),
    files="tests",
)
def check_temp_not_cleaned(node: ast.Call, ctx: Context) -> None:
    """In tests: ``tempfile.mkdtemp()``, ``mkstemp()`` and ``NamedTemporaryFile(delete=False)``
    when neither the function nor ``tearDown``/``cleanUp`` removes anything or registers a
    cleanup, the path is not returned to a caller, it is not made in a given ``dir=``, and
    the test classes running the code do not give each test a private temporary directory
    that is removed afterwards (``fixtures.NestedTempfile``, through any base).
    """
    if not ctx.is_test:
        return
    dotted = ctx.qualname(node.func)
    if dotted not in _TEMP_CALLS or ctx.is_patched(dotted):
        return
    if dotted.endswith("NamedTemporaryFile"):
        kw = keyword(node, "delete")
        if kw is None or not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
            return
    if isinstance(ctx.parent, ast.Return):
        return  # a helper hands the path to its caller
    func = ctx.enclosing_function()
    if func is not None and ctx.scope_names(func) & _REMOVERS:
        return
    for method in ("tearDown", "tearDownClass", "cleanUp", "_cleanup"):
        m = ctx.class_method(method)
        if m is not None and ctx.scope_names(m) & _REMOVERS:
            return
    if _in_own_dir(node) or private_tmpdir(ctx):
        return  # inside a directory that is removed after the test
    what = "directory" if dotted.endswith("mkdtemp") else "file"
    ctx.report(node, what=what)
