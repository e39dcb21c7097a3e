"""The data a rule produces and the engine returns.

These types are the seam between analysis, reporting, storage and the
dashboard, so they are plain frozen dataclasses with no behaviour beyond
ordering and serialisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters; only MEDIUM and HIGH change the verdict."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]

    @property
    def is_defect(self) -> bool:
        """True when a finding of this severity makes the verdict 'defects found'."""
        return self.rank >= 1


@dataclass(frozen=True)
class Finding:
    """One problem on one line of one file.

    ``fingerprint`` is stable across patch sets (rule + normalised code of the
    flagged statement + enclosing function name), so a finding that only moved
    is recognised as already reported.
    """

    rule: str
    cwe: int
    cwe_name: str
    pillars: tuple[int, ...]
    severity: Severity
    confidence: str  # "high" | "medium" | "low"
    path: str
    line: int
    end_line: int
    message: str
    recommendation: str
    code: str  # the flagged source line(s), as written, without the trailing newline
    fingerprint: str
    function: str = ""  # enclosing function or method, "" at module level
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "title": self.title,
            "cwe": f"CWE-{self.cwe}",
            "cwe_name": self.cwe_name,
            "pillars": [f"CWE-{p}" for p in self.pillars],
            "severity": self.severity.value,
            "confidence": self.confidence,
            "path": self.path,
            "line": self.line,
            "end_line": self.end_line,
            "message": self.message,
            "recommendation": self.recommendation,
            "code": self.code,
            "fingerprint": self.fingerprint,
            "function": self.function,
        }


@dataclass(frozen=True)
class Suppression:
    """A finding silenced by ``# nosec`` (kept so the dashboard can count them)."""

    finding: Finding
    comment: str  # the nosec comment text as written


@dataclass
class FileResult:
    """Everything the engine learned about one file."""

    path: str
    is_test: bool
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppression] = field(default_factory=list)
    error: str | None = None  # set when the file could not be analysed (does not parse, too deep…)
    lines: int = 0
    changed_lines: int = 0

    @property
    def analysed(self) -> bool:
        return self.error is None
