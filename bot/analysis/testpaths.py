"""Decide whether a repository path is test code.

Paths are relative to the repository root with ``/`` separators. Globs use
``**`` for zero or more directories, ``*`` and ``?`` within one path segment, and
match the whole path from the repository root (``*.py`` is a file at the top only).

The matching is pathspec's gitignore patterns, used the way this bot always read
its globs: each glob is anchored at the root (so a leading ``!`` or ``#`` is no
negation or comment); ``[`` and ``\\`` stay literal characters; and a glob that
does not end in ``/**`` names the path itself, not a directory whose contents all
match (gitignore's ``conftest.py`` would also cover ``conftest.py/x.py``). That last
rule is kept by matching ``<glob>/<marker>`` against ``<path>/<marker>``, where the
marker is a segment no real path contains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pathspec import GitIgnoreSpec

__all__ = ["DEFAULT_TEST_GLOBS", "TestPathMatcher"]

DEFAULT_TEST_GLOBS: tuple[str, ...] = (
    "**/tests/**",
    "**/test/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
    "**/testing/**",
    "**/tests/**/fixtures.py",
)

# A last path segment no repository path has (git and POSIX forbid NUL in names): a glob
# that must match the whole path matches "<path>/<marker>" only through its last segment.
_MARKER = "\x00"
_GITIGNORE_SPECIAL = re.compile(r"([\\\[])")


def _pattern(glob: str) -> tuple[str, bool]:
    """The gitignore pattern for ``glob`` and whether it is matched with the marker."""
    glob = glob.strip("/")
    escaped = _GITIGNORE_SPECIAL.sub(r"\\\1", glob)
    whole_path = glob.rsplit("/", 1)[-1] != "**"
    return "/" + escaped + ("/" + _MARKER if whole_path else ""), whole_path


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
        patterns = [_pattern(g) for g in self.globs if g.strip("/")]
        self._below = GitIgnoreSpec.from_lines([p for p, whole in patterns if not whole])
        self._whole = GitIgnoreSpec.from_lines([p for p, whole in patterns if whole])

    def is_test(self, path: str) -> bool:
        norm = _normalise(path)
        return self._below.match_file(norm) or self._whole.match_file(f"{norm}/{_MARKER}")

    def __repr__(self) -> str:
        return f"TestPathMatcher({list(self.globs)!r})"
