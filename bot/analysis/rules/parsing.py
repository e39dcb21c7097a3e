"""unparsable-file: a Python file that ``ast.parse`` rejects.

The engine reports it itself when parsing fails; it has no check, and its metadata
lives here so the catalogue lists it.
"""

from __future__ import annotations

from bot.analysis.model import Severity
from bot.analysis.registry import Rule, add_rule

UNPARSABLE_FILE = add_rule(
    Rule(
        id="unparsable-file",
        title="File does not parse",
        cwe=710,
        severity_test=Severity.LOW,
        severity_other=Severity.LOW,
        confidence="high",
        message=(
            "This file does not parse with Python {python} (`{error}` at line {line}), so no "
            "rule could analyse it; this is not a security finding."
        ),
        recommendation="Fix the syntax error; the file is analysed again on the next patch set.",
        family="coding_standards",
        rationale=(
            "A file that does not parse cannot be analysed at all, so no rule can report "
            "what is in it. Reporting the syntax error keeps the file from passing review "
            "unexamined."
        ),
        description=(
            "A file that does not parse as Python (a syntax error, a null byte, an encoding "
            "it cannot be decoded with). With a diff, it is reported only when the error's "
            "line is changed."
        ),
    )
)
