"""Decide whether a repository path is test code.

Paths are relative to the repository root with ``/`` separators. Globs use
``**`` for zero or more directories, ``*`` and ``?`` within one path segment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["DEFAULT_TEST_GLOBS", "TestPathMatcher", "glob_to_regex"]

DEFAULT_TEST_GLOBS: tuple[str, ...] = (
    "**/tests/**",
    "**/test/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
    "**/testing/**",
    "**/tests/**/fixtures.py",
)


@lru_cache(maxsize=256)
def glob_to_regex(glob: str) -> re.Pattern[str]:
    """Translate a path glob into an anchored regular expression."""
    parts = glob.strip("/").split("/")
    out: list[str] = []
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if part == "**":
            # zero or more whole directories (or, at the end, anything below)
            out.append(".*" if i == last else "(?:[^/]+/)*")
            continue
        seg = "".join(
            "[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch) for ch in part
        )
        out.append(seg if i == last else seg + "/")
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _normalise(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


class TestPathMatcher:
    """``is_test(path)`` is True when ``path`` matches any of the globs."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, globs: Sequence[str] = DEFAULT_TEST_GLOBS) -> None:
        self.globs: tuple[str, ...] = tuple(globs)
        self._patterns = tuple(glob_to_regex(g) for g in self.globs)

    def is_test(self, path: str) -> bool:
        norm = _normalise(path)
        return any(p.match(norm) for p in self._patterns)

    def __repr__(self) -> str:
        return f"TestPathMatcher({list(self.globs)!r})"
