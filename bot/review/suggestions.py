"""A finding's fix in the forms a Gerrit inline comment can carry it.

Two forms, chosen once per server (``review.fixes`` and the version read at start-up):

* ``fix_suggestions`` — Gerrit 3.10 and later store them on ordinary comments (before, only
  robot comments had them); the web UI shows "Show fix" / "Apply fix", which turns the
  replacements into a change edit. Ranges are 1-based lines and 0-based characters counted
  the way Gerrit's Java strings count them (UTF-16 code units), end exclusive.
* ``suggestion`` — a fenced ```` ```suggestion ```` block in the comment text, which the web
  UI offers as a suggested edit of the commented lines: the block is the new text of those
  whole lines, and the comment's range must cover exactly them.

Both are computed from the finding alone (its fix and the flagged lines, ``Finding.code``),
so the renderer needs no access to the file. When the fix reaches outside the flagged lines
or cannot be rebuilt exactly, the comment carries no fix (the words still say it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.analysis import Finding
from bot.analysis.fixes import Fix, FixConflict, Replacement, apply_fixes
from bot.gerrit.server import takes_fix_suggestions

__all__ = ["FORMS", "ReviewFix", "fix_form", "review_fix"]

#: what a review's comments carry: Gerrit's fix suggestions, a suggestion block, nothing
FORMS = ("fix_suggestions", "suggestion", "off")

_FENCE = "```"


def fix_form(setting: str, version: str | None) -> str:
    """The form for ``review.fixes`` = ``setting`` on a server reporting ``version``."""
    if setting in ("off", "suggestion"):
        return setting
    return "fix_suggestions" if takes_fix_suggestions(version) else "suggestion"


def _utf16(text: str, col: int) -> int:
    return len(text[:col].encode("utf-16-le")) // 2


@dataclass(frozen=True)
class ReviewFix:
    """A fix placed on Gerrit's coordinates."""

    path: str
    description: str
    #: the whole lines the fix rewrites (the comment's anchor for a suggestion block)
    first_line: int
    last_line: int
    last_line_length: int  # in UTF-16 units: the end of a range covering the last line
    new_text: str  # those lines after the fix, joined by "\n", without a final line end
    replacements: tuple[dict[str, Any], ...]  # Gerrit FixReplacementInfo

    def fix_suggestion(self) -> dict[str, Any]:
        """A FixSuggestionInfo for ``CommentInput.fix_suggestions``."""
        return {"description": self.description, "replacements": list(self.replacements)}

    def suggestion_block(self) -> str | None:
        """The fenced block, or None when its text would end the fence early."""
        if _FENCE in self.new_text:
            return None
        return f"{_FENCE}suggestion\n{self.new_text}\n{_FENCE}"

    def comment_range(self) -> dict[str, int]:
        """The comment range covering the rewritten lines whole."""
        return {
            "start_line": self.first_line,
            "start_character": 0,
            "end_line": self.last_line,
            "end_character": self.last_line_length,
        }


def review_fix(finding: Finding) -> ReviewFix | None:
    """``finding``'s fix on Gerrit's coordinates, or None (no fix, or not rebuildable)."""
    fix = finding.fix
    if fix is None or not fix.replacements:
        return None
    lines = finding.code.split("\n")
    first = finding.line
    last = max(r.end_line for r in fix.replacements)
    if min(r.start_line for r in fix.replacements) < first or last >= first + len(lines):
        return None  # outside the flagged lines (or past the quoted ones): not placed
    window = "\n".join(lines[: last - first + 1])
    shifted = Fix(
        fix.description,
        tuple(
            Replacement(r.start_line - first + 1, r.start_col, r.end_line - first + 1,
                        r.end_col, r.text)
            for r in fix.replacements
        ),
    )  # fmt: skip
    try:
        new_text, applied = apply_fixes(window, [shifted])
    except FixConflict:
        return None
    if applied != 1:
        return None

    def line(n: int) -> str:
        return lines[n - first]

    replacements = tuple(
        {
            "path": finding.path,
            "range": {
                "start_line": r.start_line,
                "start_character": _utf16(line(r.start_line), r.start_col),
                "end_line": r.end_line,
                "end_character": _utf16(line(r.end_line), r.end_col),
            },
            "replacement": r.text,
        }
        for r in sorted(fix.replacements)
    )
    return ReviewFix(
        path=finding.path,
        description=fix.description,
        first_line=first,
        last_line=last,
        last_line_length=_utf16(line(last), len(line(last))),
        new_text=new_text,
        replacements=replacements,
    )
