"""Short codes for the rules, in flake8's ``ABC123`` form: ``GSB101`` is ``assert-always-true``.

flake8, editors and CI parsers key everything on a short code (``# noqa: GSB101``,
``--select GSB1``, ``per-file-ignores``), so every rule has one, and a code once given
never changes or names another rule: a project's configuration written against one
version keeps its meaning in the next. ``tests/data/rule_codes.txt`` is the list of codes
given so far; a test fails when a code here differs from it, when a rule has no code, or
when two rules share one.

The codes live in this one table, not in the rule modules, so that adding a rule does
not touch the others and the table reads as the list it is. The hundreds digit groups a
code by the rule's family when the code was given (``GSB1`` selects the test-integrity
rules); a rule that later moves to another family keeps its code.

Adding a rule: give it the next free code of its family here and append the same line to
``tests/data/rule_codes.txt``. Removing a rule: move its code to :data:`RETIRED` so it is
never given again.
"""

from __future__ import annotations

import re

__all__ = [
    "CODES",
    "CODE_PATTERN",
    "FAMILY_PREFIXES",
    "PREFIX",
    "RETIRED",
    "SETTINGS_ERROR_CODE",
    "code_for",
    "rule_for_code",
]

#: the flake8 entry point name; every code starts with it
PREFIX = "GSB"
#: what flake8 accepts as a code (three capitals, three digits for ours)
CODE_PATTERN = re.compile(r"^GSB\d{3}$")

#: reported by the flake8 plugin (once per file) when the project's settings are invalid
SETTINGS_ERROR_CODE = "GSB000"

#: The family each hundred was given to (what ``--select GSB1`` means).
FAMILY_PREFIXES: dict[str, str] = {
    "GSB1": "test_integrity",
    "GSB2": "state_leaks",
    "GSB3": "control_flow",
    "GSB4": "exceptions",
    "GSB5": "neutralisation",
    "GSB6": "access_control",
    "GSB7": "protection",
    "GSB8": "calculation",
    "GSB9": "coding_standards",
}

#: rule id -> code. Never change a value; add new rules with the next free code.
CODES: dict[str, str] = {
    # test integrity
    "assert-always-true": "GSB101",
    "assert-raises-too-broad": "GSB102",
    "assert-same-operands": "GSB103",
    "assert-second-arg-not-message": "GSB104",
    "assertion-error-swallowed": "GSB105",
    "assertions-after-raise": "GSB106",
    "float-exact-equality": "GSB107",
    "is-literal-comparison": "GSB108",
    "mock-assertion-not-called": "GSB109",
    "mock-class-as-replacement": "GSB110",
    "mock-nonexistent-assertion": "GSB111",
    "patch-create-true": "GSB112",
    "removed-assert-alias": "GSB113",
    "duplicate-test-definition": "GSB114",
    "mock-attribute-typo": "GSB115",
    "assert-on-mock": "GSB116",
    "assert-has-calls-empty": "GSB117",
    "test-never-collected": "GSB118",
    # state leaks
    "archive-path-traversal": "GSB201",
    "bind-all-interfaces": "GSB202",
    "global-state-not-restored": "GSB203",
    "insecure-temp-file": "GSB204",
    "patcher-not-stopped": "GSB205",
    "request-without-timeout": "GSB206",
    "temp-not-cleaned": "GSB207",
    "thread-not-joined": "GSB208",
    "unsafe-deserialization": "GSB209",
    "setup-without-super": "GSB210",
    # control flow
    "assert-for-validation": "GSB301",
    "return-in-finally": "GSB302",
    "sleep-synchronization": "GSB303",
    "unbounded-wait-loop": "GSB304",
    "unreachable-assertion": "GSB305",
    # exceptions
    "bare-except": "GSB401",
    "exception-swallowed": "GSB402",
    # neutralisation (injection)
    "code-injection": "GSB501",
    "shell-injection": "GSB502",
    "sql-injection": "GSB503",
    "template-autoescape-off": "GSB504",
    "xml-external-entities": "GSB505",
    # access control
    "authorization-always-allows": "GSB601",
    "debug-mode-enabled": "GSB602",
    "hardcoded-credential": "GSB603",
    "permissive-file-mode": "GSB604",
    "tls-verification-disabled": "GSB605",
    # protection (cryptography)
    "weak-crypto-protocol": "GSB701",
    "weak-hash-security": "GSB702",
    "weak-random-secret": "GSB703",
    # calculation
    "int-of-true-division": "GSB801",
    # coding standards
    "blanket-nosec": "GSB901",
    "unparsable-file": "GSB902",
}

#: code -> the rule id it named, for rules that were removed: these codes are never reused.
RETIRED: dict[str, str] = {}

_BY_CODE = {code: rule for rule, code in CODES.items()}


def code_for(rule_id: str) -> str:
    """The code of ``rule_id``; KeyError when the rule has none (a test keeps that from
    happening to a registered rule)."""
    return CODES[rule_id]


def rule_for_code(code: str) -> str | None:
    """The rule id a code names, or None (unknown or retired)."""
    return _BY_CODE.get(code.upper())
