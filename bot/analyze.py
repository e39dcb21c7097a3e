"""``security-bot analyze PATH…``: the rules on local files, like Bandit, without Gerrit.

This module does the command's I/O (file discovery, ``--diff`` through pygit2,
``--jobs`` processes, a tqdm progress bar on a terminal); the analysis and the
output formats are ``bot.analysis``'s.

Options (read with defaults, so the command works before the parser knows them):
``--format text|json|sarif``, ``--jobs N`` (processes; results identical to one
process), ``--diff REV`` (only findings on lines changed since the git revision
``REV``, work tree and index included).

Exit status: 0 no findings, 1 findings, 2 an error (a missing path, an unreadable
file, an unknown revision).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from bot import __version__
from bot.analysis import (
    FileResult,
    ProjectModel,
    Rule,
    TestPathMatcher,
    all_rules,
    analyze_source,
    print_text,
    to_json,
    to_sarif,
)
from bot.config import Config
from bot.projects import local_model, summary_cache_dir

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class AnalyzeError(Exception):
    """A user error that ends the command with exit status 2."""


def _python_files(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*.py")):
                rel = found.relative_to(path).parts
                if found.is_file() and not any(part.startswith(".") for part in rel):
                    yield found
        elif path.exists():
            yield path
        else:
            raise AnalyzeError(f"no such file or directory: {raw}")


# ----------------------------------------------------------------------------- --diff


def changed_lines_since(rev: str, paths: Sequence[str]) -> dict[str, frozenset[int]]:
    """Absolute path -> lines added or changed since ``rev`` (work tree and index).

    Files not tracked at ``rev`` (new or untracked) count as changed on every line.
    """
    import pygit2
    from pygit2.enums import DiffOption

    start = Path(paths[0] if paths else ".").resolve()
    found = pygit2.discover_repository(str(start if start.is_dir() else start.parent))
    if found is None:
        raise AnalyzeError(f"--diff: {paths[0]} is not inside a git repository")
    repo = pygit2.Repository(found)
    if repo.workdir is None:
        raise AnalyzeError("--diff: the repository has no work tree")
    try:
        tree = repo.revparse_single(rev).peel(pygit2.Tree)
    except (KeyError, ValueError, pygit2.GitError) as exc:
        raise AnalyzeError(f"--diff: unknown revision {rev!r}") from exc
    flags = (
        DiffOption.INCLUDE_UNTRACKED
        | DiffOption.RECURSE_UNTRACKED_DIRS
        | DiffOption.SHOW_UNTRACKED_CONTENT
    )
    diff = tree.diff_to_workdir(flags=flags, context_lines=0)
    workdir = Path(repo.workdir).resolve()
    out: dict[str, frozenset[int]] = {}
    for patch in diff:
        if patch is None or patch.delta.is_binary:
            continue
        new_path = patch.delta.new_file.path
        lines = {
            line.new_lineno
            for hunk in patch.hunks
            for line in hunk.lines
            if line.origin == "+" and line.new_lineno > 0
        }
        out[str(workdir / new_path)] = frozenset(lines)
    return out


# --------------------------------------------------------------------------- analysis

_WORKER_RULES: tuple[Rule, ...] | None = None
_WORKER_PROJECT: ProjectModel | None = None


def _set_project(model: ProjectModel | None) -> None:
    global _WORKER_PROJECT
    _WORKER_PROJECT = model


def _analyze_one(job: tuple[str, str, bool, frozenset[int] | None]) -> FileResult:
    global _WORKER_RULES
    rel, real, is_test, changed = job
    if _WORKER_RULES is None:
        _WORKER_RULES = all_rules()
    try:
        data = Path(real).read_bytes()
    except OSError as exc:
        result = FileResult(path=rel, is_test=is_test)
        result.error = f"cannot read: {exc.strerror}"
        return result
    return analyze_source(
        rel, data, is_test=is_test, rules=_WORKER_RULES, changed_lines=changed,
        project=_WORKER_PROJECT,
    )  # fmt: skip


class _Progress:
    """A one-line tqdm progress bar on ``stream``, only when it is a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.enabled = stream.isatty() and total > 1
        self._bar = (
            tqdm(
                total=total,
                file=stream,
                desc="analysing",
                bar_format="{desc} [{bar:30}] {n_fmt}/{total_fmt} files",
                ascii=".#",
                leave=True,
            )
            if self.enabled
            else None
        )

    def step(self) -> None:
        if self._bar is None:
            return
        self._bar.update(1)
        if self._bar.n >= self.total:
            self._bar.close()


def analyze_paths(
    paths: Sequence[str],
    *,
    matcher: TestPathMatcher | None = None,
    jobs: int = 1,
    diff: str | None = None,
    progress: TextIO | None = None,
    project: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> list[FileResult]:
    """Analyse every Python file under ``paths``; results in file order.

    With ``project`` (the default) the rules see the project model of the trees the paths
    belong to (``bot.projects.local_model``), its file summaries cached in ``cache_dir``
    (None: no cache).
    """
    matcher = matcher or TestPathMatcher()
    files = list(_python_files(paths))
    changed = changed_lines_since(diff, paths) if diff else None
    work: list[tuple[str, str, bool, frozenset[int] | None]] = []
    for path in files:
        rel = path.as_posix()
        lines: frozenset[int] | None = None
        if changed is not None:
            lines = changed.get(str(path.resolve()))
            if not lines:
                continue  # unchanged since REV: nothing to report
        work.append((rel, str(path), matcher.is_test(rel), lines))
    model: ProjectModel | None = None
    if project and work:
        model, names = local_model(paths, cache_dir=cache_dir)
        for rel, real, _, _ in work:
            model.alias(rel, names.get(str(Path(real).resolve()), rel))
    bar = _Progress(len(work), progress or sys.stderr)
    results: list[FileResult] = []
    jobs = max(1, int(jobs or 1))
    if jobs == 1 or len(work) < 2:
        _set_project(model)
        try:
            for item in work:
                results.append(_analyze_one(item))
                bar.step()
        finally:
            _set_project(None)
        return results
    chunk = max(1, min(16, len(work) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_set_project,
                             initargs=(model,)) as pool:  # fmt: skip
        for result in pool.map(_analyze_one, work, chunksize=chunk):
            results.append(result)
            bar.step()
    return results


def run(args: argparse.Namespace, config: Config) -> int:
    matcher = TestPathMatcher(config.review.test_globs)
    fmt = getattr(args, "format", "text") or "text"
    jobs = getattr(args, "jobs", 1) or 1
    if jobs < 0 or jobs == 0:
        jobs = os.cpu_count() or 1
    diff = getattr(args, "diff", None)
    try:
        results = analyze_paths(
            args.paths, matcher=matcher, jobs=jobs, diff=diff,
            cache_dir=summary_cache_dir(config.analyze.summary_cache),
        )  # fmt: skip
    except AnalyzeError as exc:
        print(f"security-bot: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if fmt == "json":
        print(json.dumps(to_json(results, tool_version=__version__), indent=2))
    elif fmt == "sarif":
        print(json.dumps(to_sarif(results, tool_version=__version__), indent=2))
    else:
        print_text(results, sys.stdout, sys.stderr)
    if any(r.error and r.error.startswith("cannot read") for r in results):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(r.findings for r in results) else EXIT_OK
