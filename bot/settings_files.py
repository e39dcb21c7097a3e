"""Finding a project's settings files on disk, for ``security-bot analyze`` and the flake8 plugin.

The settings themselves are parsed by :mod:`bot.analysis.projectsettings` (text in,
settings out); this module only finds and reads the files. From a file's directory it
walks up to the nearest directory whose ``pyproject.toml``, ``setup.cfg`` or ``tox.ini``
has a section for us: that directory is the project's root, and paths are matched
relative to it. The walk stops at the top of a git work tree (a directory holding
``.git``), so settings never leak in from outside the repository. The bot itself does not
use this module: it reads the same files from the change's target branch in its mirror.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.analysis.projectsettings import (
    MAX_SETTINGS_BYTES,
    SETTINGS_FILES,
    LoadedSettings,
    load_settings,
)

__all__ = ["ProjectRoot", "clear_cache", "find_settings", "relative_to_root"]


@dataclass(frozen=True)
class ProjectRoot:
    """Where a file's settings come from: ``root`` None when no file has a section."""

    root: Path | None
    loaded: LoadedSettings

    @property
    def label(self) -> str:
        """``setup.cfg [security-bot]`` with the root's path, for messages."""
        if self.root is None:
            return ""
        return f"{self.root / self.loaded.source}"


def _read(path: Path) -> bytes | None:
    """The file's bytes (one over the size limit at most: enough for the parser to refuse
    it), None when it does not exist; OSError when it exists and cannot be read."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        return None


@lru_cache(maxsize=256)
def _settings_in(directory: Path) -> LoadedSettings | None:
    """The settings in ``directory``'s own files; None when none of them has a section."""
    files: dict[str, bytes | None] = {}
    for name in SETTINGS_FILES:
        try:
            files[name] = _read(directory / name)
        except OSError as exc:
            return LoadedSettings(error=f"{name}: cannot be read: {exc.strerror or exc}")
    if not any(v is not None for v in files.values()):
        return None
    loaded = load_settings(files)
    if loaded.error or loaded.source:
        return loaded
    return None


@lru_cache(maxsize=1024)
def _find_from(directory: Path) -> ProjectRoot:
    current = directory
    while True:
        loaded = _settings_in(current)
        if loaded is not None:
            return ProjectRoot(current, loaded)
        if (current / ".git").exists() or current.parent == current:
            return ProjectRoot(None, LoadedSettings())
        current = current.parent


def clear_cache() -> None:
    """Forget what was read: files may have changed since (one run of a command reads
    each directory once; a process that runs several, such as a test, starts afresh)."""
    _settings_in.cache_clear()
    _find_from.cache_clear()


def find_settings(path: str | os.PathLike[str]) -> ProjectRoot:
    """The settings that apply to the file or directory ``path``."""
    start = Path(os.path.abspath(path))
    return _find_from(start if start.is_dir() else start.parent)


def relative_to_root(path: str | os.PathLike[str], root: Path | None) -> str:
    """``path`` relative to the project's ``root`` with ``/`` separators (as given when it
    is not inside the root, or there is no root)."""
    text = os.fspath(path)
    if root is not None:
        try:
            return Path(os.path.abspath(text)).relative_to(root).as_posix()
        except ValueError:
            pass
    return Path(text).as_posix()
