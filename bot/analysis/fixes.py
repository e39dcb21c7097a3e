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


def span(lines: Sequence[str], node: ast.AST) -> tuple[int, int, int, int]:
    """The node's (line, col, end_line, end_col) in character columns."""
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", None) or line
    return (
        line,
        char_col(lines, line, getattr(node, "col_offset", 0)),
        end_line,
        char_col(lines, end_line, getattr(node, "end_col_offset", 0) or 0),
    )


def text_of(source: str, where: tuple[int, int, int, int]) -> str:
    """The exact source text of a ``span`` (its own line ends and comments kept)."""
    starts = _offsets(source)
    line, col, end_line, end_col = where
    return source[starts[line - 1] + col : starts[end_line - 1] + end_col]


def insert_after(lines: Sequence[str], node: ast.AST, text: str, why: str) -> Fix:
    """Insert ``text`` right after ``node`` (``m.assert_called_once`` -> ``...()``)."""
    _, _, end_line, end_col = span(lines, node)
    return Fix(why, (Replacement(end_line, end_col, end_line, end_col, text),))


def swap(lines: Sequence[str], source: str, a: ast.AST, b: ast.AST) -> tuple[Replacement, ...]:
    """Two replacements exchanging the text of ``a`` and of ``b`` (disjoint nodes), each
    keeping its own formatting; what lies between them stays."""
    sa, sb = span(lines, a), span(lines, b)
    return (Replacement(*sa, text_of(source, sb)), Replacement(*sb, text_of(source, sa)))


_OPERATOR_GAP = re.compile(r"[\s()\\]*")


def operator_span(
    lines: Sequence[str], left: ast.AST, right: ast.AST, words: Sequence[str]
) -> tuple[int, int, int, int] | None:
    """Where the keyword operator ``words`` (``("is", "not")``) between ``left`` and ``right``
    is written, or None when it cannot be located with certainty: the words must stand on
    one line, separated by blanks only, with nothing but brackets, blanks and line
    continuations around them (a comment in the gap gives None rather than a guess)."""
    _, _, line, col = span(lines, left)
    end_line, end_col, _, _ = span(lines, right)
    if end_line != line:
        return None  # spread over lines: rare, and a comment could hide there
    gap = lines[line - 1][col:end_col]
    lead = _OPERATOR_GAP.match(gap)
    start = lead.end() if lead else 0
    words_re = re.compile(r"[ \t]+".join(re.escape(w) for w in words) + r"(?![\w])")
    found = words_re.match(gap, start)
    if found is None:
        return None
    tail = _OPERATOR_GAP.fullmatch(gap, found.end())
    if tail is None:
        return None
    return (line, col + start, line, col + found.end())


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
