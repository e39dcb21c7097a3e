"""Rule metadata and ``@register``: how a rule is declared.

A rule module declares each rule next to its check with ``@register``; this module
only keeps what was declared. It imports no rule module (``catalogue.py`` loads them),
so rules, the engine and the catalogue import it without an import circle. The CWE
name and pillars are looked up in ``bot.analysis.cwe``, never typed per rule.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.analysis import cwe
from bot.analysis.model import Severity

__all__ = [
    "SCOPES",
    "CheckFn",
    "FinishFn",
    "Rule",
    "add_rule",
    "register",
    "registered",
]

#: ``check(node, ctx)`` is called for every node of one of the rule's node types;
#: ``ctx`` is a :class:`bot.analysis.context.Context` (typed loosely here so that this
#: module does not import the context, which imports it).
CheckFn = Callable[[Any, Any], None]
#: ``finish(ctx)`` is called once after the walk, for rules that collect facts first.
FinishFn = Callable[[Any], None]

_CONFIDENCES = ("high", "medium", "low")
#: what a finding's truth depends on: its own statement ("line"), or the whole enclosing
#: function or class, so that deleting a line there (``self.addCleanup(p.stop)``) can make it
SCOPES = ("line", "function", "class")
#: which files a rule's check looks at: every file, test code only, or code only
FILES = ("all", "tests", "code")


def _no_check(node: Any, ctx: Any) -> None:
    """Rules that the engine reports itself (e.g. unparsable-file) have no check."""


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue: metadata plus the callables that implement it."""

    id: str
    title: str
    cwe: int
    severity_test: Severity
    severity_other: Severity
    confidence: str
    message: str  # str.format template; ``{code}`` is always available
    recommendation: str  # str.format template, same fields as ``message``
    bandit_ids: tuple[str, ...] = ()
    node_types: tuple[type[ast.AST], ...] = ()
    check: CheckFn = field(default=_no_check, compare=False, repr=False)
    finish: FinishFn | None = field(default=None, compare=False, repr=False)
    #: the RULES.md family the dashboard's rule list reports (not the module name)
    family: str = ""
    #: when set, ast.Call nodes reach ``check`` only if the called name (``f`` in
    #: ``a.b.f(...)`` or ``f(...)``) is in this set: a dict lookup instead of a call
    call_names: frozenset[str] | None = None
    #: why the defect matters, for docs/rules.md (one short paragraph)
    rationale: str = ""
    #: what the rule catches, for rules without a check docstring (engine-reported ones)
    description: str = ""
    #: what ``analyze --fix`` rewrites, when the rule attaches fixes (docs/rules.md says it)
    fixes: str = ""
    #: "line": a finding counts when a line of its statement changed. "function" / "class":
    #: also when lines were deleted inside the enclosing function / class (a cleanup
    #: removed), because the finding's truth depends on all of it. See ``SCOPES``.
    scope: str = "line"
    #: "tests" / "code": the check returns at once on other files, so the engine does not
    #: call it there (a speed-up: a security rule for code meets every node of a test tree)
    files: str = "all"

    def applies_to(self, is_test: bool) -> bool:
        """Whether the check looks at a test file (``is_test``) or a code file."""
        return self.files == "all" or (self.files == "tests") == is_test

    def severity(self, is_test: bool) -> Severity:
        return self.severity_test if is_test else self.severity_other

    @property
    def cwe_name(self) -> str:
        return cwe.cwe_name(self.cwe)

    @property
    def pillars(self) -> tuple[int, ...]:
        return cwe.pillars(self.cwe)

    @property
    def catches(self) -> str:
        """What the rule catches: ``description``, else the check's docstring, else the title."""
        if self.description:
            return self.description
        doc = inspect.getdoc(self.check) if self.check is not _no_check else None
        return doc or self.title

    @property
    def module(self) -> str:
        """The module that declares the rule (``bot.analysis.rules.injection``)."""
        return self.check.__module__ if self.check is not _no_check else ""


_RULES: dict[str, Rule] = {}


def add_rule(rule: Rule) -> Rule:
    """Add ``rule`` to the catalogue; ids are unique."""
    if rule.id in _RULES and _RULES[rule.id] is not rule:
        raise ValueError(f"duplicate rule id {rule.id!r}")
    if rule.confidence not in _CONFIDENCES:
        raise ValueError(f"{rule.id}: confidence must be one of {_CONFIDENCES}")
    if not cwe.known(rule.cwe):
        raise ValueError(f"{rule.id}: CWE-{rule.cwe} is not in the CWE table")
    if rule.scope not in SCOPES:
        raise ValueError(f"{rule.id}: scope must be one of {SCOPES}")
    if rule.files not in FILES:
        raise ValueError(f"{rule.id}: files must be one of {FILES}")
    _RULES[rule.id] = rule
    return rule


def register(
    *,
    id: str,
    title: str,
    cwe: int,
    severity: Severity,
    message: str,
    recommendation: str,
    family: str,
    rationale: str,
    node_types: tuple[type[ast.AST], ...] = (),
    severity_test: Severity | None = None,
    confidence: str = "high",
    bandit_ids: tuple[str, ...] = (),
    finish: FinishFn | None = None,
    call_names: frozenset[str] | set[str] | tuple[str, ...] | None = None,
    scope: str = "line",
    files: str = "all",
    fixes: str = "",
) -> Callable[[CheckFn], CheckFn]:
    """Decorator declaring a rule whose check is the decorated function.

    ``severity`` is the severity outside test code; ``severity_test`` defaults to it.
    ``scope`` says what a finding's truth spans (``"line"``, ``"function"``, ``"class"``).
    ``files`` is ``"tests"`` or ``"code"`` for a check that looks only at those files.
    The check's docstring says what the rule catches; ``rationale`` why that matters;
    ``fixes`` what its fixes rewrite, for a rule that attaches some.
    """

    def decorate(check: CheckFn) -> CheckFn:
        add_rule(
            Rule(
                id=id,
                title=title,
                cwe=cwe,
                severity_test=severity if severity_test is None else severity_test,
                severity_other=severity,
                confidence=confidence,
                message=message,
                recommendation=recommendation,
                bandit_ids=tuple(bandit_ids),
                node_types=tuple(node_types),
                check=check,
                finish=finish,
                family=family,
                call_names=None if call_names is None else frozenset(call_names),
                rationale=rationale,
                scope=scope,
                files=files,
                fixes=fixes,
            )
        )
        return check

    return decorate


def registered() -> dict[str, Rule]:
    """Every rule declared so far, by id (``catalogue`` loads the rule modules first)."""
    return _RULES
