"""The project model: every class of a tree, its bases resolved across files, and the
facts the rules ask about a class's whole hierarchy.

A rule looking at one file cannot see that a mixin's test classes derive from
``oslotest.base.BaseTestCase`` (which stops every patch), or that a project base uses
oslo.config's fixture (which resets every override). The model can: it is built from the
:class:`~bot.analysis.summary.FileSummary` of every Python file of the revision (or local
tree) and handed to :func:`~bot.analysis.engine.analyze_source` as input data, so the
analysis itself stays free of I/O.

Every answer is three-valued: ``True``/``False`` when the hierarchy is resolved, ``None``
when a base comes from a package that is neither in the tree nor in
:mod:`bot.analysis.knowledge`. Rules turn ``None`` into a lower severity, never into a
guess.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from bot.analysis.knowledge import KnownClass, known_class
from bot.analysis.summary import ClassSummary, FileSummary, summarize_tree

__all__ = ["ClassRef", "ProjectModel", "ProjectView", "module_name"]

Tri = bool | None

#: the facts a class can have, each read from a summary or from the knowledge table
FACTS = ("stopall", "resets_config", "private_tmpdir", "setup_matters", "test_case",
         "runs_forever", "fixture")  # fmt: skip

_MAX_DEPTH = 12  # re-export chains and hierarchies deeper than this are "unknown"


@dataclass(frozen=True)
class ClassRef:
    """A resolved class: in the tree (``summary`` set) or known (``known`` set)."""

    name: str  # absolute dotted name: ``nova.test.TestCase``
    path: str | None = None
    summary: ClassSummary | None = None
    known: KnownClass | None = None


def module_name(path: str, packages: frozenset[str]) -> tuple[str, bool]:
    """``(module, is_package)`` of ``path``: the dotted name below the outermost directory
    that is a package (has an ``__init__.py``), so ``src/pkg/a.py`` is ``pkg.a``."""
    parts = path.split("/")
    is_package = parts[-1] == "__init__.py"
    stem = parts[-1][:-3] if parts[-1].endswith(".py") else parts[-1]
    dirs = parts[:-1]
    start = len(dirs)
    while start > 0 and "/".join(dirs[:start]) in packages:
        start -= 1
    names = dirs[start:] + ([] if is_package else [stem])
    return ".".join(names) or stem, is_package


class ProjectModel:
    """Every class of a tree, indexed by module; built from per-file summaries."""

    def __init__(self, summaries: Mapping[str, FileSummary]) -> None:
        self.summaries: dict[str, FileSummary] = dict(summaries)
        packages = frozenset(p[: -len("/__init__.py")] for p in self.summaries
                             if p.endswith("/__init__.py"))  # fmt: skip
        self.modules: dict[str, str] = {}  # module -> path
        self.module_of: dict[str, str] = {}  # path -> module
        self._package: set[str] = set()
        self.classes: dict[str, tuple[str, ClassSummary]] = {}
        for path, summary in self.summaries.items():
            module, is_package = module_name(path, packages)
            self.module_of[path] = module
            self.modules.setdefault(module, path)
            if is_package:
                self._package.add(module)
            for cls in summary.classes:
                self.classes.setdefault(f"{module}.{cls.name}", (path, cls))
        self._resolved: dict[tuple[str, str], ClassRef | None] = {}
        self._facts: dict[tuple[str, str], Tri] = {}
        #: other names of files of the model (the path a user gave -> the model's path)
        self.aliases: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.summaries)

    def alias(self, given: str, path: str) -> None:
        """Let ``given`` (the path a file is analysed under) name the model's ``path``."""
        if given != path and path in self.summaries:
            self.aliases[given] = path

    def with_file(self, path: str, summary: FileSummary) -> ProjectModel:
        """A model that also holds ``path`` (for a file analysed without being in it)."""
        merged = dict(self.summaries)
        merged[path] = summary
        return ProjectModel(merged)

    # -- names
    def absolute(self, module: str, target: str) -> str:
        """An import target (``.base``, ``..fixtures.X``) made absolute from ``module``."""
        if not target.startswith("."):
            return target
        level = len(target) - len(target.lstrip("."))
        package = module if module in self._package else module.rpartition(".")[0]
        for _ in range(level - 1):
            package = package.rpartition(".")[0]
        rest = target[level:]
        return f"{package}.{rest}" if package and rest else (package or rest)

    def resolve(self, module: str, written: str) -> ClassRef | None:
        """The class that ``written`` (a dotted name as written in ``module``) denotes."""
        key = (module, written)
        if key in self._resolved:
            return self._resolved[key]
        self._resolved[key] = None  # a cycle resolves to unknown
        found = self._resolve(module, written, 0)
        self._resolved[key] = found
        return found

    def _resolve(self, module: str, written: str, depth: int) -> ClassRef | None:
        if written == "?" or depth > _MAX_DEPTH:
            return None
        root, _, rest = written.partition(".")
        path = self.modules.get(module)
        summary = self.summaries.get(path) if path is not None else None
        if summary is not None and root in summary.imports:
            full = self.absolute(module, summary.imports[root])
            return self.lookup(f"{full}.{rest}" if rest else full, depth + 1)
        local = f"{module}.{written}"
        if local in self.classes:
            return self._ref(local)
        if not rest and hasattr(builtins, root):
            return ClassRef(root, known=known_class("object"))
        return self.lookup(local, depth + 1) if summary is not None else None

    def lookup(self, full: str, depth: int = 0) -> ClassRef | None:
        """The class with the absolute dotted name ``full``: in the tree (following
        re-exports), else in the knowledge table, else None (unknown)."""
        if depth > _MAX_DEPTH:
            return None
        if full in self.classes:
            return self._ref(full)
        parts = full.split(".")
        for i in range(len(parts) - 1, 0, -1):
            mod = ".".join(parts[:i])
            path = self.modules.get(mod)
            if path is None:
                continue
            summary = self.summaries[path]
            imported = summary.imports.get(parts[i])
            if imported is None:
                for star in summary.star_imports:  # ``from .nova import *``
                    found = self.lookup(".".join([self.absolute(mod, star), *parts[i:]]), depth + 1)
                    if found is not None:
                        return found
                return None  # the module is in the tree and has no such class
            target = self.absolute(mod, imported)
            return self.lookup(".".join([target, *parts[i + 1 :]]), depth + 1)
        known = known_class(full)
        return None if known is None else ClassRef(full, known=known)

    def _ref(self, full: str) -> ClassRef:
        path, summary = self.classes[full]
        return ClassRef(full, path, summary)

    def module_constant(self, module: str, name: str) -> int | float | str | None:
        """The literal a module of the tree assigns to ``name`` at module level, or None."""
        path = self.modules.get(module)
        if path is None:
            return None
        return self.summaries[path].constants.get(name)

    def bases(self, ref: ClassRef) -> list[ClassRef | None]:
        if ref.known is not None:
            return [self.lookup(b) for b in ref.known.bases]
        if ref.summary is None or ref.path is None:
            return []
        module = self.module_of[ref.path]
        # a nested class's bases are written in its module's namespace
        return [self.resolve(module, b) for b in ref.summary.bases]

    # -- hierarchy
    def ancestors(self, ref: ClassRef) -> tuple[list[ClassRef], bool]:
        """``ref`` and every class it derives from (base-first order within each branch),
        and whether some base could not be resolved."""
        out: list[ClassRef] = []
        seen: set[str] = set()
        unknown = False
        todo = [(ref, 0)]
        while todo:
            current, depth = todo.pop(0)
            if current.name in seen:
                continue
            seen.add(current.name)
            out.append(current)
            if depth > _MAX_DEPTH:
                unknown = True
                continue
            for base in self.bases(current):
                if base is None:
                    unknown = True
                else:
                    todo.append((base, depth + 1))
        return out, unknown

    def mro(self, ref: ClassRef) -> list[ClassRef] | None:
        """The C3 linearisation of ``ref``, or None when a base is unknown (or C3 fails)."""
        return self._mro(ref, 0)

    def _mro(self, ref: ClassRef, depth: int) -> list[ClassRef] | None:
        if depth > _MAX_DEPTH:
            return None
        # ``object`` ends every MRO; the knowledge table leaves it out, so it is dropped here
        bases = [b for b in self.bases(ref) if b is None or b.name != "object"]
        if any(b is None for b in bases):
            return None
        seqs: list[list[ClassRef]] = []
        for base in bases:
            assert base is not None
            sub = self._mro(base, depth + 1)
            if sub is None:
                return None
            seqs.append(sub)
        seqs.append([b for b in bases if b is not None])
        result = [ref]
        while any(seqs):
            seqs = [s for s in seqs if s]
            for seq in seqs:
                head = seq[0]
                if not any(head.name in {c.name for c in s[1:]} for s in seqs):
                    break
            else:
                return None
            result.append(head)
            seqs = [s[1:] if s[0].name == head.name else s for s in seqs]
        return result

    def own_fact(self, ref: ClassRef, fact: str) -> bool:
        """What ``ref`` itself (not its bases) shows of ``fact``."""
        if ref.known is not None:
            return bool(getattr(ref.known, fact))
        summary = ref.summary
        if summary is None:
            return False
        setup = summary.setup
        if fact == "resets_config" and summary.teardown_conf_reset:
            return True
        if fact == "stopall":
            return summary.stopall or (setup is not None and setup.stopall)
        if fact == "setup_matters":
            return setup is not None or summary.teardown_calls_super is not None
        if setup is None or fact not in ("resets_config", "private_tmpdir"):
            return False
        if fact == "resets_config" and setup.conf_reset:
            return True
        if fact == "private_tmpdir" and setup.private_tmpdir:
            return True
        assert ref.path is not None
        module = self.module_of[ref.path]
        for written in setup.fixtures:
            fixture = self.resolve(module, written)
            if fixture is not None and fixture.name != ref.name and self.fact(fixture, fact):
                return True
        return False

    def fact(self, ref: ClassRef, fact: str) -> Tri:
        """True when ``ref`` or a class it derives from has ``fact``; False when the whole
        hierarchy is resolved and none has; None when an unknown base might."""
        key = (ref.name, fact)
        if key in self._facts:
            return self._facts[key]
        self._facts[key] = None  # cycles
        chain, unknown = self.ancestors(ref)
        value: Tri = None if unknown else False
        if any(self.own_fact(c, fact) for c in chain):
            value = True
        self._facts[key] = value
        return value

    def setup_assigns(self, ref: ClassRef, name: str) -> Tri:
        """Does the set-up of a base of ``ref`` (or a fixture a base uses) assign the
        attribute ``name``, i.e. reset it before every test of the hierarchy? (``ref``'s own
        set-up assigning it is the change itself, not a reset.)"""
        chain, unknown = self.ancestors(ref)
        for cls in chain[1:]:
            setup = cls.summary.setup if cls.summary is not None else None
            if setup is None:
                continue
            if name in setup.assigns:
                return True
            assert cls.path is not None
            module = self.module_of[cls.path]
            for written in setup.fixtures:
                fixture = self.resolve(module, written)
                if fixture is not None and fixture.name != cls.name and fixture.summary:
                    fsetup = fixture.summary.setup
                    if fsetup is not None and name in fsetup.assigns:
                        return True
        return None if unknown else False

    @cached_property
    def _subclasses(self) -> dict[str, list[ClassRef]]:
        """Direct subclasses of every class (resolves every base of the tree, once)."""
        out: dict[str, list[ClassRef]] = {}
        for full in self.classes:
            ref = self._ref(full)
            for base in self.bases(ref):
                if base is not None:
                    out.setdefault(base.name, []).append(ref)
        return out

    def subclasses(self, ref: ClassRef) -> list[ClassRef]:
        """Every class of the tree deriving from ``ref``, directly or not."""
        out: list[ClassRef] = []
        seen = {ref.name}
        todo = list(self._subclasses.get(ref.name, ()))
        while todo:
            sub = todo.pop()
            if sub.name in seen:
                continue
            seen.add(sub.name)
            out.append(sub)
            todo.extend(self._subclasses.get(sub.name, ()))
        return out

    def every_use(self, ref: ClassRef, fact: str) -> Tri:
        """Does every test class that runs ``ref``'s code have ``fact``? ``ref`` itself when
        it is a test case, and each of its subclasses that nothing derives from (a mixin's
        concrete test classes)."""
        own = self.fact(ref, fact)
        if own:
            return True
        leaves = [s for s in self.subclasses(ref) if not self._subclasses.get(s.name)]
        if not leaves:
            if own is False and not self.fact(ref, "test_case"):
                return None  # a mixin or helper no class of the tree uses: users unknown
            return own
        uses = leaves + ([ref] if self.fact(ref, "test_case") else [])
        values = [self.fact(u, fact) for u in uses]
        if any(v is False for v in values):
            return False
        return True if all(values) else None

    def view(self, path: str, tree: ast.Module | None = None, text: str = "") -> ProjectView:
        """The model as seen from the file ``path`` (added to it if it is not there)."""
        model: ProjectModel = self
        path = self.aliases.get(path, path)
        if path not in self.summaries:
            if tree is None:
                raise KeyError(path)
            model = self.with_file(path, summarize_tree(tree, text))
        return ProjectView(model, path)


class ProjectView:
    """What a rule asks about the project, from the file being analysed."""

    def __init__(self, model: ProjectModel, path: str) -> None:
        self.model = model
        self.path = path
        self.module = model.module_of[path]
        self.summary = model.summaries[path]

    def class_ref(self, node: ast.ClassDef, ancestors: Iterable[ast.AST]) -> ClassRef | None:
        """The model's class for ``node`` (None for a class defined inside a function)."""
        names: list[str] = []
        for anc in ancestors:
            if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return None
            if isinstance(anc, ast.ClassDef):
                names.append(anc.name)
        names.append(node.name)
        full = f"{self.module}.{'.'.join(names)}"
        entry = self.model.classes.get(full)
        if entry is None or entry[0] != self.path:
            return None
        return ClassRef(full, entry[0], entry[1])

    def resolve(self, written: str) -> ClassRef | None:
        return self.model.resolve(self.module, written)

    def fact(self, ref: ClassRef, fact: str) -> Tri:
        return self.model.fact(ref, fact)

    def every_use(self, ref: ClassRef, fact: str) -> Tri:
        return self.model.every_use(ref, fact)

    def bases_fact(self, bases: Iterable[str], fact: str) -> Tri:
        """``fact`` for a class with these bases (as written in this file) that the model
        does not hold (a class defined inside a function)."""
        values: list[Tri] = []
        for written in bases:
            ref = self.resolve(written)
            values.append(None if ref is None else self.model.fact(ref, fact))
        if any(values):
            return True
        return None if any(v is None for v in values) else False

    @property
    def entry_point(self) -> bool:
        """A script run in its own process (``if __name__ == "__main__":``, no test case)."""
        if not self.summary.main_guard:
            return False
        for cls in self.summary.classes:
            ref = ClassRef(f"{self.module}.{cls.name}", self.path, cls)
            if self.model.fact(ref, "test_case") is not False:
                return False
        return True

    def mentioned_elsewhere(self, name: str) -> bool:
        """Some other file of the project mentions ``name``."""
        here = self.path
        return any(
            name in summary.words for path, summary in self.model.summaries.items() if path != here
        )


def single_file_view(path: str, tree: ast.Module, text: str) -> ProjectView:
    """The model of one file alone (used when no project model is given)."""
    return ProjectModel({path: summarize_tree(tree, text)}).view(path)
