"""From what the checks reported to the findings a file gets.

* message rendering: a rule's ``str.format`` templates filled with the report's
  fields, code quoted as Markdown code spans that cannot be broken out of;
* fingerprints: rule + normalised code of the flagged statement + enclosing function,
  so a finding that only moved is recognised as already reported;
* the changed-line filter: with a diff, only findings on a changed line count — and, for
  rules whose truth spans a function or class, findings in one where lines were deleted;
* ``# nosec``: a covered finding becomes a ``Suppression``, and a blanket ``# nosec``
  (no id, no reason) is itself reported as ``blanket-nosec``.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import re
import sys
from collections.abc import Collection, Iterable
from typing import Any

from bot.analysis.context import Report, Site, one_line
from bot.analysis.model import Finding, Suppression
from bot.analysis.nosec import Nosec
from bot.analysis.registry import Rule
from bot.markdown import md_code

__all__ = [
    "BLANKET_NOSEC",
    "MAX_CODE_LINES",
    "UNPARSABLE",
    "DeletedScopes",
    "collect",
    "fingerprint",
    "make_finding",
    "render",
    "template_problems",
    "unparsable_finding",
]

MAX_CODE_LINES = 5
UNPARSABLE = "unparsable-file"
BLANKET_NOSEC = "blanket-nosec"

# `{field}` in a rule's message: the field is code and is quoted as a Markdown code span.
_CODE_FIELD = re.compile(r"`\{(\w+)\}`")
# A code span written in a template, and a field inside one.
_TEMPLATE_SPAN = re.compile(r"`([^`]*)`")
_FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def template_problems(template: str) -> list[str]:
    """What is wrong with a rule's message template, as far as quoting goes.

    A field may stand in a code span only alone, as `` `{field}` ``: that span is built by
    ``md_code``, whose fence outgrows any backtick run in the value. A field inside a longer
    span (`` `self.{name}(...)` ``) is pasted between the template's own single backticks,
    so a backtick in the code closes the span and the rest renders as Markdown (links,
    images). Build the whole piece of code as one field instead.
    """
    problems = []
    for span in _TEMPLATE_SPAN.finditer(template):
        inner = span.group(1).replace("{{", "").replace("}}", "")
        if "{" in inner and not re.fullmatch(r"\{\w+\}", inner):
            names = ", ".join(sorted(set(_FIELD.findall(inner))))
            problems.append(f"field(s) {names} inside the code span {span.group(0)!r}")
    return problems


class _Quoted(str):
    """A str that formats braces literally (user code can contain them)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return str(self)


def render(template: str, fields: dict[str, Any]) -> str:
    """Fill a rule's message template; backtick-quoted fields become safe code spans.

    Code from the change can contain backticks itself; a plain `` `{code}` `` would end the
    span early and let the rest render as Markdown. The span's fence is made longer than
    any backtick run inside, so the code shows as written.
    """
    values = {k: _Quoted(v) for k, v in fields.items()}
    for name in set(_CODE_FIELD.findall(template)):
        if name in fields:
            values[f"{name}__code"] = _Quoted(md_code(fields[name]))
    template = _CODE_FIELD.sub(
        lambda m: f"{{{m.group(1)}__code}}" if m.group(1) in fields else m.group(0), template
    )
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def fingerprint(rule_id: str, code: str, function: str) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"{rule_id}\0{one_line(code)}\0{function}".encode())
    return digest.hexdigest()


def make_finding(raw: Report, path: str, lines: list[str]) -> Finding:
    site = raw.site
    full = lines[site.line - 1 : site.end_line]
    code = "\n".join(full[:MAX_CODE_LINES])
    rule = raw.rule
    return Finding(
        rule=rule.id,
        cwe=rule.cwe,
        cwe_name=rule.cwe_name,
        pillars=rule.pillars,
        severity=raw.severity,
        confidence=raw.confidence,
        path=path,
        line=site.line,
        end_line=site.end_line,
        message=render(rule.message, raw.fields),
        recommendation=render(rule.recommendation, raw.fields),
        code=code,
        fingerprint=fingerprint(rule.id, "\n".join(full), site.function),
        function=site.function,
        title=rule.title,
        fix=raw.fix,
    )


def unparsable_finding(
    rule: Rule, path: str, lines: list[str], line: int, error: str, is_test: bool
) -> Finding:
    """The ``unparsable-file`` finding for a syntax error at ``line``."""
    raw = Report(
        rule,
        Site(line, line, ""),
        rule.severity(is_test),
        rule.confidence,
        {
            "code": one_line(lines[line - 1]) if lines else "",
            "error": error,
            "line": str(line),
            "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        },
    )
    return make_finding(raw, path, lines)


def _find_nosec(
    nosec: dict[int, Nosec], raw: Report, noqa: dict[int, Nosec] | None = None
) -> tuple[int, Nosec] | None:
    """The nosec covering ``raw``: on the first or the last line of its statement; or a
    ``# noqa: <code>`` on any line of it (as flake8 reads it over the logical line)."""
    for line in (raw.site.line, raw.site.end_line):
        found = nosec.get(line)
        if found is not None and found.covers(raw.rule.id, raw.rule.bandit_ids):
            return line, found
    if noqa:
        for line in range(raw.site.line, raw.site.end_line + 1):
            found = noqa.get(line)
            if found is not None and found.covers(raw.rule.id, ()):
                return line, found
    return None


def _on_changed_line(site: Site, changed: frozenset[int] | None) -> bool:
    if changed is None:
        return True
    if any(ln in changed for ln in site.also):
        return True
    return any(ln in changed for ln in range(site.line, site.end_line + 1))


_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


class DeletedScopes:
    """Which functions and classes of a file had lines deleted inside them.

    ``deleted_after`` holds new-side positions: N means removed lines sat right after new
    line N. A scope spanning lines ``start..end`` (decorators included) counts a deletion
    at ``start <= N <= end``: inside it, or just after its last line (where a removed last
    statement was). Built only when a diff deleted something.
    """

    def __init__(self, tree: ast.AST, deleted_after: Collection[int]) -> None:
        self._positions = sorted(set(deleted_after))
        self._spans: dict[str, list[tuple[int, int]]] = {"function": [], "class": []}
        for node in ast.walk(tree):
            kind = (
                "function"
                if isinstance(node, _FUNCTION_NODES)
                else "class"
                if isinstance(node, ast.ClassDef)
                else None
            )
            if kind is not None:
                decorated = [d.lineno for d in node.decorator_list]  # type: ignore[attr-defined]
                start = min([node.lineno, *decorated])  # type: ignore[attr-defined]
                end = getattr(node, "end_lineno", None) or start
                self._spans[kind].append((start, end))

    def _innermost(self, kind: str, line: int) -> tuple[int, int] | None:
        best: tuple[int, int] | None = None
        for start, end in self._spans[kind]:
            if start <= line <= end and (best is None or start >= best[0]):
                best = (start, end)
        return best

    def touches(self, scope: str, line: int) -> bool:
        """True when the ``scope`` ("function" or "class") around ``line`` lost lines; a
        "class" finding outside any class falls back to its function."""
        span = self._innermost(scope, line)
        if span is None and scope == "class":
            span = self._innermost("function", line)
        if span is None:
            return False
        i = bisect.bisect_left(self._positions, span[0])
        return i < len(self._positions) and self._positions[i] <= span[1]


def _counts(raw: Report, changed: frozenset[int] | None, deleted: DeletedScopes | None) -> bool:
    if _on_changed_line(raw.site, changed):
        return True
    scope = raw.rule.scope
    return deleted is not None and scope != "line" and deleted.touches(scope, raw.site.line)


def _blanket(
    rule: Rule, raw: Report, line: int, path: str, lines: list[str], is_test: bool
) -> Finding:
    """The ``blanket-nosec`` finding for the bare ``# nosec`` on ``line`` that hid ``raw``."""
    text = lines[line - 1] if line <= len(lines) else ""
    report = Report(
        rule,
        Site(line, line, raw.site.function),
        rule.severity(is_test),
        rule.confidence,
        {"code": one_line(text), "rule": raw.rule.id, "fixed": f"# nosec {raw.rule.id} - <reason>"},
    )
    return make_finding(report, path, lines)


def collect(
    reports: Iterable[Report],
    *,
    path: str,
    lines: list[str],
    is_test: bool,
    changed: frozenset[int] | None,
    nosec: dict[int, Nosec],
    blanket_rule: Rule | None,
    deleted: DeletedScopes | None = None,
    noqa: dict[int, Nosec] | None = None,
) -> tuple[list[Finding], list[Suppression]]:
    """Findings and suppressions from ``reports``, each sorted by line then rule.

    A report is dropped when no line of its statement is in ``changed`` (None: every
    line counts) — unless its rule's scope is a function or class in which ``deleted``
    says lines were removed — or when it repeats one already seen (same rule, span, code).
    """
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    seen: set[tuple[str, int, int, str]] = set()
    blanket_lines: set[int] = set()
    for raw in reports:
        site = raw.site
        if not _counts(raw, changed, deleted):
            continue
        key = (raw.rule.id, site.line, site.end_line, str(raw.fields.get("code", "")))
        if key in seen:
            continue
        seen.add(key)
        finding = make_finding(raw, path, lines)
        found = _find_nosec(nosec, raw, noqa) if nosec or noqa else None
        if found is None:
            findings.append(finding)
            continue
        nosec_line, suppressor = found
        suppressed.append(Suppression(finding, suppressor.comment))
        if (
            blanket_rule is not None
            and suppressor.ids is None
            and not suppressor.reason
            and nosec_line not in blanket_lines
        ):
            blanket_lines.add(nosec_line)
            findings.append(_blanket(blanket_rule, raw, nosec_line, path, lines, is_test))
    findings.sort(key=lambda f: (f.line, f.rule, f.end_line))
    suppressed.sort(key=lambda s: (s.finding.line, s.finding.rule))
    return findings, suppressed
