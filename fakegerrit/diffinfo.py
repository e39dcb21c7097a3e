"""DiffInfo (``GET .../files/{file}/diff``) built with difflib."""

from __future__ import annotations

import difflib
import re
from typing import Any

WHITESPACE = ("IGNORE_NONE", "IGNORE_TRAILING", "IGNORE_LEADING_AND_TRAILING", "IGNORE_ALL")


def _norm(line: str, whitespace: str) -> str:
    if whitespace == "IGNORE_TRAILING":
        return line.rstrip()
    if whitespace == "IGNORE_LEADING_AND_TRAILING":
        return line.strip()
    if whitespace == "IGNORE_ALL":
        return re.sub(r"\s+", "", line)
    return line


def _split(text: str) -> list[str]:
    if not text:
        return []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _edits(a: str, b: str) -> tuple[list[list[int]], list[list[int]]]:
    """Intraline edits as [skip, mark] pairs over the joined lines."""
    ea: list[list[int]] = []
    eb: list[list[int]] = []
    pa = pb = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            ea.append([i1 - pa, i2 - i1])
            pa = i2
        if j2 > j1:
            eb.append([j1 - pb, j2 - j1])
            pb = j2
    return ea, eb


def diff_content(
    old: str, new: str, *, context: int | None, whitespace: str, intraline: bool
) -> list[dict[str, Any]]:
    a, b = _split(old), _split(new)
    matcher = difflib.SequenceMatcher(
        None, [_norm(x, whitespace) for x in a], [_norm(x, whitespace) for x in b], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    out: list[dict[str, Any]] = []
    for idx, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            lines = b[j1:j2]
            n = len(lines)
            if context is None or n <= 2 * context:
                out.append({"ab": lines})
                continue
            first, last = idx == 0, idx == len(opcodes) - 1
            head = 0 if first else context
            tail = 0 if last else context
            if n - head - tail <= 0:
                out.append({"ab": lines})
                continue
            if head:
                out.append({"ab": lines[:head]})
            out.append({"skip": n - head - tail})
            if tail:
                out.append({"ab": lines[n - tail :]})
            continue
        entry: dict[str, Any] = {}
        if i2 > i1:
            entry["a"] = a[i1:i2]
        if j2 > j1:
            entry["b"] = b[j1:j2]
        if intraline and "a" in entry and "b" in entry:
            ea, eb = _edits("\n".join(entry["a"]) + "\n", "\n".join(entry["b"]) + "\n")
            entry["edit_a"] = ea
            entry["edit_b"] = eb
        out.append(entry)
    if context is not None and len(opcodes) == 1 and opcodes[0][0] == "equal" and b:
        # An unchanged file: Gerrit skips everything but the context.
        return [{"skip": len(b)}] if context == 0 else out
    return out


def count_lines(text: str) -> int:
    return len(_split(text))
