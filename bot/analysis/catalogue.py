"""The catalogue: every rule, loaded from the rule modules on first use.

This is the one module that imports ``bot.analysis.rules`` (whose modules register
their rules with ``@register`` on import); the registry itself imports no rule, so
there is no import circle between rules, registry and engine.
"""

from __future__ import annotations

from bot.analysis.registry import Rule, registered

__all__ = ["all_rules", "get_rule", "rule_ids"]

_loaded = False


def _load() -> dict[str, Rule]:
    global _loaded
    if not _loaded:
        import bot.analysis.rules  # noqa: F401 - registers the rules on import

        _loaded = True
    return registered()


def all_rules() -> tuple[Rule, ...]:
    """The whole catalogue, sorted by id."""
    return tuple(sorted(_load().values(), key=lambda r: r.id))


def get_rule(rule_id: str) -> Rule:
    """The rule with id ``rule_id``; KeyError when there is none."""
    return _load()[rule_id]


def rule_ids() -> frozenset[str]:
    """The ids of every rule in the catalogue."""
    return frozenset(_load())
