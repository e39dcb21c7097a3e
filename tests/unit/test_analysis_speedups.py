"""The analysis's speed-ups change no answer: per-file dispatch by ``Rule.files``, the
cached scopes and qualnames, the order-free ``subtree`` walk, the paused cyclic
collector, and the mock rules' bindings settled at the end with the imports in force at
each binding."""

from __future__ import annotations

import ast
import gc
from dataclasses import replace

import pytest

from bot.analysis import Context, Rule, Severity, all_rules, analyze_source
from bot.analysis.context import subtree
from bot.analysis.registry import add_rule


def _rule(files: str, calls: list[str]) -> Rule:
    def check(node: ast.Call, ctx: Context) -> None:
        calls.append(ctx.path)

    return Rule("x-files", "t", 693, Severity.LOW, Severity.LOW, "high", "m", "r",
                node_types=(ast.Call,), check=check, files=files)  # fmt: skip


@pytest.mark.parametrize(
    ("files", "expected"),
    [("all", ["pkg/tests/test_a.py", "pkg/a.py"]), ("tests", ["pkg/tests/test_a.py"]),
     ("code", ["pkg/a.py"])],
)  # fmt: skip
def test_a_check_is_called_only_on_the_files_it_declares(files: str, expected: list) -> None:
    calls: list[str] = []
    rule = _rule(files, calls)
    for path in ("pkg/tests/test_a.py", "pkg/a.py"):
        analyze_source(path, "f()\n", rules=[rule])
    assert calls == expected


def test_an_unknown_files_value_is_refused() -> None:
    with pytest.raises(ValueError, match="files must be one of"):
        add_rule(replace(_rule("all", []), id="x-files-bad", files="docs"))


def test_rules_declaring_their_files_return_at_once_elsewhere() -> None:
    """What ``files`` promises, checked against each such rule's own code: run on the
    other kind of file, a check that declares ``tests``/``code`` reports nothing."""
    src = ("import os, ssl, tempfile, threading, time\nfrom oslo_config import cfg\n"
           "CONF = cfg.CONF\nos.environ['X'] = '1'\nCONF.set_override('a', 1)\n"
           "ssl.PROTOCOL_SSLv3\nassert x\ntempfile.mkdtemp()\nthreading.Thread(target=f).start()\n"
           "class T(object):\n    def _test_x(self):\n        self.assertTrue(1)\n")  # fmt: skip
    for rule in all_rules():
        if rule.files == "all":
            continue
        other = "pkg/a.py" if rule.files == "tests" else "pkg/tests/test_a.py"
        ran = analyze_source(other, src, rules=[replace(rule, files="all")])
        assert not ran.findings, rule.id


def test_subtree_finds_the_nodes_ast_walk_finds_but_operators_and_contexts() -> None:
    src = ("def f(a, *b, c=1, **d):\n    x = {1: a, **d}\n    y = [i for i in b if i]\n"
           "    match x:\n        case {'k': v}:\n            return f'{v!r:>{c}}'\n"
           "    try:\n        pass\n    except E as e:\n        raise\n"
           "    return -x + y\n")  # fmt: skip
    tree = ast.parse(src)
    skip = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    expected = sorted(id(n) for n in ast.walk(tree) if not isinstance(n, skip))
    assert sorted(id(n) for n in subtree(tree)) == expected


def test_the_cyclic_collector_runs_again_after_each_file() -> None:
    assert gc.isenabled()
    analyze_source("pkg/tests/test_a.py", "import mock\nm = mock.Mock()\n")
    assert gc.isenabled()
    analyze_source("pkg/tests/test_a.py", "def (:\n")  # a syntax error
    assert gc.isenabled()
    gc.disable()
    try:
        analyze_source("pkg/tests/test_a.py", "x = 1\n")
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_qualnames_follow_the_imports_in_force_at_each_node() -> None:
    seen: list[str | None] = []

    def record(node: ast.Call, ctx: Context) -> None:
        seen.append(ctx.qualname(node.func))
        seen.append(ctx.qualname(node.func))  # the cached answer is the same

    rule = Rule("x-q2", "t", 693, Severity.LOW, Severity.LOW, "high", "m", "r",
                node_types=(ast.Call,), check=record)  # fmt: skip
    analyze_source("a.py", "m.patch()\nimport mock as m\nm.patch()\nimport os as m\nm.patch()\n",
                   rules=[rule])  # fmt: skip
    assert seen == ["m.patch", "m.patch", "mock.patch", "mock.patch", "os.patch", "os.patch"]


def test_a_mock_binding_is_judged_with_the_imports_in_force_where_it_is() -> None:
    """``m`` names unittest.mock when ``x = m.Mock()`` runs, another module later: the
    typo on ``x`` is judged at the end of the file, and must still see a Mock."""
    src = ("from unittest import mock as m\n\n\nclass TestX(object):\n"
           "    def test_a(self):\n        x = m.Mock()\n        x.retun_value = 3\n\n\n"
           "import os as m\n")  # fmt: skip
    result = analyze_source("pkg/tests/test_x.py", src)
    assert [(f.rule, f.line) for f in result.findings] == [("mock-attribute-typo", 7)]
    earlier = src.replace("import os as m\n", "")
    assert [(f.rule, f.line) for f in analyze_source("pkg/tests/test_x.py", earlier).findings] \
        == [("mock-attribute-typo", 7)]  # fmt: skip
