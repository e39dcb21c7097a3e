"""``security-bot analyze PATH…``: the rules on local files, as a linter, without Gerrit.

It takes the options a Bandit or Ruff user expects: ``--select`` / ``--ignore`` (rule
ids, codes or code prefixes), ``--severity`` (the lowest reported), ``--exclude``,
``--baseline`` (only findings not in an earlier JSON report), ``--exit-zero``,
``--output``; and prints ``path:line:col: CODE text`` lines, as the flake8 plugin does.
The project's own settings (``[tool.security-bot]`` in ``pyproject.toml``, or
``[security-bot]`` in ``setup.cfg`` / ``tox.ini``) are read from the nearest directory
above each file that has them (:mod:`bot.settings_files`), and the options go on top:
``--select`` and ``--severity`` replace the project's, ``--ignore`` and ``--exclude`` add
to them; ``--isolated`` reads no project settings.

This module does the command's I/O (file discovery, ``--diff`` through pygit2, ``--jobs``
processes, a tqdm progress bar on a terminal); the analysis, the settings and the output
formats are ``bot.analysis``'s.

Exit status: 0 no findings (or ``--exit-zero``), 1 findings, 2 an error (a missing path,
an unreadable file, an unknown revision, invalid settings or options, a bad baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from bot import __version__
from bot.analysis import FileResult, Finding, ProjectModel, print_text, to_json, to_sarif
from bot.analysis.engine import analyze_source
from bot.analysis.projectsettings import ProjectSettings, SettingsError, validate_selectors
from bot.analysis.selection import Selection, normalise_path
from bot.analysis.testpaths import DEFAULT_TEST_GLOBS
from bot.config import Config
from bot.fixing import fix_files, sha256
from bot.projects import local_model, summary_cache_dir
from bot.settings_files import ProjectRoot, clear_cache, find_settings, relative_to_root

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

__all__ = [
    "AnalyzeError",
    "Options",
    "add_arguments",
    "analyze_paths",
    "apply_baseline",
    "changed_lines_since",
    "run",
]


class AnalyzeError(Exception):
    """A user error that ends the command with exit status 2."""


@dataclass(frozen=True)
class Options:
    """The command-line options that go on top of each project's settings."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: str | None = None
    exclude: tuple[str, ...] = ()
    isolated: bool = False

    def settings_for(self, found: ProjectRoot) -> ProjectSettings:
        base = ProjectSettings() if self.isolated else found.loaded.settings
        return base.merged(
            select=self.select, ignore=self.ignore, severity=self.severity, exclude=self.exclude
        )


def _python_files(paths: Sequence[str]) -> Iterator[tuple[str, Path]]:
    """(the path as shown, the file) for every Python file under ``paths``; shown as the
    argument spelled it, joined with the path below it (``./pkg/a.py`` for ``.``, as
    flake8 prints it)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*.py")):
                rel = found.relative_to(path)
                if found.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield os.path.join(raw, rel.as_posix()).replace(os.sep, "/"), found
        elif path.exists():
            yield raw, path
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

#: (shown path, real path, path relative to the project root, settings, test globs, lines)
_Job = tuple[str, str, str, ProjectSettings, tuple[str, ...], frozenset[int] | None]
_SELECTIONS: dict[tuple[ProjectSettings, tuple[str, ...]], Selection] = {}
#: the project model the rules see, in this process (set around a run, or per worker)
_WORKER_PROJECT: ProjectModel | None = None


def _set_project(model: ProjectModel | None) -> None:
    global _WORKER_PROJECT
    _WORKER_PROJECT = model


def _selection(settings: ProjectSettings, test_globs: tuple[str, ...]) -> Selection:
    """One Selection per settings in each process (the rules are loaded once)."""
    key = (settings, test_globs)
    found = _SELECTIONS.get(key)
    if found is None:
        found = _SELECTIONS[key] = Selection(settings, test_globs=test_globs)
    return found


def _analyze_one(job: _Job) -> FileResult:
    shown, real, rel, settings, test_globs, changed = job
    selection = _selection(settings, test_globs)
    is_test = selection.is_test(rel)
    try:
        data = Path(real).read_bytes()
    except OSError as exc:
        result = FileResult(path=shown, is_test=is_test)
        result.error = f"cannot read: {exc.strerror}"
        return result
    rules = selection.rules_for(rel)
    result = analyze_source(
        shown, data, is_test=is_test, rules=rules, changed_lines=changed,
        project=_WORKER_PROJECT,
    )  # fmt: skip
    result = selection.apply(result, rules)
    result.sha256 = sha256(data)
    return result


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


def _settings_error(found: ProjectRoot) -> AnalyzeError:
    where = f"{found.root}{os.sep}" if found.root is not None else ""
    return AnalyzeError(f"{where}{found.loaded.error}; fix the settings or pass --isolated")


def _jobs_for(
    files: Iterable[tuple[str, Path]],
    options: Options,
    test_globs: tuple[str, ...],
    changed: dict[str, frozenset[int]] | None,
) -> list[_Job]:
    work: list[_Job] = []
    for shown, path in files:
        found = find_settings(path)
        if found.loaded.error and not options.isolated:
            raise _settings_error(found)
        settings = options.settings_for(found)
        rel = relative_to_root(path, None if options.isolated else found.root)
        if settings.exclude and _selection(settings, test_globs).excluded(rel):
            continue
        lines: frozenset[int] | None = None
        if changed is not None:
            lines = changed.get(str(path.resolve()))
            if not lines:
                continue  # unchanged since REV: nothing to report
        work.append((shown, str(path), rel, settings, test_globs, lines))
    return work


def analyze_paths(
    paths: Sequence[str],
    *,
    options: Options | None = None,
    test_globs: Sequence[str] = DEFAULT_TEST_GLOBS,
    jobs: int = 1,
    diff: str | None = None,
    progress: TextIO | None = None,
    project: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> list[FileResult]:
    """Analyse every Python file under ``paths`` with each file's project settings and the
    ``options`` on top; results in file order.

    With ``project`` (the default) the rules see the project model of the trees the paths
    belong to (``bot.projects.local_model``), its file summaries cached in ``cache_dir``
    (None: no cache).
    """
    options = options or Options()
    clear_cache()
    files = list(_python_files(paths))
    changed = changed_lines_since(diff, paths) if diff else None
    work = _jobs_for(files, options, tuple(test_globs), changed)
    model: ProjectModel | None = None
    if project and work:
        model, names = local_model(paths, cache_dir=cache_dir)
        for shown, real, *_ in work:
            model.alias(shown, names.get(str(Path(real).resolve()), shown))
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
    with ProcessPoolExecutor(max_workers=jobs, initializer=_set_project, initargs=(model,)) as pool:
        for result in pool.map(_analyze_one, work, chunksize=chunk):
            results.append(result)
            bar.step()
    return results


# --------------------------------------------------------------------------- baseline


def _baseline_entries(path: str) -> dict[tuple[str, str], list[int]]:
    """(path, fingerprint) -> the lines it was on, from a ``--format json`` report."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnalyzeError(f"--baseline: cannot read {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AnalyzeError(f"--baseline: {path} is not JSON: {exc}") from None
    findings = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(findings, list):
        raise AnalyzeError(
            f"--baseline: {path} is not a report of `security-bot analyze --format json`"
        )
    entries: dict[tuple[str, str], list[int]] = {}
    for item in findings:
        try:
            key = (normalise_path(str(item["path"])), str(item["fingerprint"]))
            line = int(item.get("line", 0))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise AnalyzeError(
                f"--baseline: {path} has a finding without path and fingerprint"
            ) from None
        entries.setdefault(key, []).append(line)
    return entries


def _new_in_group(findings: list[Finding], known_lines: list[int]) -> list[Finding]:
    """Of findings sharing one fingerprint in one file, the ones the baseline does not
    account for: those still on a baseline line are matched first, the rest in order."""
    if len(findings) <= len(known_lines):
        return []
    remaining = list(known_lines)
    unmatched: list[Finding] = []
    for f in findings:
        if f.line in remaining:
            remaining.remove(f.line)
        else:
            unmatched.append(f)
    return unmatched[len(remaining) :]


def apply_baseline(results: list[FileResult], baseline: str) -> int:
    """Keep only findings that are not in the ``baseline`` report; returns how many were
    dropped. A finding matches by path and fingerprint (rule, code, enclosing function),
    not by line, so findings that only moved are still known."""
    entries = _baseline_entries(baseline)
    dropped = 0
    for result in results:
        groups: dict[tuple[str, str], list[Finding]] = {}
        for f in result.findings:
            groups.setdefault((normalise_path(f.path), f.fingerprint), []).append(f)
        new: set[int] = set()
        for key, group in groups.items():
            new.update(id(f) for f in _new_in_group(group, entries.get(key, [])))
        kept = [f for f in result.findings if id(f) in new]
        dropped += len(result.findings) - len(kept)
        result.findings = kept
    return dropped


# ------------------------------------------------------------------------------ command


def _selectors(values: Sequence[str] | None, option: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    items = [part for value in values for part in value.replace(",", " ").split()]
    try:
        return validate_selectors(items, option)
    except SettingsError as exc:
        raise AnalyzeError(str(exc)) from None


def _globs(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(g for value in values or () for g in value.split(",") if g.strip())


def options_from(args: argparse.Namespace) -> Options:
    """The :class:`Options` of parsed arguments (missing ones take their defaults)."""
    return Options(
        select=_selectors(getattr(args, "select", None), "--select"),
        ignore=_selectors(getattr(args, "ignore", None), "--ignore") or (),
        severity=getattr(args, "severity", None),
        exclude=_globs(getattr(args, "exclude", None)),
        isolated=bool(getattr(args, "isolated", False)),
    )


def _write_report(results: list[FileResult], fmt: str, out: TextIO, known: int) -> None:
    if fmt == "json":
        doc: dict[str, Any] = to_json(results, tool_version=__version__)
        out.write(json.dumps(doc, indent=2) + "\n")
    elif fmt == "sarif":
        out.write(json.dumps(to_sarif(results, tool_version=__version__), indent=2) + "\n")
    else:
        print_text(results, out, sys.stderr, known=known)


def _open_output(output: str | None) -> Any:
    if not output:
        return nullcontext(sys.stdout)
    try:
        return open(output, "w", encoding="utf-8")  # closed by the caller's with
    except OSError as exc:
        raise AnalyzeError(f"--output: cannot write {output}: {exc.strerror}") from None


def run(args: argparse.Namespace, config: Config) -> int:
    fmt = getattr(args, "format", "text") or "text"
    jobs = getattr(args, "jobs", 1) or 1
    if jobs < 0 or jobs == 0:
        jobs = os.cpu_count() or 1
    baseline = getattr(args, "baseline", None)
    try:
        options = options_from(args)
        results = analyze_paths(
            args.paths,
            options=options,
            test_globs=config.review.test_globs,
            jobs=jobs,
            diff=getattr(args, "diff", None),
            cache_dir=summary_cache_dir(config.analyze.summary_cache),
        )
        known = apply_baseline(results, baseline) if baseline else 0
        fixing, show = getattr(args, "fix", False), getattr(args, "fix_diff", False)
        if fixing or show:
            return _run_fixes(args.paths, results, write=fixing, show=show)
        with _open_output(getattr(args, "output", None)) as out:
            _write_report(results, fmt, out, known)
    except AnalyzeError as exc:
        print(f"security-bot: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if any(r.error and r.error.startswith("cannot read") for r in results):
        return EXIT_ERROR
    if getattr(args, "exit_zero", False):
        return EXIT_OK
    return EXIT_FINDINGS if any(r.findings for r in results) else EXIT_OK


def _run_fixes(paths: Sequence[str], results: list[FileResult], *, write: bool, show: bool) -> int:
    """``--fix`` / ``--fix-diff``: apply (or only show) the fixes of the reported findings.

    Exit 0 when every finding had a fix and it was applied (or, with ``--fix-diff`` alone,
    when there was nothing to fix); 1 when findings without a fix remain or a diff was shown;
    2 when a file was refused.
    """
    real = {shown: str(path) for shown, path in _python_files(paths)}
    outcome = fix_files(results, real, write=write)
    if show:
        sys.stdout.writelines(outcome.diff)
    for line in outcome.refused:
        print(f"security-bot: {line}", file=sys.stderr)
    left = sum(1 for r in results for f in r.findings if f.fix is None)
    verb = "fixed" if write else "would fix"
    print(
        f"security-bot: {verb} {outcome.applied} finding(s) in {len(outcome.files)} file(s); "
        f"{left} finding(s) without a fix",
        file=sys.stderr,
    )
    if outcome.refused:
        return EXIT_ERROR
    return EXIT_FINDINGS if left or (outcome.diff and not write) else EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``security-bot analyze`` (``bot.cli`` builds the sub-command)."""
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    parser.add_argument(
        "-o", "--output", metavar="FILE", default=None, help="write the report to FILE"
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="only these rule ids, codes or code prefixes (GSB1,shell-injection); repeatable",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="RULES",
        help="not these rule ids, codes or code prefixes, on top of the project's; repeatable",
    )
    parser.add_argument(
        "--severity",
        choices=["low", "medium", "high"],
        default=None,
        help="report only findings of this severity or higher (default: the project's, or low)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="GLOBS",
        help="gitignore-style globs of files not to analyse (comma-separated); repeatable",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        default=None,
        help="report only findings not in this earlier --format json report",
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    parser.add_argument(
        "--isolated", action="store_true", help="read no project settings (pyproject/setup.cfg)"
    )
    parser.add_argument(
        "--diff",
        metavar="REV",
        default=None,
        help="only report findings on lines changed since this git revision",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply the fixes of the reported findings in place (only the selected rules)",
    )
    parser.add_argument(
        "--fix-diff",
        action="store_true",
        help="print the fixes as a unified diff; write nothing (unless --fix too)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="analyse files in this many processes (0: one per core)"
    )
