"""The project model of a revision under review, or of a local tree, built cheaply.

:class:`~bot.analysis.project.ProjectModel` is pure input data for the analysis; this
module does the I/O around it. Every Python file of the tree is summarised once per
*content*: summaries are keyed by git blob id (for a local file, the blob id git would
give it), kept in a cache -- the store's ``file_summaries`` table for the bot, a SQLite
file in a cache directory for ``security-bot analyze`` -- and in memory in front of it, so
a new patch set parses only the files it changed plus files never seen before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from bot.analysis import FileSummary, ProjectModel, summarize
from bot.analysis.summary import SUMMARY_VERSION
from bot.scm import Revision

__all__ = [
    "DiskSummaryCache",
    "MemorySummaries",
    "RevisionModels",
    "SummaryCache",
    "blob_id",
    "default_cache_dir",
    "local_model",
    "revision_model",
    "summary_cache_dir",
]

log = logging.getLogger("bot.projects")

#: files over this size are not summarised (the review's own size limit applies to them)
MAX_SUMMARY_BYTES = 2_000_000


class SummaryCache(Protocol):
    """Where summaries are kept between runs, keyed by blob id."""

    def get_many(self, keys: Sequence[str]) -> dict[str, FileSummary]: ...

    def put_many(self, items: Mapping[str, FileSummary]) -> None: ...


def blob_id(data: bytes) -> str:
    """The id git gives a blob with this content (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


class MemorySummaries:
    """An in-process LRU of decoded summaries in front of a persistent cache: a warm review
    decodes nothing."""

    def __init__(self, backing: SummaryCache | None = None, *, size: int = 50_000) -> None:
        self.backing = backing
        self.size = size
        self._items: OrderedDict[str, FileSummary] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, FileSummary]:
        found: dict[str, FileSummary] = {}
        missing: list[str] = []
        with self._lock:
            for key in keys:
                item = self._items.get(key)
                if item is None:
                    missing.append(key)
                else:
                    found[key] = item
        if missing and self.backing is not None:
            loaded = self.backing.get_many(missing)
            found.update(loaded)
            self._remember(loaded)
        return found

    def put_many(self, items: Mapping[str, FileSummary]) -> None:
        self._remember(items)
        if self.backing is not None and items:
            self.backing.put_many(items)

    def _remember(self, items: Mapping[str, FileSummary]) -> None:
        with self._lock:
            for key, value in items.items():
                self._items[key] = value
                self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class DiskSummaryCache:
    """Summaries in one SQLite file under ``directory`` (``analyze``'s cache).

    A damaged or unwritable cache never fails the analysis: it is read as empty and a
    warning is logged once.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.path = Path(directory) / f"summaries-v{SUMMARY_VERSION}.sqlite"
        self._warned = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        conn.execute("CREATE TABLE IF NOT EXISTS summaries (blob TEXT PRIMARY KEY, data BLOB)")
        return conn

    def _warn(self, exc: Exception) -> None:
        if not self._warned:
            log.warning("summary cache %s unusable, going without it: %s", self.path, exc)
            self._warned = True

    def get_many(self, keys: Sequence[str]) -> dict[str, FileSummary]:
        out: dict[str, FileSummary] = {}
        try:
            with self._connect() as conn:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT blob, data FROM summaries WHERE blob IN ({marks})",  # noqa: S608
                        chunk,
                    )
                    for key, data in rows:
                        try:
                            out[key] = FileSummary.loads(data)
                        except (ValueError, KeyError, TypeError):
                            continue  # another version or a damaged row: summarise again
        except (sqlite3.Error, OSError) as exc:
            self._warn(exc)
        return out

    def put_many(self, items: Mapping[str, FileSummary]) -> None:
        try:
            with self._connect() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO summaries (blob, data) VALUES (?, ?)",
                    [(key, value.dumps()) for key, value in items.items()],
                )
        except (sqlite3.Error, OSError) as exc:
            self._warn(exc)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/security-bot`` (``~/.cache/security-bot``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "security-bot"


def summary_cache_dir(setting: str) -> Path | None:
    """The ``analyze.summary_cache`` setting as a directory: empty for the default,
    ``"off"`` for none."""
    if setting.strip().lower() in ("off", "none", "false", "no"):
        return None
    return Path(os.path.expanduser(setting)) if setting.strip() else default_cache_dir()


def _summaries(
    files: Iterable[tuple[str, str]],
    read: Callable[[str, str], bytes | None],
    cache: SummaryCache | None,
) -> tuple[dict[str, FileSummary], int]:
    """``path -> summary`` for ``(path, blob id)`` pairs; returns how many were parsed."""
    pairs = list(files)
    keys = list(dict.fromkeys(key for _, key in pairs))
    known = cache.get_many(keys) if cache is not None else {}
    fresh: dict[str, FileSummary] = {}
    out: dict[str, FileSummary] = {}
    for path, key in pairs:
        summary = known.get(key) or fresh.get(key)
        if summary is None:
            data = read(path, key)
            if data is None:
                continue
            summary = fresh[key] = summarize(data)
        out[path] = summary
    if cache is not None and fresh:
        cache.put_many(fresh)
    return out, len(fresh)


# ------------------------------------------------------------------------- local trees


def project_root(path: Path) -> Path:
    """The directory holding the outermost package around ``path`` (a tree's import root)."""
    current = path.resolve()
    if current.is_file():
        current = current.parent
    while (current / "__init__.py").exists() and current.parent != current:
        current = current.parent
    return current


def _tree_files(root: Path, start: Path) -> list[Path]:
    """Python files of the package trees under ``root`` that ``start`` belongs to."""
    start = start.resolve()
    rel = start.relative_to(root).parts if start != root else ()
    top = root / rel[0] if rel else root
    if top.is_file():
        return [top]
    files: list[Path] = []
    for found in top.rglob("*.py"):
        parts = found.relative_to(root).parts
        if found.is_file() and not any(p.startswith(".") for p in parts):
            files.append(found)
    return files


def local_model(
    paths: Sequence[str], *, cache_dir: str | os.PathLike[str] | None = None
) -> tuple[ProjectModel, dict[str, str]]:
    """The model of the local trees ``paths`` belong to (the whole top-level package of
    each, so a base class outside ``tests/`` is seen), and ``given path -> model path``
    for every file: analysis results keep the path as the user wrote it, the model names
    files from the import root. ``cache_dir`` None means no disk cache."""
    roots: dict[Path, set[Path]] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            continue
        root = project_root(path)
        roots.setdefault(root, set()).update(_tree_files(root, path))
    cache = MemorySummaries(DiskSummaryCache(cache_dir)) if cache_dir is not None else None
    summaries: dict[str, FileSummary] = {}
    aliases: dict[str, str] = {}
    contents: dict[str, bytes] = {}
    pairs: list[tuple[str, str]] = []
    for root, files in roots.items():
        for file in sorted(files):
            try:
                data = file.read_bytes()
            except OSError:
                continue
            if len(data) > MAX_SUMMARY_BYTES:
                continue
            name = file.relative_to(root).as_posix()
            contents[name] = data
            aliases[str(file.resolve())] = name
            pairs.append((name, blob_id(data)))
    found, _ = _summaries(pairs, lambda path, _key: contents.get(path), cache)
    summaries.update(found)
    return ProjectModel(summaries), aliases


# --------------------------------------------------------------------------- revisions


def revision_model(revision: Revision, cache: SummaryCache | None) -> tuple[ProjectModel, int]:
    """The model of every Python file of ``revision``'s tree, and how many were parsed
    (not found in ``cache``). Blobs are read from the mirror's object database."""

    def read(_path: str, key: str) -> bytes | None:
        data = revision.read_blob(key)
        return data if data is not None and len(data) <= MAX_SUMMARY_BYTES else None

    summaries, parsed = _summaries(revision.python_blobs(), read, cache)
    return ProjectModel(summaries), parsed


class RevisionModels:
    """Project models for the revisions a pipeline reviews, with the summaries of every blob
    seen kept in memory in front of ``backing`` (the store's table)."""

    def __init__(self, backing: SummaryCache | None) -> None:
        self.summaries = MemorySummaries(backing)

    def for_revision(self, revision: Revision) -> ProjectModel | None:
        """The model of ``revision``'s tree; None (logged) when it cannot be built, and
        the analysis goes on with each file alone (bases from other files unknown: the
        rules that need them say less)."""
        try:
            model, parsed = revision_model(revision, self.summaries)
        except Exception:  # the review must not be lost to the model
            log.exception("no project model for %s; analysing files alone", revision.sha)
            return None
        log.debug("project model of %s: %d files, %d parsed", revision.sha, len(model), parsed)
        return model
