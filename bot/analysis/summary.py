"""What one file tells the project model: its imports, classes and set-up facts.

A :class:`FileSummary` depends only on the file's bytes (never on its path or on other
files), so it can be cached by blob id: a new patch set summarises only the files it
changed. Paths, module names and the resolution of bases across files are the
:mod:`bot.analysis.project` model's job.

Summarising is cheap on purpose: one ``ast.parse``, then only the module body, class
bodies and the set-up methods are visited (never a full walk of every test), and the
"is this name mentioned anywhere" question is answered from the identifiers of the
source text, found by one regular expression.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SUMMARY_VERSION",
    "ClassSummary",
    "FileSummary",
    "MethodSummary",
    "SetupFacts",
    "summarize",
    "summarize_tree",
]

#: bumped whenever what a summary holds changes: cached summaries of another version are
#: ignored (and rebuilt), never misread
SUMMARY_VERSION = 4

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: a statement-level assertion in a method's source text: ``self.assertX(``, ``assert x``,
#: ``self.fail(``, ``m.assert_called_once_with(``
_ASSERTS = re.compile(r"\.(?:assert\w*|fail\w*|expectThat)\s*\(|^\s*assert\b", re.MULTILINE)
#: setUp and the hooks that run it: unittest's ``setUp``, fixtures' ``_setUp``
_SETUP_NAMES = ("setUp", "_setUp")
_TEARDOWN_NAMES = ("tearDown",)


@dataclass(frozen=True)
class SetupFacts:
    """What a class's ``setUp`` (or a fixture's ``_setUp``), and the methods of the class it
    calls directly, do that other rules rely on."""

    calls_super: bool = False
    #: classes instantiated in ``self.useFixture(X(...))``, dotted as written
    fixtures: tuple[str, ...] = ()
    #: registers ``mock.patch.stopall`` (``self.addCleanup(mock.patch.stopall)``)
    stopall: bool = False
    #: registers ``CONF.reset`` as a cleanup (resets every override)
    conf_reset: bool = False
    #: points the temporary directory at a fresh one (``TMPDIR``, ``tempfile.tempdir``)
    private_tmpdir: bool = False
    line: int = 0
    #: attributes assigned on something other than ``self`` (``api.CELLS = []``): state
    #: reset before every test
    assigns: tuple[str, ...] = ()


@dataclass(frozen=True)
class MethodSummary:
    name: str
    line: int
    asserts: bool = False
    decorated: bool = False


@dataclass(frozen=True)
class ClassSummary:
    """A class as written: its bases (dotted, the root unresolved), methods, set-up facts."""

    name: str  # the qualified name in its module: ``Outer.Inner``
    line: int
    bases: tuple[str, ...] = ()  # "?" for a base that is not a dotted name
    methods: tuple[MethodSummary, ...] = ()
    setup: SetupFacts | None = None
    teardown_calls_super: bool | None = None  # None: no tearDown defined
    #: ``mock.patch.stopall`` is named anywhere in the class (a cleanup, a tearDown call)
    stopall: bool = False
    #: ``tearDown`` calls ``CONF.reset()`` (every override undone after each test)
    teardown_conf_reset: bool = False

    def method(self, name: str) -> MethodSummary | None:
        for m in self.methods:
            if m.name == name:
                return m
        return None


@dataclass(frozen=True)
class FileSummary:
    """Everything the project model needs from one file."""

    #: local name -> dotted name it was imported as; relative imports keep their dots
    imports: dict[str, str] = field(default_factory=dict)
    classes: tuple[ClassSummary, ...] = ()
    #: ``if __name__ == "__main__":`` at module level: a script run in its own process
    main_guard: bool = False
    #: every identifier in the source text (code, strings and comments alike: a name that
    #: appears anywhere may be used, which errs on the side of "used")
    words: frozenset[str] = frozenset()
    parsed: bool = True
    #: modules imported with ``from x import *`` (relative ones keep their dots)
    star_imports: tuple[str, ...] = ()
    #: module-level ``NAME = <number or string>`` constants
    constants: dict[str, int | float | str] = field(default_factory=dict)

    # -- serialisation (the caches store JSON)
    def to_json(self) -> dict[str, Any]:
        return {
            "v": SUMMARY_VERSION,
            "imports": self.imports,
            "classes": [_class_json(c) for c in self.classes],
            "main": self.main_guard,
            "words": sorted(self.words),
            "parsed": self.parsed,
            "star": list(self.star_imports),
            "consts": self.constants,
        }

    def dumps(self) -> bytes:
        return json.dumps(self.to_json(), separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileSummary:
        if data.get("v") != SUMMARY_VERSION:
            raise ValueError(f"summary version {data.get('v')!r}, expected {SUMMARY_VERSION}")
        return cls(
            imports=dict(data["imports"]),
            classes=tuple(_class_from(c) for c in data["classes"]),
            main_guard=bool(data["main"]),
            words=frozenset(data["words"]),
            parsed=bool(data.get("parsed", True)),
            star_imports=tuple(data.get("star", ())),
            constants=dict(data.get("consts", {})),
        )

    @classmethod
    def loads(cls, raw: bytes | str) -> FileSummary:
        return cls.from_json(json.loads(raw))


def _class_json(c: ClassSummary) -> dict[str, Any]:
    return {
        "name": c.name,
        "line": c.line,
        "bases": list(c.bases),
        "methods": [[m.name, m.line, m.asserts, m.decorated] for m in c.methods],
        "setup": None if c.setup is None else {
            "super": c.setup.calls_super, "fixtures": list(c.setup.fixtures),
            "stopall": c.setup.stopall, "conf_reset": c.setup.conf_reset,
            "tmpdir": c.setup.private_tmpdir, "line": c.setup.line,
            "assigns": list(c.setup.assigns),
        },
        "teardown_super": c.teardown_calls_super,
        "stopall": c.stopall,
        "teardown_reset": c.teardown_conf_reset,
    }  # fmt: skip


def _class_from(d: dict[str, Any]) -> ClassSummary:
    s = d["setup"]
    return ClassSummary(
        name=d["name"],
        line=d["line"],
        bases=tuple(d["bases"]),
        methods=tuple(MethodSummary(n, ln, a, dec) for n, ln, a, dec in d["methods"]),
        setup=None if s is None else SetupFacts(
            calls_super=s["super"], fixtures=tuple(s["fixtures"]), stopall=s["stopall"],
            conf_reset=s["conf_reset"], private_tmpdir=s["tmpdir"], line=s["line"],
            assigns=tuple(s.get("assigns", ())),
        ),
        teardown_calls_super=d["teardown_super"],
        stopall=d["stopall"],
        teardown_conf_reset=d.get("teardown_reset", False),
    )  # fmt: skip


# ------------------------------------------------------------------------------ summarise


def summarize(source: str | bytes) -> FileSummary:
    """The summary of one file's source; a file that does not parse gives an empty one."""
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError):
        return FileSummary(words=frozenset(_WORD.findall(text)), parsed=False)
    return summarize_tree(tree, text)


def summarize_tree(tree: ast.Module, text: str) -> FileSummary:
    """The summary of an already parsed module (``text`` is its source)."""
    lines = text.splitlines()
    imports: dict[str, str] = {}
    stars: list[str] = []
    constants: dict[str, int | float | str] = {}
    main_guard = False
    for stmt in _module_statements(tree.body):
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            _record_import(stmt, imports)
            if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
                stars.append("." * (stmt.level or 0) + (stmt.module or ""))
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, int | float | str)
            and not isinstance(stmt.value.value, bool)
            and len(str(stmt.value.value)) <= 200
        ):
            constants[stmt.targets[0].id] = stmt.value.value
        elif isinstance(stmt, ast.If) and _is_main_guard(stmt.test):
            main_guard = True
    classes = [_summarize_class(node, qual, lines) for node, qual in _classes(tree.body, "")]
    return FileSummary(
        imports=imports,
        classes=tuple(classes),
        main_guard=main_guard,
        words=frozenset(_WORD.findall(text)),
        star_imports=tuple(stars),
        constants=constants,
    )


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, looking into ``try``/``if`` blocks (guarded imports)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.Try):
            yield from _module_statements(stmt.body)
            for handler in stmt.handlers:
                yield from _module_statements(handler.body)
            yield from _module_statements(stmt.orelse)
        elif isinstance(stmt, ast.If) and not _is_main_guard(stmt.test):
            yield from _module_statements(stmt.body)
            yield from _module_statements(stmt.orelse)


def _record_import(node: ast.Import | ast.ImportFrom, imports: dict[str, str]) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                imports[alias.asname] = alias.name
            else:
                top = alias.name.split(".", 1)[0]
                imports.setdefault(top, top)
        return
    prefix = "." * (node.level or 0) + (node.module or "")
    for alias in node.names:
        if alias.name == "*":
            continue
        sep = "" if prefix.endswith(".") or not prefix else "."
        imports[alias.asname or alias.name] = f"{prefix}{sep}{alias.name}"


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _classes(body: list[ast.stmt], prefix: str) -> Iterator[tuple[ast.ClassDef, str]]:
    for stmt in _module_statements(body) if not prefix else body:
        if isinstance(stmt, ast.ClassDef):
            qual = f"{prefix}{stmt.name}"
            yield stmt, qual
            yield from _classes(stmt.body, qual + ".")


def dotted(node: ast.AST) -> str | None:
    """``a.b.C`` for a Name/Attribute chain, as written; None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):  # Generic[T], typing.Protocol[...]
        node = node.value
    return dotted(node) or "?"


def _summarize_class(node: ast.ClassDef, qual: str, lines: list[str]) -> ClassSummary:
    methods: list[MethodSummary] = []
    by_name: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for stmt in node.body:
        if isinstance(stmt, _FUNCS):
            by_name[stmt.name] = stmt
            text = "\n".join(lines[stmt.lineno - 1 : stmt.end_lineno or stmt.lineno])
            methods.append(
                MethodSummary(
                    stmt.name,
                    stmt.lineno,
                    asserts=bool(_ASSERTS.search(text)),
                    decorated=bool(stmt.decorator_list),
                )
            )
    setup = next((by_name[n] for n in _SETUP_NAMES if n in by_name), None)
    teardown = next((by_name[n] for n in _TEARDOWN_NAMES if n in by_name), None)
    class_text = "\n".join(lines[node.lineno - 1 : node.end_lineno or node.lineno])
    return ClassSummary(
        name=qual,
        line=node.lineno,
        bases=tuple(_base_name(b) for b in node.bases),
        methods=tuple(methods),
        setup=None if setup is None else _setup_facts(setup, by_name),
        teardown_calls_super=None if teardown is None else _calls_super(teardown),
        teardown_conf_reset=teardown is not None and _resets_conf(teardown),
        stopall="stopall" in class_text
        and any(isinstance(sub, ast.Attribute) and sub.attr == "stopall" for sub in ast.walk(node)),
    )


def _resets_conf(func: ast.AST) -> bool:
    """``CONF.reset()`` (or ``cfg.CONF.reset()``) called in ``func``."""
    for sub in ast.walk(func):
        if isinstance(sub, ast.Call) and (dotted(sub.func) or "").lower().endswith("conf.reset"):
            return True
    return False


def _calls_super(func: ast.AST) -> bool:
    """The method calls the base's version: ``super().setUp()``, ``Base.setUp(self)``,
    ``super(Cls, self).tearDown()``, ``return super()...`` (any call of the same name on
    something other than ``self``)."""
    name = getattr(func, "name", "")
    for sub in ast.walk(func):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            attr = sub.func.attr
            if attr == name or (name == "_setUp" and attr == "setUp"):
                value = sub.func.value
                if not (isinstance(value, ast.Name) and value.id == "self"):
                    return True
    return False


def _setup_facts(
    func: ast.FunctionDef | ast.AsyncFunctionDef, methods: dict[str, Any]
) -> SetupFacts:
    fixtures: list[str] = []
    assigns: list[str] = []
    flags = {"stopall": False, "conf_reset": False, "tmpdir": False}
    seen: set[str] = set()
    todo = [func]
    while todo:
        current = todo.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        for sub in ast.walk(current):
            if isinstance(sub, ast.Call):
                _setup_call(sub, fixtures, flags, methods, todo)
            elif isinstance(sub, ast.Assign):
                for target in sub.targets:
                    if isinstance(target, ast.Attribute) and not (
                        isinstance(target.value, ast.Name) and target.value.id == "self"
                    ):
                        assigns.append(target.attr)
                    if dotted(target) == "tempfile.tempdir" or (
                        isinstance(target, ast.Subscript)
                        and dotted(target.value) == "os.environ"
                        and isinstance(target.slice, ast.Constant)
                        and target.slice.value in ("TMPDIR", "TMP", "TEMP")
                    ):
                        flags["tmpdir"] = True
    return SetupFacts(
        calls_super=_calls_super(func),
        fixtures=tuple(dict.fromkeys(fixtures)),
        stopall=flags["stopall"],
        conf_reset=flags["conf_reset"],
        private_tmpdir=flags["tmpdir"],
        line=func.lineno,
        assigns=tuple(dict.fromkeys(assigns)),
    )


def _setup_call(
    call: ast.Call,
    fixtures: list[str],
    flags: dict[str, bool],
    methods: dict[str, Any],
    todo: list[Any],
) -> None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "MonkeyPatch" and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and first.value == "tempfile.tempdir":
            flags["tmpdir"] = True  # fixtures' NestedTempfile
    if name == "useFixture" and call.args:
        fixture = call.args[0]
        if isinstance(fixture, ast.Call):
            written = dotted(fixture.func)
            if written:
                fixtures.append(written)
                if written.endswith("EnvironmentVariable") and fixture.args:
                    first = fixture.args[0]
                    if isinstance(first, ast.Constant) and first.value in ("TMPDIR", "TMP"):
                        flags["tmpdir"] = True
    elif name == "addCleanup" and call.args:
        registered = dotted(call.args[0]) or ""
        if registered.endswith("patch.stopall"):
            flags["stopall"] = True
        elif registered.lower().endswith("conf.reset"):
            flags["conf_reset"] = True
    elif name in ("setenv", "set_env") and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and first.value in ("TMPDIR", "TMP"):
            flags["tmpdir"] = True
    elif (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
        and name in methods
    ):
        todo.append(methods[name])  # a helper of the class that setUp runs
