"""Output formats of ``security-bot analyze``: text (like a linter), JSON and SARIF 2.1.0.

Pure functions of the results; the caller passes the tool's version (this package
imports nothing of ``bot`` but ``bot.markdown``) and prints what they return.

The text form is ``path:line:col: CODE text``, the form flake8, Ruff and compilers print
and editors and CI parsers read; :func:`lint_text` is the ``CODE text`` part, and the
flake8 plugin reports exactly that, so both tools print the same lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from bot.analysis.catalogue import all_rules
from bot.analysis.codes import code_for
from bot.analysis.model import FileResult, Finding, Severity
from bot.analysis.registry import Rule

__all__ = [
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "finding_column",
    "lint_line",
    "lint_text",
    "print_text",
    "to_json",
    "to_sarif",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://opendev.org/"
_SARIF_LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub code scanning ranks security results by a 0-10 "security-severity".
_SECURITY_SEVERITY = {Severity.HIGH: "8.0", Severity.MEDIUM: "5.0", Severity.LOW: "2.0"}


def finding_column(finding: Finding) -> int:
    """The 1-based column where the flagged statement starts (findings are per statement)."""
    first = finding.code.split("\n", 1)[0]
    return len(first) - len(first.lstrip()) + 1


def lint_text(finding: Finding) -> str:
    """``GSB502 [medium] shell-injection (CWE-78): <message>``: one line, code first."""
    message = finding.message.replace("\r", " ").replace("\n", " ")
    return (
        f"{code_for(finding.rule)} [{finding.severity.value}] {finding.rule} "
        f"(CWE-{finding.cwe}): {message}"
    )


def lint_line(finding: Finding) -> str:
    """``path:line:col: CODE text``."""
    return f"{finding.path}:{finding.line}:{finding_column(finding)}: {lint_text(finding)}"


def to_json(results: Sequence[FileResult], *, tool_version: str) -> dict[str, Any]:
    suppressed = [s for r in results for s in r.suppressed]
    return {
        "version": tool_version,
        "files": len(results),
        "findings": [
            {**f.to_json(), "rule_code": code_for(f.rule), "column": finding_column(f)}
            for r in results
            for f in r.findings
        ],
        "errors": [{"path": r.path, "error": r.error} for r in results if r.error],
        "suppressed": len(suppressed),
        "suppressed_by_rule": dict(sorted(Counter(s.finding.rule for s in suppressed).items())),
    }


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    severity = max(rule.severity_test, rule.severity_other, key=lambda s: s.rank)
    return {
        "id": rule.id,
        "name": "".join(p.capitalize() for p in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} (CWE-{rule.cwe}: {rule.cwe_name})."},
        "help": {"text": rule.recommendation.replace("{", "").replace("}", "")},
        "helpUri": f"https://cwe.mitre.org/data/definitions/{rule.cwe}.html",
        "defaultConfiguration": {"level": _SARIF_LEVEL[severity]},
        "properties": {
            "tags": ["security", f"external/cwe/cwe-{rule.cwe}"]
            + [f"external/cwe/cwe-{p}" for p in rule.pillars if p != rule.cwe],
            "security-severity": _SECURITY_SEVERITY[severity],
            "precision": {"high": "high", "medium": "medium", "low": "low"}[rule.confidence],
            "code": code_for(rule.id),
        },
    }


def _sarif_fix(finding: Finding) -> dict[str, Any]:
    """SARIF 2.1.0 ``fix``: one artifactChange of the finding's file, its replacements as
    ``deletedRegion`` (1-based lines and columns; an insertion is an empty region) and
    ``insertedContent``."""
    assert finding.fix is not None
    return {
        "description": {"text": finding.fix.description},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": finding.path.lstrip("/"), "uriBaseId": "SRCROOT"},
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": r.start_line,
                            "startColumn": r.start_col + 1,
                            "endLine": r.end_line,
                            "endColumn": r.end_col + 1,
                        },
                        "insertedContent": {"text": r.text},
                    }
                    for r in finding.fix.replacements
                ],
            }
        ],
    }


def _sarif_result(finding: Finding, index: dict[str, int], justification: str | None) -> dict:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": f"{finding.message} {finding.recommendation}".strip()},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.path.lstrip("/"), "uriBaseId": "SRCROOT"},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding_column(finding),
                        "endLine": max(finding.line, finding.end_line),
                        "snippet": {"text": finding.code},
                    },
                }
            }
        ],
        "partialFingerprints": {"securityBotFingerprint/v1": finding.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "cwe": f"CWE-{finding.cwe}",
            "code": code_for(finding.rule),
        },
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.fix is not None:
        result["fixes"] = [_sarif_fix(finding)]
    if justification is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": justification}]
    return result


def to_sarif(
    results: Sequence[FileResult], rules: Iterable[Rule] | None = None, *, tool_version: str
) -> dict:
    """A SARIF 2.1.0 log that GitHub code scanning accepts."""
    catalogue = list(rules if rules is not None else all_rules())
    index = {r.id: i for i, r in enumerate(catalogue)}
    sarif_results = [_sarif_result(f, index, None) for r in results for f in r.findings]
    sarif_results += [
        _sarif_result(s.finding, index, s.comment) for r in results for s in r.suppressed
    ]
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"could not analyse: {r.error}"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": r.path, "uriBaseId": "SRCROOT"}}}
            ],
        }
        for r in results
        if r.error
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "security-bot",
                        "version": tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(r) for r in catalogue],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": sarif_results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def print_text(results: Sequence[FileResult], out: TextIO, err: TextIO, *, known: int = 0) -> None:
    """One ``path:line:col: CODE text`` line per finding on ``out``; errors and the summary
    on ``err``."""
    findings = [f for r in results for f in r.findings]
    for f in findings:
        print(lint_line(f), file=out)
    for r in results:
        if r.error:
            print(f"{r.path}: could not analyse: {r.error}", file=err)
    suppressed = sum(len(r.suppressed) for r in results)
    tail = f", {suppressed} suppressed by # nosec or # noqa" if suppressed else ""
    if known:
        tail += f", {known} already in the baseline"
    print(f"{len(findings)} finding(s) in {len(results)} file(s){tail}", file=err)
