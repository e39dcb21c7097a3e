"""The data a rule produces and the engine returns.

These types are the seam between analysis, reporting, storage and the
dashboard, so they are plain frozen dataclasses with no behaviour beyond
ordering and serialisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.analysis.fixes import Fix


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
    fix: Fix | None = None  # a certain, behaviour-preserving edit (``bot.analysis.fixes``)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
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
        if self.fix is not None:
            doc["fix"] = self.fix.to_json()
        return doc


@dataclass(frozen=True)
class Suppression:
    """A finding silenced by ``# nosec`` (kept so the dashboard can count them)."""

    finding: Finding
    comment: str  # the nosec comment text as written


@dataclass(frozen=True)
class RuleError:
    """A rule whose check raised on a file.

    The engine contains the failure to that rule and that node: the rule goes on with the
    other nodes, every other rule runs, and the findings stand. But the file was not
    completely analysed, so a review must not call it clean.
    """

    rule: str
    line: int  # the first node it failed on; 0 when it failed after the walk (its finish step)
    error: str  # "RecursionError: maximum recursion depth exceeded", at most 200 characters
    count: int = 1  # how many nodes it failed on

    def __str__(self) -> str:
        where = f" at line {self.line}" if self.line else ""
        more = f" (and on {self.count - 1} more node(s))" if self.count > 1 else ""
        return f"rule {self.rule} failed{where}: {self.error}{more}"


@dataclass
class FileResult:
    """Everything the engine learned about one file.

    Two ways a file can fall short of a complete analysis, and what a review does with them:

    * ``error`` is set when the file could not be analysed at all (it could not be decoded,
      does not parse with this interpreter's parser — e.g. syntax newer than it knows —, or
      nests deeper than the parser can build): no rule ran, ``findings`` holds at most the
      ``unparsable-file`` finding.
    * ``rule_errors`` lists the rules that raised on some node; their other findings and
      every other rule's stand.

    ``analysed`` is true only when neither happened, and ``incomplete_reason`` says why not
    in one line (text from the file may be in it: quote it before showing it as Markdown).
    A review with any changed file that is not ``analysed`` must not say that no defects were
    found.
    """

    path: str
    is_test: bool
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppression] = field(default_factory=list)
    error: str | None = None  # set when the file could not be analysed (does not parse, too deep…)
    lines: int = 0
    changed_lines: int = 0
    rule_errors: list[RuleError] = field(default_factory=list)
    sha256: str = ""  # of the bytes analysed, set by ``analyze``: --fix refuses a changed file

    @property
    def analysed(self) -> bool:
        """Every rule ran on the whole file: no ``error`` and no ``rule_errors``."""
        return self.error is None and not self.rule_errors

    @property
    def failed_rules(self) -> tuple[str, ...]:
        """The ids of the rules that raised on this file."""
        return tuple(e.rule for e in self.rule_errors)

    @property
    def incomplete_reason(self) -> str | None:
        """Why the file is not completely analysed (one line), or None when it is."""
        if self.error is not None:
            return self.error
        if self.rule_errors:
            return "analysis incomplete: " + "; ".join(str(e) for e in self.rule_errors)
        return None
