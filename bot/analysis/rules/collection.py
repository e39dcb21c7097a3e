"""Tests the runner never runs, and set-ups that skip their base class's.

Both depend on the class hierarchy across files, which the project model gives: a helper
called from a subclass in another file is not dead, and whether a skipped base ``setUp``
does anything depends on what that base is.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.project import ClassRef
from bot.analysis.registry import register
from bot.analysis.rules._model import enclosing_class_ref
from bot.analysis.rules._util import assertion_call, is_assertion
from bot.analysis.summary import dotted

_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: methods unittest, testtools and fixtures call themselves
_HOOKS = frozenset(
    {
        "setUp", "tearDown", "setUpClass", "tearDownClass", "setUpTestData", "run", "debug",
        "id", "shortDescription", "addCleanup", "doCleanups", "subTest", "skipTest",
        "countTestCases", "defaultTestResult", "_setUp", "cleanUp", "getDetails",
        "setUpModule", "tearDownModule", "asyncSetUp", "asyncTearDown", "useFixture",
        "onException", "addDetail", "patch", "expectFailure", "runTest",
    }
)  # fmt: skip


def _asserts(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The function's own body (not nested functions) checks something."""
    todo: list[ast.AST] = list(func.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (*_FUNCS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.stmt) and is_assertion(node):
            return True
        if isinstance(node, ast.Call) and assertion_call(node):
            return True
        todo.extend(ast.iter_child_nodes(node))
    return False


def _only_mock_decorators(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """No decorator, or only ``mock.patch`` ones (which do not register the method)."""
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = dotted(target) or ""
        if "patch" not in name:
            return False
    return True


def _takes_arguments(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Parameters beyond ``self`` that no ``mock.patch`` decorator fills: a runner could not
    call it as a test."""
    args = func.args
    positional = [*args.posonlyargs, *args.args][1:]
    required = len(positional) - len(args.defaults) - len(func.decorator_list)
    kw_required = sum(1 for d in args.kw_defaults if d is None)
    return required > 0 or kw_required > 0


def _referenced_here(name: str, ctx: Context, defs: int) -> bool:
    """The file names ``name`` other than in its ``def`` lines, or builds it from a prefix
    (``getattr(self, '_test_%s' % kind)``)."""
    counts: Counter[str] | None = ctx.state.get("_word_counts")
    if counts is None:
        counts = ctx.state["_word_counts"] = Counter(_WORD.findall(ctx.source))
    return counts[name] > defs


def _built_from_prefix(name: str, ctx: Context) -> bool:
    """Some file holds a prefix of ``name`` ending in ``_`` (``'_test_%s'``, ``'check_'
    + kind``): the name may be built at run time."""
    project = ctx.project
    for i, char in enumerate(name):
        if char == "_" and i >= 2:
            prefix = name[: i + 1]
            if prefix in project.summary.words or project.mentioned_elsewhere(prefix):
                return True
    return False


def _overrides_a_base(klass: ast.ClassDef, name: str, ctx: Context) -> bool | None:
    """A base class defines ``name`` too (the base's machinery calls it); None when a base
    is unknown."""
    _, ref = enclosing_class_ref_for(klass, ctx)
    if ref is None:
        return None
    model = ctx.project.model
    chain, unknown = model.ancestors(ref)
    for anc in chain[1:]:
        if anc.summary is not None and anc.summary.method(name) is not None:
            return True
    return None if unknown else False


def enclosing_class_ref_for(
    klass: ast.ClassDef, ctx: Context
) -> tuple[ast.ClassDef, ClassRef | None]:
    ancestors = [a for a in ctx.ancestors if a is not klass]
    return klass, ctx.project.class_ref(klass, ancestors)


@register(
    id="test-never-collected",
    title="Test the runner never collects",
    family="test_integrity",
    rationale=(
        "unittest and pytest run only methods whose names start with `test`. A method "
        "that asserts, is named `_test_x`, `tset_x` or `check_x` and is called from "
        "nowhere, or a `def test_x` nested inside another test, never runs: its checks "
        "look like coverage and guard nothing."
    ),
    cwe=561,
    severity=Severity.MEDIUM,
    message="`{code}` {why}, so its assertions never run and the behaviour it checks is "
    "not tested.",
    recommendation="{fix}",
    node_types=(ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef),
    files="tests",
)
def check_test_never_collected(node: ast.AST, ctx: Context) -> None:
    """In a test case class (``unittest.TestCase`` through any base, across files): a method
    that asserts, whose name does not start with ``test`` (but contains it, or that takes no
    argument a runner could not give: an assertion helper taking values is not a test), that
    is no unittest/testtools hook, overrides no base method, carries no decorator but
    ``mock.patch``, and whose name appears nowhere else in the project (no call, no
    reference, no string, no prefix a name could be built from). Also a ``def test_*``
    nested in a test function and never used there. A class with a base the model does not
    know is left alone.
    """
    if not ctx.is_test:
        return
    if isinstance(node, ast.ClassDef):
        _check_class(node, ctx)
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
        _check_nested(node, ctx)


def _check_nested(func: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
    outer = ctx.enclosing_function()
    if outer is None or not outer.name.startswith("test") or not _asserts(func):
        return
    for sub in ast.walk(outer):
        if isinstance(sub, ast.Name) and sub.id == func.name:
            return
    ctx.report(func, code=f"def {func.name}", why=f"is defined inside `{outer.name}` and "
               "never called there", fix="Dedent it to the class level (it is probably a "
               "test method indented by mistake), or call it.")  # fmt: skip


def _check_class(klass: ast.ClassDef, ctx: Context) -> None:
    _, ref = enclosing_class_ref_for(klass, ctx)
    if ref is None or ctx.project.fact(ref, "test_case") is not True:
        return
    defs: dict[str, int] = {}
    for stmt in klass.body:
        if isinstance(stmt, _FUNCS):
            defs[stmt.name] = defs.get(stmt.name, 0) + 1
    for stmt in klass.body:
        if not isinstance(stmt, _FUNCS):
            continue
        name = stmt.name
        if name.startswith("test") or name in _HOOKS or name.startswith("__"):
            continue
        # cheapest questions first: most helpers are called from the same file
        if "test" not in name.lower() and _takes_arguments(stmt):
            continue  # an assertion helper (``_assert_x(self, tree)``): no test body is lost
        if not _only_mock_decorators(stmt) or _referenced_here(name, ctx, defs[name]):
            continue
        if not _asserts(stmt) or ctx.project.mentioned_elsewhere(name):
            continue
        if _built_from_prefix(name, ctx) or _overrides_a_base(klass, name, ctx) is not False:
            continue
        ctx.report(stmt, code=f"def {name}", why="asserts, but its name does not start with "
                   "`test` and nothing in the project calls it", fix=f"Rename it to "
                   f"`test_{name.lstrip('_')}` if it is a test, or call it from one.")  # fmt: skip


# ---------------------------------------------------------------------- setup-without-super

_UPCALLED = ("setUp", "tearDown")


@register(
    id="setup-without-super",
    title="setUp/tearDown that skips its base class's",
    family="state_leaks",
    rationale=(
        "A project's base test class and fixture-based bases (testtools, oslotest, "
        "fixtures) do their work in `setUp`/`tearDown`: stubs, config fixtures, cleanups, "
        "stopall. An override that never calls the base skips all of it, so the test runs "
        "without its isolation (testtools even errors at run time)."
    ),
    cwe=459,
    severity=Severity.MEDIUM,
    message="`{code}` overrides `{method}` without calling the base class's, so what "
    "`{base}`'s `{method}` does (fixtures, stubs, cleanups, config resets) never happens for "
    "these tests.",
    recommendation="Call `{upcall}` first in `{method}`.",
    node_types=(ast.FunctionDef,),
)
def check_setup_without_super(node: ast.FunctionDef, ctx: Context) -> None:
    """``setUp``/``tearDown`` of a class that never calls the base's (``super().setUp()``,
    ``Base.setUp(self)``), when a class after it in the method resolution order -- of the
    class itself, or for a mixin of every test class built from it, across files -- is a
    project class defining that method or a fixture-based base (testtools, oslotest,
    ``fixtures.Fixture``). Not when what follows is only ``unittest.TestCase`` (whose set-up
    is empty), and not when a base is unknown.
    """
    if node.name not in _UPCALLED or not ctx.is_test:
        return
    klass = ctx.parent
    if not isinstance(klass, ast.ClassDef) or _upcalls(node):
        return
    _, ref = enclosing_class_ref(ctx)
    if ref is None:
        return
    base = _skipped_base(ref, node.name, ctx)
    if base is not None:
        ctx.report(
            node,
            code=f"def {node.name}",
            method=node.name,
            base=base,
            upcall=f"super().{node.name}()",
        )


def _upcalls(func: ast.FunctionDef) -> bool:
    for sub in ast.walk(func):
        if isinstance(sub, ast.Attribute) and sub.attr == func.name:
            value = sub.value
            if not (isinstance(value, ast.Name) and value.id == "self"):
                return True
    return False


def _skipped_base(ref: ClassRef, method: str, ctx: Context) -> str | None:
    """The first class after ``ref`` in an MRO running it whose ``method`` matters."""
    model = ctx.project.model
    uses = [ref, *[s for s in model.subclasses(ref) if not model._subclasses.get(s.name)]]
    for use in uses:
        mro = model.mro(use)
        if mro is None:
            continue
        names = [c.name for c in mro]
        after = mro[names.index(ref.name) + 1 :]
        for cls in after:
            if cls.known is not None:
                if cls.known.setup_matters:
                    return cls.name
                continue
            summary = cls.summary
            if summary is None:
                continue
            defined = summary.setup is not None if method == "setUp" else (
                summary.teardown_calls_super is not None
            )  # fmt: skip
            if defined and summary.method(method) is not None:
                return cls.name
    return None
