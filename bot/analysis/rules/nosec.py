"""blanket-nosec: a ``# nosec`` that names no rule and gives no reason.

The engine reports it itself (``findings.py``) when such a comment silences a
finding; it has no check, and its metadata lives here so the catalogue lists it.
"""

from __future__ import annotations

from bot.analysis.model import Severity
from bot.analysis.registry import Rule, add_rule

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
            "Name what is silenced and why: `{fixed}` (Bandit ids such as `B602` work too)."
        ),
        family="coding_standards",
        rationale=(
            "A bare `# nosec` silences every rule on its line, present and future. It hides "
            "the problem it was written for and any new problem introduced on the same line "
            "later, and it leaves reviewers no record of what was accepted and why."
        ),
        description=(
            "A `# nosec` comment with no rule id and no reason that silences a finding. "
            "It is reported once per comment, on the comment's line, naming one rule it hid."
        ),
    )
)
