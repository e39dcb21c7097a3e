"""``security-bot analyze PATH…``: the rules on local files, like Bandit, without Gerrit.

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
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from bot import __version__
from bot.analysis.engine import analyze_source
from bot.analysis.model import FileResult, Finding, Severity
from bot.analysis.registry import Rule, all_rules
from bot.analysis.testpaths import TestPathMatcher
from bot.config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://opendev.org/"
_SARIF_LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub code scanning ranks security results by a 0-10 "security-severity".
_SECURITY_SEVERITY = {Severity.HIGH: "8.0", Severity.MEDIUM: "5.0", Severity.LOW: "2.0"}


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
    return analyze_source(rel, data, is_test=is_test, rules=_WORKER_RULES, changed_lines=changed)


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.enabled = stream.isatty() and total > 1
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.done != self.total and self.done % max(1, self.total // 200):
            return
        width = 30
        filled = width * self.done // self.total
        self.stream.write(
            f"\ranalysing [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files"
        )
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def analyze_paths(
    paths: Sequence[str],
    *,
    matcher: TestPathMatcher | None = None,
    jobs: int = 1,
    diff: str | None = None,
    progress: TextIO | None = None,
) -> list[FileResult]:
    """Analyse every Python file under ``paths``; results in file order."""
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
    bar = _Progress(len(work), progress or sys.stderr)
    results: list[FileResult] = []
    jobs = max(1, int(jobs or 1))
    if jobs == 1 or len(work) < 2:
        for item in work:
            results.append(_analyze_one(item))
            bar.step()
        return results
    chunk = max(1, min(16, len(work) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(_analyze_one, work, chunksize=chunk):
            results.append(result)
            bar.step()
    return results


# ---------------------------------------------------------------------------- output


def to_json(results: Sequence[FileResult]) -> dict[str, Any]:
    suppressed = [s for r in results for s in r.suppressed]
    return {
        "version": __version__,
        "files": len(results),
        "findings": [f.to_json() for r in results for f in r.findings],
        "errors": [{"path": r.path, "error": r.error} for r in results if r.error],
        "suppressed": len(suppressed),
        "suppressed_by_rule": dict(sorted(Counter(s.finding.rule for s in suppressed).items())),
    }


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    severity = max(rule.severity_test, rule.severity_other, key=lambda s: s.rank)
    return {
        "id": rule.id,
        "name": "".join(p.capitalize() for p in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} (CWE-{rule.cwe}: {rule.cwe_name})."},
        "help": {"text": rule.recommendation.replace("{", "").replace("}", "")},
        "helpUri": f"https://cwe.mitre.org/data/definitions/{rule.cwe}.html",
        "defaultConfiguration": {"level": _SARIF_LEVEL[severity]},
        "properties": {
            "tags": ["security", f"external/cwe/cwe-{rule.cwe}"]
            + [f"external/cwe/cwe-{p}" for p in rule.pillars if p != rule.cwe],
            "security-severity": _SECURITY_SEVERITY[severity],
            "precision": {"high": "high", "medium": "medium", "low": "low"}[rule.confidence],
        },
    }


def _sarif_result(finding: Finding, index: dict[str, int], justification: str | None) -> dict:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": f"{finding.message} {finding.recommendation}".strip()},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.path.lstrip("/"), "uriBaseId": "SRCROOT"},
                    "region": {
                        "startLine": finding.line,
                        "endLine": max(finding.line, finding.end_line),
                        "snippet": {"text": finding.code},
                    },
                }
            }
        ],
        "partialFingerprints": {"securityBotFingerprint/v1": finding.fingerprint},
        "properties": {"severity": finding.severity.value, "cwe": f"CWE-{finding.cwe}"},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if justification is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": justification}]
    return result


def to_sarif(results: Sequence[FileResult], rules: Iterable[Rule] | None = None) -> dict:
    """A SARIF 2.1.0 log that GitHub code scanning accepts."""
    catalogue = list(rules if rules is not None else all_rules())
    index = {r.id: i for i, r in enumerate(catalogue)}
    sarif_results = [_sarif_result(f, index, None) for r in results for f in r.findings]
    sarif_results += [
        _sarif_result(s.finding, index, s.comment) for r in results for s in r.suppressed
    ]
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"could not analyse: {r.error}"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": r.path, "uriBaseId": "SRCROOT"}}}
            ],
        }
        for r in results
        if r.error
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "security-bot",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(r) for r in catalogue],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": sarif_results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def _print_text(results: Sequence[FileResult], out: TextIO, err: TextIO) -> None:
    findings = [f for r in results for f in r.findings]
    for f in findings:
        print(f"{f.path}:{f.line}: {f.severity.value} {f.rule} (CWE-{f.cwe}) {f.message}", file=out)
    for r in results:
        if r.error:
            print(f"{r.path}: could not analyse: {r.error}", file=err)
    suppressed = sum(len(r.suppressed) for r in results)
    tail = f", {suppressed} suppressed by # nosec" if suppressed else ""
    print(f"{len(findings)} finding(s) in {len(results)} file(s){tail}", file=err)


def run(args: argparse.Namespace, config: Config) -> int:
    matcher = TestPathMatcher(config.review.test_globs)
    fmt = getattr(args, "format", "text") or "text"
    jobs = getattr(args, "jobs", 1) or 1
    if jobs < 0 or jobs == 0:
        jobs = os.cpu_count() or 1
    diff = getattr(args, "diff", None)
    try:
        results = analyze_paths(args.paths, matcher=matcher, jobs=jobs, diff=diff)
    except AnalyzeError as exc:
        print(f"security-bot: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if fmt == "json":
        print(json.dumps(to_json(results), indent=2))
    elif fmt == "sarif":
        print(json.dumps(to_sarif(results), indent=2))
    else:
        _print_text(results, sys.stdout, sys.stderr)
    if any(r.error and r.error.startswith("cannot read") for r in results):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(r.findings for r in results) else EXIT_OK
