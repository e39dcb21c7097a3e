"""Coding standards (RULES.md family, CWE-710)."""

from __future__ import annotations

from bot.analysis.model import Severity
from bot.analysis.registry import Rule, add_rule

# Reported by the engine itself when ast.parse fails; it has no check.
UNPARSABLE_FILE = add_rule(
    Rule(
        id="unparsable-file",
        title="File does not parse",
        cwe=710,
        severity_test=Severity.LOW,
        severity_other=Severity.LOW,
        confidence="high",
        message=(
            "This file does not parse ({error} at line {line}), so no rule could analyse it; "
            "this is not a security finding."
        ),
        recommendation="Fix the syntax error; the file is analysed again on the next patch set.",
        family="coding_standards",
    )
)

# Reported by the engine when a blanket ``# nosec`` (no rule id, no reason) silences a
# finding; its metadata lives here so the catalogue lists it.
BLANKET_NOSEC = add_rule(
    Rule(
        id="blanket-nosec",
        title="Blanket # nosec without a rule id or reason",
        cwe=710,
        severity_test=Severity.LOW,
        severity_other=Severity.LOW,
        confidence="high",
        message=(
            "`{code}` silences every rule on this line (here `{rule}`) without saying which "
            "or why, so a new problem on the same line would be hidden too."
        ),
        recommendation=(
            "Name what is silenced and why: `# nosec {rule} - <reason>` (Bandit ids such as "
            "`B602` work too)."
        ),
        family="coding_standards",
    )
)
