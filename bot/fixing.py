"""``security-bot analyze --fix`` / ``--fix-diff``: apply the findings' fixes to local files.

Kept apart from ``bot.analyze`` (which finds) because this writes: it refuses a file whose
bytes changed since they were analysed (their SHA-256 is on the ``FileResult``), writes
back in the file's own encoding and line endings (it edits the decoded text and never
splits lines), and only touches files with a fix of a selected rule (the findings already
went through the selection).
"""

from __future__ import annotations

import difflib
import hashlib
import io
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.analysis import FileResult
from bot.analysis.fixes import FixConflict, apply_fixes

__all__ = ["FixOutcome", "fix_files", "sha256"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class FixOutcome:
    """What ``fix_files`` did: fixes applied, files changed, the diff, files refused."""

    applied: int = 0
    files: list[str] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "path: why", one per file


def _decode(data: bytes) -> tuple[str, str, bool]:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    bom = text.startswith("\ufeff")
    return (text[1:] if bom else text), encoding, bom


def fix_files(
    results: Iterable[FileResult], real_paths: dict[str, str], *, write: bool
) -> FixOutcome:
    """Apply every fix of ``results`` (``real_paths`` maps a shown path to the file on disk);
    with ``write`` False only compute the unified diff."""
    outcome = FixOutcome()
    for result in results:
        fixes = [f.fix for f in result.findings if f.fix is not None]
        if not fixes:
            continue
        real = real_paths.get(result.path, result.path)
        try:
            data = Path(real).read_bytes()
        except OSError as exc:
            outcome.refused.append(f"{result.path}: cannot read: {exc.strerror}")
            continue
        if not result.sha256 or sha256(data) != result.sha256:
            outcome.refused.append(f"{result.path}: changed since it was analysed, not fixed")
            continue
        try:
            text, encoding, bom = _decode(data)
            fixed, applied = apply_fixes(text, fixes)
        except (SyntaxError, LookupError, UnicodeDecodeError, FixConflict) as exc:
            outcome.refused.append(f"{result.path}: {exc}")
            continue
        if fixed == text:
            continue
        outcome.applied += applied
        outcome.files.append(result.path)
        outcome.diff.extend(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                fixed.splitlines(keepends=True),
                fromfile=f"a/{result.path}",
                tofile=f"b/{result.path}",
            )
        )
        if write:
            Path(real).write_bytes((("\ufeff" if bom else "") + fixed).encode(encoding))
    return outcome
