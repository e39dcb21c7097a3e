"""Rule metadata and the catalogue.

Each rule module declares its rules next to their checks with ``@register``.
``all_rules()`` imports the rule modules on first use and returns the
catalogue sorted by id; the CWE name and pillars are looked up in
``bot.analysis.cwe``, never typed per rule.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.analysis import cwe
from bot.analysis.model import Severity

if TYPE_CHECKING:
    from bot.analysis.engine import Context

__all__ = [
    "CheckFn",
    "FinishFn",
    "Rule",
    "all_rules",
    "get_rule",
    "register",
]

#: ``check(node, ctx)`` is called for every node of one of the rule's node types.
CheckFn = Callable[[Any, "Context"], None]
#: ``finish(ctx)`` is called once after the walk, for rules that collect facts first.
FinishFn = Callable[["Context"], None]

_CONFIDENCES = ("high", "medium", "low")


def _no_check(node: Any, ctx: Context) -> None:
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
    family: str = ""
    #: when set, ast.Call nodes reach ``check`` only if the called name (``f`` in
    #: ``a.b.f(...)`` or ``f(...)``) is in this set: a dict lookup instead of a call
    call_names: frozenset[str] | None = None

    def severity(self, is_test: bool) -> Severity:
        return self.severity_test if is_test else self.severity_other

    @property
    def cwe_name(self) -> str:
        return cwe.cwe_name(self.cwe)

    @property
    def pillars(self) -> tuple[int, ...]:
        return cwe.pillars(self.cwe)


_RULES: dict[str, Rule] = {}
_loaded = False


def add_rule(rule: Rule) -> Rule:
    """Add ``rule`` to the catalogue; ids are unique."""
    if rule.id in _RULES and _RULES[rule.id] is not rule:
        raise ValueError(f"duplicate rule id {rule.id!r}")
    if rule.confidence not in _CONFIDENCES:
        raise ValueError(f"{rule.id}: confidence must be one of {_CONFIDENCES}")
    if not cwe.known(rule.cwe):
        raise ValueError(f"{rule.id}: CWE-{rule.cwe} is not in the CWE table")
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
    node_types: tuple[type[ast.AST], ...] = (),
    severity_test: Severity | None = None,
    confidence: str = "high",
    bandit_ids: tuple[str, ...] = (),
    finish: FinishFn | None = None,
    family: str = "",
    call_names: frozenset[str] | set[str] | tuple[str, ...] | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Decorator declaring a rule whose check is the decorated function.

    ``severity`` is the severity outside test code; ``severity_test`` defaults to it.
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
                family=family or check.__module__.rsplit(".", 1)[-1],
                call_names=None if call_names is None else frozenset(call_names),
            )
        )
        return check

    return decorate


def _load() -> None:
    global _loaded
    if not _loaded:
        import bot.analysis.rules  # noqa: F401 - registers the rules on import

        _loaded = True


def all_rules() -> tuple[Rule, ...]:
    """The whole catalogue, sorted by id."""
    _load()
    return tuple(sorted(_RULES.values(), key=lambda r: r.id))


def get_rule(rule_id: str) -> Rule:
    """The rule with id ``rule_id``; KeyError when there is none."""
    _load()
    return _RULES[rule_id]


def rule_ids() -> frozenset[str]:
    _load()
    return frozenset(_RULES)
