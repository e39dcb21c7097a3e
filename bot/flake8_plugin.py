"""The rules as a flake8 plugin, so ``tox -e pep8`` (flake8 with hacking) runs them.

Registered as the ``flake8.extension`` entry point ``GSB``; off by default like hacking's
optional checks, so installing the package changes nothing until a project asks for it
with one line in its ``[flake8]`` section: ``enable-extensions = GSB`` (or ``GSB`` in its
``select``/``extend-select``). Each finding is reported as ``GSB502 [medium] …``: the
same ``CODE text`` that ``security-bot analyze`` prints, at the same line and column, so
both tools print the same lines.

flake8 hands the plugin the file's lines and name; the plugin reads the project's own
settings (``[security-bot]`` in ``setup.cfg`` / ``tox.ini``, ``[tool.security-bot]`` in
``pyproject.toml``) from the nearest directory above the file, decides from the file's
path relative to that root whether it is test code, and runs the same
:class:`~bot.analysis.selection.Selection` as ``analyze``. flake8 handles
``# noqa: GSB502`` itself; the engine honours ``# nosec`` (and the same ``# noqa``).
Invalid settings are reported once per file as ``GSB000`` on line 1, so the pep8 job fails
with the reason instead of running with rules the project did not ask for.

Like ``analyze``, the rules see the project model of the package the file belongs to
(base classes, mixins and fixtures in other files): it is built once per package in
each flake8 process, its file summaries shared through the same disk cache.

Differences from ``analyze``, both flake8's: a file that does not parse gets flake8's
``E999`` (AST plugins do not run), and a bare ``# noqa`` hides every finding on its line.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot import __version__
from bot.analysis.codes import SETTINGS_ERROR_CODE
from bot.analysis.engine import analyze_source
from bot.analysis.formatters import finding_column, lint_text
from bot.analysis.project import ProjectModel
from bot.analysis.projectsettings import ProjectSettings
from bot.analysis.selection import Selection
from bot.projects import default_cache_dir, local_model, project_root
from bot.settings_files import find_settings, relative_to_root

__all__ = ["SecurityBotChecker"]

_STDIN_NAMES = frozenset({"-", "stdin"})
_SELECTIONS: dict[ProjectSettings, Selection] = {}
#: the top-level package directory -> its model and ``resolved file -> model path``
_MODELS: dict[Path, tuple[ProjectModel, dict[str, str]]] = {}

Report = tuple[int, int, str, type]


def _selection(settings: ProjectSettings) -> Selection:
    found = _SELECTIONS.get(settings)
    if found is None:
        found = _SELECTIONS[settings] = Selection(settings)
    return found


def _project_for(filename: str) -> ProjectModel | None:
    """The model of the package ``filename`` belongs to, named so that ``filename`` is found
    in it; None for standard input or a file outside any tree."""
    path = Path(filename)
    if not path.is_file():
        return None
    root = project_root(path)
    resolved = path.resolve()
    parts = resolved.relative_to(root).parts
    top = root / parts[0] if parts else resolved
    entry = _MODELS.get(top)
    if entry is None:
        entry = _MODELS[top] = local_model([str(top)], cache_dir=default_cache_dir())
    model, names = entry
    model.alias(filename, names.get(str(resolved), filename))
    return model


class SecurityBotChecker:
    """flake8 calls ``run()`` once per file (an AST plugin: it asks for ``tree``)."""

    name = "gerrit-security-bot"
    version = __version__
    off_by_default = True

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        # The engine parses the text itself (its walk needs its own context), so the tree
        # flake8 built is not reused; it is asked for because it makes this an AST plugin.
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[Report]:
        where = os.getcwd() if self.filename in _STDIN_NAMES else self.filename
        found = find_settings(where)
        if found.loaded.error:
            yield (
                1,
                0,
                f"{SETTINGS_ERROR_CODE} invalid security-bot settings, none applied: "
                f"{found.loaded.error}",
                type(self),
            )
            return
        selection = _selection(found.loaded.settings)
        rel = relative_to_root(self.filename, found.root)
        if selection.excluded(rel):
            return
        rules = selection.rules_for(rel)
        result = analyze_source(
            self.filename,
            "".join(self.lines),
            is_test=selection.is_test(rel),
            rules=rules,
            project=_project_for(self.filename),
        )
        for finding in selection.apply(result, rules).findings:
            yield finding.line, finding_column(finding) - 1, lint_text(finding), type(self)
