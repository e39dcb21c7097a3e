"""Injection: shell commands, SQL statements and ``eval``/``exec`` input built at run time."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import is_literal_str, keyword
from bot.markdown import md_code

_EVALS = frozenset({"eval", "exec", "compile"})

_OUTSIDE_SOURCES = frozenset({"read", "recv", "recvfrom", "environ", "getenv", "urlopen",
                              "readline", "readlines", "read_text", "input", "content",
                              "text", "json"})  # fmt: skip


def _from_outside(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in _OUTSIDE_SOURCES:
            return True
        if isinstance(sub, ast.Name) and sub.id in ("input", "open"):
            return True
    return False


@register(
    id="code-injection",
    title="eval/exec on non-literal input",
    family="neutralisation",
    rationale=(
        "`eval`, `exec` and `compile` run their argument as Python. If any part of it "
        "comes from outside (a file, a request, the environment), whoever controls that "
        "data runs arbitrary code with the process's privileges."
    ),
    cwe=95,
    severity=Severity.MEDIUM,
    message="`{code}` runs `{func}` on a value computed at run time; whoever controls it "
    "runs arbitrary Python in this process.",
    recommendation="Parse data with `ast.literal_eval`, `json.loads` or an explicit dispatch "
    "table instead of evaluating code.",
    bandit_ids=("B307", "B102"),
    node_types=(ast.Call,),
    call_names=_EVALS,
)
def check_code_injection(node: ast.Call, ctx: Context) -> None:
    """``eval()``, ``exec()`` or ``compile()`` of something that is not a literal.

    In test code only when the value comes from outside (a file, a socket, the environment,
    ``input()``).
    """
    func = node.func
    if not isinstance(func, ast.Name) or func.id in ctx.imports or not node.args:
        return
    arg = node.args[0]
    if is_literal_str(arg) or isinstance(arg, ast.Constant):
        return
    if ctx.is_test and not _from_outside(arg):
        return
    ctx.report(node, func=func.id)


# ----------------------------------------------------------------------- shell-injection

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
    if not name.endswith(_EXECUTE_SUFFIXES):
        return False
    return any(name == s or name.endswith("." + s) for s in _EXECUTE_SUFFIXES)


def _literal_names(ctx: Context) -> dict[str, bool]:
    names: dict[str, bool] = ctx.state.setdefault(_LITERALS, {})
    return names


def _is_literal(node: ast.AST, ctx: Context) -> bool:
    todo = [node]
    while todo:
        current = todo.pop()
        if is_literal_str(current):
            continue
        if isinstance(current, ast.List | ast.Tuple):
            todo.extend(current.elts)
        elif not (isinstance(current, ast.Name) and _literal_names(ctx).get(current.id, False)):
            return False
    return True


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
    family="neutralisation",
    rationale=(
        "When a command string is handed to a shell, the shell interprets `;`, "
        "`$(...)`, quotes and spaces. If any part of the string comes from data, "
        "whoever controls that data can run their own commands with the program's "
        "privileges."
    ),
    cwe=78,
    severity=Severity.HIGH,
    severity_test=Severity.MEDIUM,
    message="`{code}` {detail}",
    recommendation="{fix}",
    bandit_ids=("B602", "B604", "B605"),
    node_types=(ast.Call, ast.Assign),
)
def check_shell_injection(node: ast.AST, ctx: Context) -> None:
    """``os.system``, ``os.popen``, ``subprocess.getoutput`` and friends, and
    ``subprocess.*``/``processutils.execute`` with ``shell=True``, whose command is built at
    run time.

    A fixed command through the shell is reported at low severity; literal strings bound to
    names earlier in the file count as fixed.
    """
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
            f"{md_code(ctx.segment(part, 60))} ever holds shell metacharacters (`;`, `$(...)`, "
            "spaces, quotes) they run as commands."
        ),
        fix="Pass an argument list without a shell (`subprocess.run(['cmd', arg], check=True)` "
        "or `processutils.execute('cmd', arg)`), or quote every dynamic part with "
        "`shlex.quote()`.",
    )


# ------------------------------------------------------------------------- sql-injection

_SQL_START = re.compile(
    r"\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH|REPLACE|PRAGMA|GRANT|TRUNCATE)\b",
    re.IGNORECASE,
)

_SQL_CALLS = frozenset({"execute", "executemany", "exec_driver_sql", "text", "executescript"})

_SQL_NAMES = "sql-injection:names"


def _leading_text(node: ast.AST) -> str | None:
    while True:  # to the leftmost operand of ``a + b``, the receiver of ``'…'.format()``
        if isinstance(node, ast.BinOp):
            node = node.left
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            node = node.func.value
        else:
            break
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return (
            first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
        )
    return None


def _dynamic_sql(node: ast.AST, ctx: Context) -> bool:
    """A string that reads as SQL and is assembled from non-literal parts."""
    if isinstance(node, ast.Name):
        return node.id in ctx.state.get(_SQL_NAMES, ())
    if is_literal_str(node) or isinstance(node, ast.Constant):
        return False
    text = _leading_text(node)
    if text is None or not _SQL_START.match(text):
        return False
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod):
            return not is_literal_str(node.right) and not (
                isinstance(node.right, ast.Tuple)
                and all(isinstance(e, ast.Constant) for e in node.right.elts)
            )
        return isinstance(node.op, ast.Add)
    if isinstance(node, ast.Call):  # "...".format(...)
        args = [*node.args, *(kw.value for kw in node.keywords)]
        return any(not isinstance(a, ast.Constant) for a in args)
    return False


@register(
    id="sql-injection",
    title="SQL statement built from non-literal parts",
    family="neutralisation",
    rationale=(
        "A SQL statement built with string formatting lets a value containing a quote "
        "change the statement's meaning, from reading other rows to dropping tables. "
        "Bound parameters keep data out of the SQL text."
    ),
    cwe=89,
    severity=Severity.HIGH,
    severity_test=Severity.MEDIUM,
    message="`{code}` builds SQL with string formatting: a value containing a quote changes "
    "the statement (SQL injection).",
    recommendation="Pass values as bound parameters (`execute('... WHERE id = %s', (id,))`, "
    "`text('... :id').bindparams(id=...)`), and build identifiers with SQLAlchemy Core.",
    bandit_ids=("B608",),
    node_types=(ast.Call, ast.Assign),
    call_names=_SQL_CALLS,
)
def check_sql_injection(node: ast.AST, ctx: Context) -> None:
    """``execute()``, ``executemany()``, ``exec_driver_sql()``, ``executescript()`` and SQLAlchemy
    ``text()`` given a string that starts like SQL and is built with an f-string, ``%``, ``+``
    or ``.format()`` from non-literal parts (also through a name assigned earlier).

    In test code a formatted table name is reported at low severity.
    """
    if isinstance(node, ast.Assign):
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            names: set[str] = ctx.state.setdefault(_SQL_NAMES, set())
            target = node.targets[0].id
            if _dynamic_sql(node.value, ctx):
                names.add(target)
            else:
                names.discard(target)
        return
    assert isinstance(node, ast.Call)
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in _SQL_CALLS or not node.args:
        return
    if name == "text" and not (ctx.qualname(func) or "").startswith(("sqlalchemy", "sa.", "sql")):
        dotted = ctx.qualname(func) or ""
        if not dotted.endswith(("sql.text", "sqlalchemy.text")) and dotted != "text":
            return
    if _dynamic_sql(node.args[0], ctx) and not _only_literal_locals(node.args[0], ctx):
        severity = None
        leading = _leading_text(node.args[0]) or ""
        if ctx.is_test and (_IDENTIFIER_SLOT.search(leading) or _SETTING.match(leading)):
            severity = Severity.LOW  # a table name or a setting from the test's own schema
        ctx.report(node, severity=severity)


_SETTING = re.compile(r"\s*(?:PRAGMA|SET)\b", re.IGNORECASE)


def _only_literal_locals(node: ast.AST, ctx: Context) -> bool:
    """Every non-literal part is a local name the function assigns only literals to
    (``f_key = 'ON' if enforce else 'OFF'``): the statement is one of a few fixed ones."""
    func = ctx.enclosing_function()
    names = [n for n in ast.walk(node) if isinstance(n, ast.Name)]
    if func is None or not names or any(not isinstance(n.ctx, ast.Load) for n in names):
        return False
    for name in names:
        values = [
            sub.value
            for sub in ast.walk(func)
            if isinstance(sub, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name.id for t in sub.targets)
        ]
        if not values or not all(_literal_choice(v) for v in values):
            return False
    return True


def _literal_choice(value: ast.AST) -> bool:
    if isinstance(value, ast.IfExp):
        return _literal_choice(value.body) and _literal_choice(value.orelse)
    return isinstance(value, ast.Constant) and isinstance(value.value, str | int)


_IDENTIFIER_SLOT = re.compile(
    r"\b(?:FROM|INTO|TABLE|UPDATE|JOIN)\s+(?:%s|%\(\w+\)s|\{\w*\})", re.IGNORECASE
)
