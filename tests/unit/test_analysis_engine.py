"""Engine behaviour: decoding, parsing errors, dispatch, changed lines, nosec."""

from __future__ import annotations

import ast
import sys

import pytest

from bot.analysis import Context, Rule, Severity, all_rules, analyze_source
from bot.analysis.engine import build_dispatch

MOCK_BUG = "from unittest import mock\nm = mock.Mock()\nm.called_once_with(1)\n"


def _rules(result):
    return [(f.line, f.rule) for f in result.findings]


def test_finding_fields() -> None:
    src = "class TestX(object):\n    def test_a(self):\n        self.m.called_once_with(1)\n"
    result = analyze_source("pkg/tests/test_x.py", src)
    assert result.is_test and result.error is None and result.lines == 3
    (f,) = result.findings
    assert f.rule == "mock-nonexistent-assertion" and f.cwe == 693 and f.pillars == (693,)
    assert f.line == f.end_line == 3
    assert f.code == "        self.m.called_once_with(1)"
    assert f.function == "TestX.test_a"
    assert "`self.m.called_once_with(1)`" in f.message
    assert "assert_called_once_with" in f.recommendation
    assert f.severity is Severity.HIGH and f.title
    assert len(f.fingerprint) == 40


def test_fingerprint_survives_line_moves_and_whitespace() -> None:
    a = analyze_source("t/tests/a.py", "def test():\n    m.called_with(1, 2)\n")
    b = analyze_source("t/tests/a.py", "\n\n# moved\ndef test():\n  m.called_with(1,   2)\n")
    c = analyze_source("t/tests/a.py", "def other():\n    m.called_with(1, 2)\n")
    assert a.findings[0].fingerprint == b.findings[0].fingerprint
    assert a.findings[0].line != b.findings[0].line
    assert a.findings[0].fingerprint != c.findings[0].fingerprint


def test_is_test_from_path_and_override() -> None:
    src = "import os\nos.system('ls ' + x)\n"
    assert analyze_source("nova/tests/unit/a.py", src).findings[0].severity is Severity.MEDIUM
    assert analyze_source("nova/compute/a.py", src).findings[0].severity is Severity.HIGH
    assert analyze_source("nova/compute/a.py", src, is_test=True).is_test


def test_changed_lines_filter_uses_statement_span() -> None:
    src = "import os\nos.system(\n    'ls ' +\n    x)\n"
    assert _rules(analyze_source("a.py", src, changed_lines=None)) == [(2, "shell-injection")]
    assert _rules(analyze_source("a.py", src, changed_lines={4})) == [(2, "shell-injection")]
    assert _rules(analyze_source("a.py", src, changed_lines={1})) == []
    res = analyze_source("a.py", src, changed_lines=[3, 3, 9])
    assert res.findings[0].end_line == 4 and res.changed_lines == 2
    assert res.findings[0].code == "os.system(\n    'ls ' +\n    x)"


def test_compound_statement_span_is_header_only() -> None:
    src = "import os\nif os.system('ls ' + x):\n    pass\n    y = 1\n"
    (f,) = analyze_source("a.py", src).findings
    assert (f.line, f.end_line) == (2, 2)
    assert analyze_source("a.py", src, changed_lines={4}).findings == []


def test_code_is_capped() -> None:
    src = "import os\nos.system(\n" + "    'a' +\n" * 10 + "    x)\n"
    (f,) = analyze_source("a.py", src).findings
    assert f.code.count("\n") == 4 and f.end_line == 13


@pytest.mark.parametrize(
    "comment",
    [
        "# nosec",
        "#nosec",
        "# nosec B605",
        "# nosec: B602,B605",
        "# nosec shell-injection",
        "# NOSEC because it is a fixed test fixture",
    ],
)
def test_nosec_variants_suppress(comment: str) -> None:
    src = f"import os\nos.system('ls ' + x)  {comment}\n"
    res = analyze_source("a.py", src)
    blanket = comment.lower().replace(" ", "") == "#nosec"
    assert [f.rule for f in res.findings] == (["blanket-nosec"] if blanket else [])
    assert len(res.suppressed) == 1 and res.suppressed[0].comment.lower().startswith("#")
    assert res.suppressed[0].finding.rule == "shell-injection"


@pytest.mark.parametrize("comment", ["# nosec B105", "# nosec hardcoded-credential", "# no sec"])
def test_nosec_for_other_rules_does_not_suppress(comment: str) -> None:
    src = f"import os\nos.system('ls ' + x)  {comment}\n"
    res = analyze_source("a.py", src)
    assert _rules(res) == [(2, "shell-injection")] and res.suppressed == []


def test_nosec_inside_string_does_not_count() -> None:
    src = "import os\nos.system('ls # nosec ' + x)\n"
    assert _rules(analyze_source("a.py", src)) == [(2, "shell-injection")]


@pytest.mark.parametrize("where", ["first", "last"])
def test_nosec_on_first_or_last_line_of_statement(where: str) -> None:
    first = "  # nosec B602" if where == "first" else ""
    last = "  # nosec shell-injection" if where == "last" else ""
    src = f"import subprocess\nsubprocess.call({first}\n    'ls ' + x,\n    shell=True){last}\n"
    res = analyze_source("a.py", src)
    assert res.findings == [] and len(res.suppressed) == 1


def test_nosec_on_middle_line_does_not_count() -> None:
    src = "import subprocess\nsubprocess.call(\n    'ls ' + x,  # nosec\n    shell=True)\n"
    assert len(analyze_source("a.py", src).findings) == 1


def test_unparsable_file() -> None:
    src = "def f(:\n    pass\n"
    res = analyze_source("a.py", src)
    assert res.error and "does not parse" in res.error
    (f,) = res.findings
    assert (f.rule, f.line, f.severity, f.cwe) == ("unparsable-file", 1, Severity.LOW, 710)
    assert 710 in f.pillars and f.code == "def f(:"
    # only reported when the error line is changed
    res = analyze_source("a.py", src, changed_lines={2})
    assert res.error and res.findings == []


def test_utf8_bom_bytes_and_str() -> None:
    src = "\ufeffimport os\nos.system('ls ' + x)\n"
    for data in (src, src.encode("utf-8")):
        res = analyze_source("a.py", data)
        assert res.error is None and _rules(res) == [(2, "shell-injection")]


def test_latin1_coding_cookie() -> None:
    src = "# -*- coding: latin-1 -*-\nimport os\nname = 'caf\xe9'\nos.system('ls ' + name)\n"
    res = analyze_source("a.py", src.encode("latin-1"))
    assert res.error is None and _rules(res) == [(4, "shell-injection")]


def test_undecodable_bytes() -> None:
    res = analyze_source("a.py", b"x = '\xff\xfe\xfa'\n")
    assert res.error and "decode" in res.error and res.findings == []
    res = analyze_source("a.py", b"# coding: no-such-codec\nx = 1\n")
    assert res.error and res.findings == []


def test_null_bytes() -> None:
    res = analyze_source("a.py", "x = 1\x00\n")
    assert res.error


@pytest.mark.parametrize(
    "src",
    [
        "(" * 100000,
        "x = " + "[" * 2000 + "]" * 2000 + "\n",
        "x = " + "-" * 100000 + "1\n",
        "x = " + " + ".join(["a"] * 50000) + "\n",
        "x = " + "not " * 100000 + "y\n",
    ],
    ids=["parens", "lists", "unary", "long-binop", "not-chain"],
)
def test_absurd_input_gives_error_result(src: str) -> None:
    res = analyze_source("a.py", src)
    assert isinstance(res.error, str) or res.error is None  # never raises


def test_deep_nesting_is_an_error_result() -> None:
    res = analyze_source("a.py", "x = " + "[" * 2000 + "]" * 2000 + "\n")
    assert res.error is not None


def test_rule_crash_does_not_lose_the_file() -> None:
    def boom(node: ast.AST, ctx: Context) -> None:
        raise RuntimeError("bug")

    bad = Rule(
        "x-boom",
        "boom",
        710,
        Severity.LOW,
        Severity.LOW,
        "high",
        "m",
        "r",
        node_types=(ast.Name,),
        check=boom,
    )
    rules = [*all_rules(), bad]
    res = analyze_source("a.py", "import os\nos.system('ls ' + x)\n", rules=rules)
    assert res.error is None and _rules(res) == [(2, "shell-injection")]


def test_dispatch_calls_each_node_once() -> None:
    calls: list[ast.AST] = []

    def count(node: ast.AST, ctx: Context) -> None:
        calls.append(node)

    types = (
        ast.stmt,
        ast.expr,
        ast.arg,
        ast.keyword,
        ast.alias,
        ast.withitem,
        ast.excepthandler,
        ast.comprehension,
        ast.arguments,
    )
    rule = Rule(
        "x-count",
        "count",
        710,
        Severity.LOW,
        Severity.LOW,
        "high",
        "m",
        "r",
        node_types=types,
        check=count,
    )
    src = (
        "import os as o\n"
        "from a import b\n"
        "class C(B):\n"
        "    def f(self, x=1, *a, k=2, **kw):\n"
        "        with open(x) as fh, g():\n"
        "            return [i for i in fh if i], {1: 2, **kw}, lambda: 3\n"
        "try:\n    pass\nexcept E as e:\n    raise\n"
        "print(f'{x!r:>{w}}')\n"
    )
    analyze_source("a.py", src, rules=[rule])
    tree = ast.parse(src)
    expected = [n for n in ast.walk(tree) if isinstance(n, types)]
    assert len(calls) == len(expected)
    assert {id(n) for n in calls} == {id(n) for n in expected} or len(calls) == len(expected)
    assert sorted(type(n).__name__ for n in calls) == sorted(type(n).__name__ for n in expected)


def test_dispatch_table_is_cached_and_concrete() -> None:
    rules = tuple(all_rules())
    table = build_dispatch(rules)
    assert build_dispatch(rules) is table
    assert ast.Call in table and ast.expr not in table


def test_context_resolves_import_aliases() -> None:
    seen: list[str | None] = []

    def record(node: ast.Call, ctx: Context) -> None:
        seen.append(ctx.qualname(node.func))

    rule = Rule(
        "x-q",
        "q",
        710,
        Severity.LOW,
        Severity.LOW,
        "high",
        "m",
        "r",
        node_types=(ast.Call,),
        check=record,
    )
    src = (
        "import subprocess as sp\nfrom unittest import mock\nfrom os import system\n"
        "import os.path\n"
        "sp.run()\nmock.patch.object()\nsystem()\nos.path.join()\nf()()\n"
    )
    analyze_source("a.py", src, rules=[rule])
    assert seen == [
        "subprocess.run",
        "unittest.mock.patch.object",
        "os.system",
        "os.path.join",
        None,
        "f",
    ]


def test_findings_sorted_by_line_then_rule() -> None:
    src = (
        "import os\n"
        "class TestA(object):\n"
        "    def test(self):\n"
        "        os.system('x' + y); self.m.called_with(1)\n"
        "        self.assertTrue(a, 1)\n"
    )
    res = analyze_source("tests/a.py", src)
    assert _rules(res) == [
        (4, "mock-nonexistent-assertion"),
        (4, "shell-injection"),
        (5, "assert-second-arg-not-message"),
    ]


def test_no_io_mock_bug_message_quotes_code() -> None:
    res = analyze_source("tests/test_a.py", MOCK_BUG)
    assert "`m.called_once_with(1)`" in res.findings[0].message


# --------------------------------------------------------- issue 17 #3: fail closed, contained


def _failing_rule(rule_id: str, exc: BaseException, on: str = "boom", report: bool = False) -> Rule:
    """A rule that raises ``exc`` on calls of ``on`` (and reports calls of ``ok`` when
    ``report``): a stand-in for a rule with a bug or a recursion limit."""

    def check(node: ast.Call, ctx: Context) -> None:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name == on:
            raise exc
        if report and name == "ok":
            ctx.report(node)

    return Rule(
        rule_id, "t", 710, Severity.MEDIUM, Severity.MEDIUM, "high", "`{code}` m", "r",
        node_types=(ast.Call,), check=check,
    )  # fmt: skip


@pytest.mark.parametrize(
    "exc", [RecursionError("maximum recursion depth exceeded"), MemoryError(), KeyError("k")]
)
def test_a_rule_failure_is_contained_to_that_rule_and_node(exc: BaseException) -> None:
    src = "import os\nboom()\nok()\nos.system('ls ' + x)\nboom()\nok()\n"
    rules = [*all_rules(), _failing_rule("x-fails", exc, report=True)]
    res = analyze_source("a.py", src, rules=rules)
    # the other rules and the failing rule's other nodes are all still analysed
    assert _rules(res) == [(3, "x-fails"), (4, "shell-injection"), (6, "x-fails")]
    assert res.error is None and not res.analysed
    (failure,) = res.rule_errors
    assert (failure.rule, failure.line, failure.count) == ("x-fails", 2, 2)
    assert failure.error.startswith(type(exc).__name__)
    assert res.failed_rules == ("x-fails",)
    assert res.incomplete_reason is not None
    assert "x-fails" in res.incomplete_reason and "line 2" in res.incomplete_reason


def test_a_failing_finish_step_is_recorded() -> None:
    def finish(ctx: Context) -> None:
        raise RecursionError("deep")

    rule = Rule(
        "x-finish", "t", 710, Severity.LOW, Severity.LOW, "high", "m", "r", finish=finish
    )  # fmt: skip
    res = analyze_source("a.py", "import os\nos.system('ls ' + x)\n", rules=[*all_rules(), rule])
    assert _rules(res) == [(2, "shell-injection")]
    assert [(e.rule, e.line) for e in res.rule_errors] == [("x-finish", 0)]
    assert not res.analysed


def test_a_clean_file_is_analysed_with_no_reason() -> None:
    res = analyze_source("a.py", "x = 1\n")
    assert res.analysed and res.rule_errors == [] and res.incomplete_reason is None


def _concatenation(n: int) -> str:
    return " + ".join(["'a'"] * n)


def test_one_line_of_1500_concatenated_literals_keeps_every_finding() -> None:
    """The attack of issue 17 #3: CPython compiles and runs this line; the recursive literal
    helpers raised RecursionError and the engine dropped every finding of the file."""
    long = _concatenation(1500)
    src = (
        "import os, subprocess\n"
        "from unittest import mock\n"
        f"CMD = {long}\n"
        f"subprocess.call({long}, shell=True)\n"
        f"os.system({long} + user)\n"
        "def test_x(m):\n"
        "    m.called_once_with(1)\n"
    )
    compile(src, "t.py", "exec")  # the interpreter accepts it
    res = analyze_source("pkg/tests/test_x.py", src)
    assert res.analysed, res.incomplete_reason
    assert _rules(res) == [
        (4, "shell-injection"),  # a fixed command through the shell: an observation
        (5, "shell-injection"),
        (7, "mock-nonexistent-assertion"),
    ]
    assert [f.severity for f in res.findings][:2] == [Severity.LOW, Severity.MEDIUM]


def test_syntax_this_interpreter_does_not_know_is_not_analysed() -> None:
    """PEP 701 f-strings and PEP 695 type parameters: unparsable on 3.11, never clean."""
    src = (
        "import os\n"
        "def first[T](items: list[T]) -> T:\n"
        "    return items[0]\n"
        "type Pair = tuple[int, int]\n"
        "names = ['a', 'b']\n"
        'label = f"{", ".join(names)}"\n'
        "os.system('ls ' + label)\n"
    )
    res = analyze_source("pkg/tests/test_new.py", src)
    if sys.version_info >= (3, 12):
        assert res.analysed and _rules(res) == [(7, "shell-injection")]
    else:
        assert not res.analysed and res.findings[0].rule == "unparsable-file"
        assert res.error is not None and res.error.startswith("does not parse with Python 3.11")
        assert res.incomplete_reason == res.error


def test_parser_recursion_limit_is_an_unanalysed_file() -> None:
    res = analyze_source("a.py", "x = " + _concatenation(20000) + "\n")
    assert not res.analysed and res.error and "RecursionError" in res.error


# ------------------------------------------- issue 17 #18: a defect made only by deleting a line

LEAK_BEFORE = """\
from unittest import mock
import unittest


class TestX(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.patcher = mock.patch('os.unlink')
        self.patcher.start()
        self.addCleanup(self.patcher.stop)

    def test_a(self):
        self.assertTrue(os.path.exists('x'))
"""
# the same file with line 10 (the cleanup) deleted: no remaining line changed
LEAK_AFTER = LEAK_BEFORE.replace("        self.addCleanup(self.patcher.stop)\n", "")


def test_deleting_a_cleanup_reports_the_leak_it_makes() -> None:
    assert analyze_source("pkg/tests/test_x.py", LEAK_BEFORE).findings == []
    # before: the changed-lines filter alone drops it (nothing but a deletion changed)
    res = analyze_source("pkg/tests/test_x.py", LEAK_AFTER, changed_lines=set())
    assert res.findings == []
    res = analyze_source("pkg/tests/test_x.py", LEAK_AFTER, changed_lines=set(), deleted_after={9})
    assert _rules(res) == [(9, "patcher-not-stopped")]


def test_a_deletion_in_another_function_or_class_counts_nothing() -> None:
    src = LEAK_AFTER + "\n\nclass TestY(unittest.TestCase):\n    def test_b(self):\n        pass\n"
    for where in (15, 16, 17):  # inside TestY, not TestX
        res = analyze_source("pkg/tests/test_x.py", src, changed_lines=set(), deleted_after={where})
        assert res.findings == [], where


def test_a_line_scoped_rule_ignores_deletions() -> None:
    src = "import os\n\ndef f(x):\n    os.system('ls ' + x)\n    return 1\n"
    res = analyze_source("a.py", src, changed_lines=set(), deleted_after={4})
    assert res.findings == []
    assert _rules(analyze_source("a.py", src, changed_lines={4})) == [(4, "shell-injection")]


def test_function_scope_uses_the_enclosing_function() -> None:
    src = (
        "import threading\n"
        "def test_a():\n"
        "    t = threading.Thread(target=print)\n"
        "    t.start()\n"
        "\n"
        "def test_b():\n"
        "    pass\n"
    )
    assert _rules(analyze_source("tests/test_t.py", src)) == [(3, "thread-not-joined")]
    inside = analyze_source("tests/test_t.py", src, changed_lines=set(), deleted_after={4})
    assert _rules(inside) == [(3, "thread-not-joined")]  # e.g. ``t.join()`` removed
    other = analyze_source("tests/test_t.py", src, changed_lines=set(), deleted_after={7})
    assert other.findings == []


def test_unknown_scope_is_refused() -> None:
    from bot.analysis.registry import add_rule

    rule = Rule("x-scope", "t", 710, Severity.LOW, Severity.LOW, "high", "m", "r", scope="file")
    with pytest.raises(ValueError, match="scope"):
        add_rule(rule)


def test_adding_a_test_above_one_of_the_same_name_is_reported() -> None:
    """The redefinition is shown where it is, but adding the test it hides made the defect."""
    src = (
        "class TestA(object):\n"
        "    def test_x(self):\n"  # the new test, added above
        "        self.assertEqual(1, f())\n"
        "\n"
        "    def test_x(self):\n"  # the old one, unchanged
        "        self.assertEqual(2, g())\n"
    )
    added = analyze_source("tests/test_a.py", src, changed_lines={2, 3, 4})
    assert _rules(added) == [(5, "duplicate-test-definition")]
    assert "line 2" in added.findings[0].message
    assert analyze_source("tests/test_a.py", src, changed_lines={6}).findings == []
