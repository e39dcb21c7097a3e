"""The project's own settings for a review, read from the change's target branch.

A project tunes the rules in ``[security-bot]`` of its ``setup.cfg`` / ``tox.ini`` or
``[tool.security-bot]`` of its ``pyproject.toml`` (parsed by
:mod:`bot.analysis.projectsettings`). The bot reads those files from the tip of the branch
the change targets, in its mirror, never from the patch set under review: a change that
edits ``setup.cfg`` to switch a rule off is still reviewed with the rule on, and its edit
applies once it has merged, as Zuul reads ``.zuul.yaml``. Parsed settings are cached by
the files' blob ids, so an unchanged branch costs one ref fetch and no parsing.

Whatever goes wrong (the branch cannot be fetched, a file is too large, the settings are
invalid) gives the defaults, which run every rule, one log line, and a line in the review
saying the project's settings were not applied and why. Nothing is skipped.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.analysis.projectsettings import (
    DEFAULT_SETTINGS,
    MAX_SETTINGS_BYTES,
    SETTINGS_FILES,
    LoadedSettings,
    ProjectSettings,
    load_settings,
)
from bot.analysis.selection import Selection
from bot.analysis.testpaths import DEFAULT_TEST_GLOBS
from bot.scm import Mirrors, ScmError

__all__ = ["AppliedSettings", "ProjectSettingsLoader"]

log = logging.getLogger("bot.project_settings")


@dataclass
class AppliedSettings:
    """The settings one review runs with, and what the review says about them."""

    selection: Selection
    branch: str = ""
    #: ``setup.cfg [security-bot]`` when the project's settings were applied
    source: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)
    #: why the project's settings were not applied (the defaults were), or ""
    error: str = ""
    #: changed files the settings excluded from the analysis
    excluded: int = 0

    @property
    def worth_saying(self) -> bool:
        return bool(self.source or self.error)


class ProjectSettingsLoader:
    """Reads and caches the settings of each project's branches. Thread-safe."""

    CACHE_SIZE = 256

    def __init__(
        self,
        mirrors: Mirrors,
        *,
        test_globs: Sequence[str] = DEFAULT_TEST_GLOBS,
        enabled: bool = True,
        max_age: float = 0.0,
    ) -> None:
        self.mirrors = mirrors
        #: seconds a fetched branch tip is trusted before the next review fetches it again
        self.max_age = max_age
        self.test_globs = tuple(test_globs)
        self.enabled = enabled
        self._parsed: OrderedDict[tuple[tuple[str, str], ...], LoadedSettings] = OrderedDict()
        self._selections: dict[ProjectSettings, Selection] = {}
        self._lock = threading.Lock()

    def defaults(self) -> AppliedSettings:
        return AppliedSettings(self._selection(DEFAULT_SETTINGS))

    def load(self, project: str, url: str, branch: str) -> AppliedSettings:
        """The settings on the tip of ``branch`` (the defaults, with the reason, when they
        cannot be read or are invalid)."""
        if not self.enabled or not branch:
            return self.defaults()
        try:
            loaded = self._read(project, url, branch)
        except ScmError as exc:
            log.warning(
                "project settings of %s branch %s not read, defaults used: %s", project, branch, exc
            )
            return AppliedSettings(
                self._selection(DEFAULT_SETTINGS), branch=branch, error=f"not read: {exc}"
            )
        if loaded.error:
            log.warning(
                "project settings of %s branch %s invalid, defaults used: %s",
                project,
                branch,
                loaded.error,
            )
            return AppliedSettings(
                self._selection(DEFAULT_SETTINGS), branch=branch, error=loaded.error
            )
        settings = loaded.settings
        return AppliedSettings(
            self._selection(settings),
            branch=branch,
            source=settings.source,
            items=settings.items(),
        )

    def _read(self, project: str, url: str, branch: str) -> LoadedSettings:
        _, blobs = self.mirrors.branch_blobs(
            project, url, branch, SETTINGS_FILES, max_age=self.max_age
        )
        key = tuple(sorted(blobs.items()))
        with self._lock:
            cached = self._parsed.get(key)
            if cached is not None:
                self._parsed.move_to_end(key)
                return cached
        files: dict[str, bytes | None] = {}
        for name, blob in blobs.items():
            try:
                files[name] = self.mirrors.read_blob(project, blob, MAX_SETTINGS_BYTES)
            except ScmError as exc:
                return LoadedSettings(error=f"{name}: {exc}")
        loaded = load_settings(files)
        with self._lock:
            self._parsed[key] = loaded
            while len(self._parsed) > self.CACHE_SIZE:
                self._parsed.popitem(last=False)
        return loaded

    def _selection(self, settings: ProjectSettings) -> Selection:
        with self._lock:
            found = self._selections.get(settings)
            if found is None:
                found = self._selections[settings] = Selection(settings, test_globs=self.test_globs)
                if len(self._selections) > self.CACHE_SIZE:
                    self._selections.pop(next(iter(self._selections)))
            return found
