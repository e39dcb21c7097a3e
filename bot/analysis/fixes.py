"""Mechanical fixes carried by findings, and applying them to source text.

A fix is data (exact ranges and replacement text) so that every consumer — ``analyze
--fix``, ``--fix-diff``, SARIF ``fixes`` — applies the same edit the rule computed.
Rules attach one only when it is certain and changes nothing but the defect.

Positions: ``line`` is 1-based, ``col`` is a 0-based *character* column (SARIF's
``charOffset`` style, not the parser's UTF-8 byte offset; ``char_col`` converts).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Replacement:
    """Replace the text from (start_line, start_col) up to (end_line, end_col) by ``text``."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "start_line": self.start_line,
            "start_col": self.start_col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "text": self.text,
        }


@dataclass(frozen=True)
class Fix:
    """One finding's fix: its replacements (non-overlapping) and a one-line description."""

    description: str
    replacements: tuple[Replacement, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "replacements": [r.to_json() for r in self.replacements],
        }


class FixConflict(ValueError):
    """Two replacements overlap, or a range lies outside the text."""


def char_col(lines: Sequence[str], line: int, byte_col: int) -> int:
    """The character column of the parser's UTF-8 ``byte_col`` on 1-based ``line``."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def rename_attribute(lines: Sequence[str], node: ast.Attribute, new: str, why: str) -> Fix:
    """Replace the attribute name of ``node`` (``x.old`` -> ``x.new``), keeping ``x`` and any
    spacing or comments between the dot and the name untouched: the name is always the
    last ``len(attr)`` characters of the node."""
    end_line = node.end_lineno or node.lineno
    end = char_col(lines, end_line, node.end_col_offset or 0)
    start = end - len(node.attr)
    return Fix(why, (Replacement(end_line, start, end_line, end, new),))


def _offsets(text: str) -> list[int]:
    # the line ends the tokenizer (and so the AST's line numbers) knows: \r\n, \r, \n
    return [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]


def _overlaps(a: int, b: int, ta: int, tb: int) -> bool:
    """True when [a, b) and [ta, tb) share a character, or are two insertions at one spot."""
    return (a < tb and ta < b) or a == b == ta == tb


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """``text`` with every fix applied, and how many fixes were applied.

    A fix whose replacements overlap one already taken is skipped (not an error: a second
    run of ``analyze --fix`` picks it up), so two findings on one call cannot corrupt it.
    """
    starts = _offsets(text)

    def pos(line: int, col: int) -> int:
        if not 0 < line <= len(starts):
            raise FixConflict(f"line {line} outside the file")
        offset = starts[line - 1] + col
        if offset > len(text):
            raise FixConflict(f"column {col} outside line {line}")
        return offset

    taken: list[tuple[int, int, str]] = []
    applied = 0
    for fix in fixes:
        spans = [(pos(r.start_line, r.start_col), pos(r.end_line, r.end_col), r.text)
                 for r in fix.replacements]  # fmt: skip
        if any(a > b for a, b, _ in spans):
            raise FixConflict(f"empty-or-reversed range in {fix.description!r}")
        if any(_overlaps(a, b, ta, tb) for a, b, _ in spans for ta, tb, _ in taken):
            continue
        taken.extend(spans)
        applied += 1
    out = text
    for a, b, new in sorted(taken, reverse=True):
        out = out[:a] + new + out[b:]
    return out, applied
