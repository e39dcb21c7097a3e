"""No input makes analyze_source raise (bounded hypothesis run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.analysis import FileResult, all_rules, analyze_source

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*/*/*.py"))]
FRAGMENTS = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\n",
    "    ",
    "\t",
    "'",
    '"',
    '"""',
    "#",
    "# nosec",
    "\\",
    "mock.patch('x').start()",
    "os.system(x)",
    "shell=True",
    "lambda",
    "yield",
    "async ",
    "await ",
    "\x00",
    "\ufeff",
    "\r",
    "\x0c",
    "\u00e9",
    "\U0001d518",
    "# -*- coding: latin-1 -*-\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        pos = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:pos] + draw(st.sampled_from(FRAGMENTS)) + text[pos:]
        else:
            text = text[:pos] + text[pos + draw(st.integers(1, 40)) :]
    return text


def _check(result: FileResult) -> None:
    assert isinstance(result, FileResult)
    for f in result.findings:
        assert 1 <= f.line <= f.end_line


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated(), st.sampled_from([None, {1, 2, 3}, set()]))
def test_mutated_source_never_raises(source: str, changed: set[int] | None) -> None:
    _check(analyze_source("pkg/tests/test_x.py", source, changed_lines=changed))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check(analyze_source("x.py", data))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(FRAGMENTS + list("abcxyz=+.,0 ")), max_size=40))
def test_random_text_never_raises(parts: list[str]) -> None:
    _check(analyze_source("tests/a.py", "".join(parts), is_test=None))


# ---------------------------------------------- deep expressions that CPython compiles and runs

DEPTH = 1100  # over the interpreter's recursion limit, under the parser's

DEEP_SHAPES = {
    "concatenation": " + ".join(["'a'"] * DEPTH),
    "mixed-arithmetic": " + ".join(["n"] * (DEPTH // 2)) + " * 2 // " + " - ".join(["k"] * DEPTH),
    "bit-or": " | ".join(["0o777"] * DEPTH),
    "not-chain": "not " * DEPTH + "x",
    "minus-chain": "-" * DEPTH + "1",
    "calls": "f" + "()" * DEPTH,
    "subscripts": "a" + "[0]" * DEPTH,
    "attributes": "a" + ".b" * DEPTH,
    "conditional": " ".join(["1 if c else"] * DEPTH) + " 2",
    "format-chain": "'SELECT %s'" + ".format(x)" * DEPTH,
}


def _call_names() -> list[str]:
    """Two call names of every rule that filters calls by name, and the common ones."""
    names = {"assertTrue", "assertEqual", "system", "execute", "chmod", "int", "open"}
    for rule in all_rules():
        names |= set(sorted(rule.call_names or ())[:2])
    return sorted(names)


def _deep_file(expr: str) -> str:
    """Every rule's call names with ``expr`` in each argument position, and ``expr`` as an
    assignment, a condition, an assertion and a class chain, in a test module."""
    # one deep argument per call, in turn first, second and a keyword (the file stays
    # linear in size: every rule's call names, not every position of every name)
    places = ("{e}, x", "x, {e}", "x, mode={e}")
    calls = "\n".join(
        f"        self.{name}({places[i % 3].format(e=expr)})"
        for i, name in enumerate(_call_names())
    )
    return (
        "import os, subprocess, hashlib, pickle, ssl, tempfile\n"
        "from unittest import mock\n"
        f"VALUE = {expr}\n"
        "class TestDeep(object):\n"
        "    def test_deep(self):\n"
        f"        value = {expr}\n"
        f"        assert {expr}\n"
        f"        if {expr}:\n            pass\n"
        f"        p = mock.patch({expr})\n        p.start()\n"
        f"{calls}\n"
    )


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_deep_expressions_never_fail_a_rule(shape: str) -> None:
    """No rule recurses on the tree: a line nested 1,200 deep, which the interpreter runs,
    leaves every rule running to the end (issue 17 #3)."""
    src = _deep_file(DEEP_SHAPES[shape])
    compile(src, "deep.py", "exec")
    res = analyze_source("pkg/tests/test_deep.py", src)
    assert res.error is None, res.error
    assert res.rule_errors == [], [str(e) for e in res.rule_errors]
    assert res.analysed


def test_a_long_chain_of_classes_never_fails_a_rule() -> None:
    classes = "".join(f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, 3000))
    src = (
        "import unittest\nfrom unittest import mock\n"
        "class C0(unittest.TestCase):\n    pass\n"
        f"{classes}"
        "class TestLast(C2999):\n"
        "    def setUp(self):\n"
        "        self.p = mock.patch('os.unlink')\n"
        "        self.p.start()\n"
        "        os.environ['X'] = '1'\n"
    )
    res = analyze_source("pkg/tests/test_chain.py", src)
    assert res.analysed, res.incomplete_reason
    assert {f.rule for f in res.findings} >= {"patcher-not-stopped"}
