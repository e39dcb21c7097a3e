"""Project settings applied: which rules run on a file, which files are tests or excluded,
which findings are reported.

One :class:`Selection` is what ``security-bot analyze``, the flake8 plugin and the bot all
use, so the three report the same findings for the same settings. Paths are relative to
the project's root (the directory of the settings file), with ``/`` separators.

``select`` / ``ignore`` follow Ruff: an item is a rule id, a code (``GSB502``) or a code
prefix (``GSB5``); a rule runs when some ``select`` item matches it (every rule when
``select`` is empty) and no ``ignore`` item matches it at least as specifically (an id or
a whole code is the most specific). ``per-file-ignores`` add ignores for the files their
glob matches. ``exclude`` and ``per-file-ignores`` globs are gitignore patterns (``build``
matches at any depth, ``nova/tests/functional/`` only there); ``test-paths`` are test
globs as in ``review.test_globs``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from functools import lru_cache

from pathspec import GitIgnoreSpec

from bot.analysis.catalogue import all_rules
from bot.analysis.codes import CODES
from bot.analysis.engine import analyze_source
from bot.analysis.model import FileResult, Finding
from bot.analysis.project import ProjectModel
from bot.analysis.projectsettings import DEFAULT_SETTINGS, ProjectSettings
from bot.analysis.registry import Rule
from bot.analysis.testpaths import DEFAULT_TEST_GLOBS, TestPathMatcher

__all__ = ["Selection", "normalise_path"]


def normalise_path(path: str) -> str:
    """``./a/b.py`` and ``a\\b.py`` as ``a/b.py``."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def _specificity(item: str, rule_id: str) -> float:
    """How specifically ``item`` names ``rule_id``: -1 not at all, up to inf (exactly)."""
    code = CODES.get(rule_id, "")
    if item in (rule_id, code):
        return math.inf
    if code and item.isupper() and code.startswith(item):
        return float(len(item))
    return -1.0


def _best(items: Sequence[str], rule_id: str) -> float:
    return max((_specificity(i, rule_id) for i in items), default=-1.0)


def _enabled(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    chosen = _best(select, rule_id) if select else 0.0
    return chosen >= 0 and chosen > _best(ignore, rule_id)


class Selection:
    """The rules, test globs and filters a project's settings ask for."""

    def __init__(
        self,
        settings: ProjectSettings = DEFAULT_SETTINGS,
        *,
        test_globs: Sequence[str] = DEFAULT_TEST_GLOBS,
        rules: Sequence[Rule] | None = None,
    ) -> None:
        self.settings = settings
        self._catalogue = tuple(all_rules() if rules is None else rules)
        self.matcher = TestPathMatcher((*test_globs, *settings.test_paths))
        self._exclude = GitIgnoreSpec.from_lines(settings.exclude) if settings.exclude else None
        self._per_file = [
            (GitIgnoreSpec.from_lines([glob]), ids) for glob, ids in settings.per_file_ignores
        ]
        self.rules = self._rules_with(())
        self._rules_cache = lru_cache(maxsize=64)(self._rules_with)

    # -- what runs where
    def _rules_with(self, extra_ignore: tuple[str, ...]) -> tuple[Rule, ...]:
        ignore = (*self.settings.ignore, *extra_ignore)
        return tuple(r for r in self._catalogue if _enabled(r.id, self.settings.select, ignore))

    def excluded(self, path: str) -> bool:
        """True when ``path`` (relative to the project root) is not to be analysed."""
        return self._exclude is not None and self._exclude.match_file(normalise_path(path))

    def is_test(self, path: str) -> bool:
        return self.matcher.is_test(path)

    def _file_ignores(self, path: str) -> tuple[str, ...]:
        norm = normalise_path(path)
        return tuple(i for spec, ids in self._per_file if spec.match_file(norm) for i in ids)

    def rules_for(self, path: str) -> tuple[Rule, ...]:
        """The rules that run on ``path``."""
        extra = self._file_ignores(path)
        return self._rules_cache(extra) if extra else self.rules

    # -- what is reported
    def keep(self, finding: Finding, rules: Collection[str]) -> bool:
        return finding.rule in rules and finding.severity.rank >= self.settings.severity.rank

    def apply(self, result: FileResult, rules: Sequence[Rule]) -> FileResult:
        """Drop what the settings do not report: findings of rules that did not run (the
        engine reports ``unparsable-file`` itself) and findings under the severity bar.
        ``result.error`` stays: a file that could not be analysed is still said to be so."""
        ids = {r.id for r in rules}
        result.findings = [f for f in result.findings if self.keep(f, ids)]
        result.suppressed = [s for s in result.suppressed if s.finding.rule in ids]
        return result

    def analyze(
        self,
        path: str,
        source: str | bytes,
        *,
        changed_lines: Collection[int] | None = None,
        is_test: bool | None = None,
        deleted_after: Collection[int] | None = None,
        project: ProjectModel | None = None,
    ) -> FileResult:
        """``analyze_source`` with these settings (the caller checks :meth:`excluded`)."""
        rules = self.rules_for(path)
        result = analyze_source(
            path,
            source,
            changed_lines=changed_lines,
            is_test=self.is_test(path) if is_test is None else is_test,
            rules=rules,
            deleted_after=deleted_after,
            project=project,
        )
        return self.apply(result, rules)
