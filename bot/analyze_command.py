"""``security-bot analyze PATH…``: the rules on local files, like Bandit, without Gerrit.

Exit status: 0 no findings, 1 findings, 2 an error (a missing path, an unreadable file).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.analysis.engine import analyze_source
from bot.analysis.model import FileResult
from bot.analysis.registry import all_rules
from bot.analysis.testpaths import TestPathMatcher
from bot.config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _python_files(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*.py")):
                if found.is_file() and not any(part.startswith(".") for part in found.parts):
                    yield found
        elif path.exists():
            yield path
        else:
            raise FileNotFoundError(raw)


def run(args: argparse.Namespace, config: Config) -> int:
    matcher = TestPathMatcher(config.review.test_globs)
    rules = all_rules()
    results: list[FileResult] = []
    try:
        files = list(_python_files(args.paths))
    except FileNotFoundError as exc:
        print(f"security-bot: no such file or directory: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for path in files:
        rel = path.as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"security-bot: cannot read {rel}: {exc.strerror}", file=sys.stderr)
            return EXIT_ERROR
        results.append(analyze_source(rel, data, is_test=matcher.is_test(rel), rules=rules))
    findings = [f for r in results for f in r.findings]
    if args.format == "json":
        out: dict[str, Any] = {
            "version": __version__,
            "files": len(results),
            "findings": [f.to_json() for f in findings],
            "errors": [{"path": r.path, "error": r.error} for r in results if r.error],
            "suppressed": sum(len(r.suppressed) for r in results),
        }
        print(json.dumps(out, indent=2))
    else:
        for f in findings:
            print(f"{f.path}:{f.line}: {f.severity.value} {f.rule} (CWE-{f.cwe}) {f.message}")
        for r in results:
            if r.error:
                print(f"{r.path}: could not analyse: {r.error}", file=sys.stderr)
        print(f"{len(findings)} finding(s) in {len(results)} file(s)", file=sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_OK
