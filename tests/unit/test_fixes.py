"""Fixes on findings: applied byte for byte, re-analysed clean, compiled; and ``analyze --fix``
on a copy of the whole corpus silences every fix-carrying rule and changes nothing else.

A case ``<rule>/positive/<name>.py`` with ``<rule>/fixed/<name>.py.fixed`` is a fix case:
the fixed text must equal that file exactly.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from bot import analyze
from bot.analysis.catalogue import rule_ids
from bot.analysis.engine import analyze_source
from bot.analysis.fixes import Fix, FixConflict, Replacement, apply_fixes
from bot.analysis.formatters import to_sarif
from bot.config import load_config

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FIX_CASES = sorted(CORPUS.glob("*/fixed/*.py.fixed"))
FIX_RULES = sorted({p.parent.parent.name for p in FIX_CASES})


def _positive(expected: Path) -> Path:
    return expected.parent.parent / "positive" / expected.name.removesuffix(".fixed")


def _findings(text: str, name: str) -> list:
    return analyze_source(name, text, is_test=True).findings


def test_fix_rules_are_known() -> None:
    ids = rule_ids()
    assert FIX_RULES and set(FIX_RULES) <= ids


@pytest.mark.parametrize("expected", FIX_CASES, ids=lambda p: p.name)
def test_fixed_output_byte_for_byte_reanalysed_and_compiled(expected: Path) -> None:
    rule = expected.parent.parent.name
    source = _positive(expected).read_text(encoding="utf-8")
    before = _findings(source, "case.py")
    fixes = [f.fix for f in before if f.fix is not None]
    assert fixes, f"{expected.name}: no finding carries a fix"
    assert all(f.rule == rule for f in before if f.fix is not None)
    fixed, applied = apply_fixes(source, fixes)
    assert applied == len(fixes)
    assert fixed == expected.read_text(encoding="utf-8")
    compile(fixed, expected.name, "exec")
    after = _findings(fixed, "case.py")
    # the fixed findings are gone; what is left was there before, unfixable, on the same line
    left = {(f.rule, f.line, f.code) for f in after}
    unfixable = {(f.rule, f.line, f.code) for f in before if f.fix is None}
    assert left <= unfixable, f"new findings after the fix: {left - unfixable}"
    assert not [f for f in after if f.fix is not None]
    assert apply_fixes(fixed, [f.fix for f in after if f.fix is not None]) == (fixed, 0)


def test_removed_alias_without_same_signature_gets_no_fix() -> None:
    text = "class T:\n    def test(self):\n        self.assertDictContainsSubset({}, {})\n"
    (finding,) = _findings(text, "t.py")
    assert finding.rule == "removed-assert-alias" and finding.fix is None


def test_apply_keeps_crlf_and_skips_overlaps() -> None:
    text = "a = 1\r\nb = 22\r\n"
    one = Fix("b", (Replacement(2, 4, 2, 6, "3"),))
    overlap = Fix("o", (Replacement(2, 5, 2, 6, "9"),))
    assert apply_fixes(text, [one, overlap]) == ("a = 1\r\nb = 3\r\n", 1)
    with pytest.raises(FixConflict):
        apply_fixes(text, [Fix("x", (Replacement(7, 0, 7, 1, ""),))])


def test_json_and_sarif_carry_the_fix() -> None:
    text = "class T:\n    def test(self):\n        self.assertEquals(1, f())\n"
    result = analyze_source("t.py", text, is_test=True)
    (finding,) = result.findings
    assert finding.to_json()["fix"]["replacements"] == [
        {"start_line": 3, "start_col": 13, "end_line": 3, "end_col": 25, "text": "assertEqual"}
    ]
    (sarif,) = to_sarif([result], tool_version="t")["runs"][0]["results"]
    (change,) = sarif["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "t.py"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 3, "startColumn": 14, "endLine": 3, "endColumn": 26},
            "insertedContent": {"text": "assertEqual"},
        }
    ]


def _args(paths: list[str], **kw: object) -> argparse.Namespace:
    base: dict[str, object] = {"isolated": True, "format": "json"}
    base.update(kw)
    return argparse.Namespace(paths=paths, **base)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_analyze_fix_on_corpus_copy_silences_fix_rules_and_changes_nothing_else(
    tmp_path: Path, capsys
) -> None:
    config = load_config(None)
    copy = tmp_path / "tests" / "corpus"
    shutil.copytree(CORPUS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    # ``# corpus: not-test`` files go where the test globs do not reach, as the corpus runner
    # analyses them as non-test code
    lib = tmp_path / "lib"
    for path in sorted(copy.rglob("*.py")):
        if path.read_text(encoding="utf-8").startswith("# corpus: not-test"):
            moved = lib / path.relative_to(copy)
            moved.parent.mkdir(parents=True, exist_ok=True)
            path.rename(moved)
    lib.mkdir(exist_ok=True)

    def tree() -> dict[str, bytes]:
        return {**_tree(copy), **_tree(lib)}

    before = tree()
    assert before == {k: v for k, v in _tree(CORPUS).items() if "__pycache__" not in k}
    select = [",".join(FIX_RULES)]
    roots = [str(copy), str(lib)]
    assert analyze.run(_args(roots, fix=True, select=select), config) in (0, 1)
    after = tree()
    assert set(after) == set(before)
    changed = {k for k in before if before[k] != after[k]}
    expected = {_positive(e).relative_to(CORPUS).as_posix(): e.read_bytes() for e in FIX_CASES}
    assert changed == set(expected)  # only the fix cases, nothing else in the tree
    for rel, text in expected.items():
        assert after[rel] == text
        compile(text, rel, "exec")
    capsys.readouterr()
    # idempotent, and every fix-carrying rule is silent but for findings without a fix
    analyze.run(_args(roots, fix=True, select=select), config)
    assert tree() == after
    capsys.readouterr()
    analyze.run(_args(roots, select=select), config)
    report = json.loads(capsys.readouterr().out)
    assert [f for f in report["findings"] if "fix" in f] == []


def test_fix_diff_writes_nothing_and_fix_refuses_a_changed_file(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    config = load_config(None)
    path = tmp_path / "test_x.py"
    text = "class T:\n    def test(self):\n        self.assertEquals(1, f())\n"
    path.write_text(text)
    assert analyze.run(_args([str(path)], fix_diff=True), config) == 1
    out = capsys.readouterr().out
    assert "-        self.assertEquals(1, f())\n+        self.assertEqual(1, f())\n" in out
    assert path.read_text() == text
    # the file changes between analysis and writing: --fix refuses it, exit 2
    real_fix_files = analyze.fix_files

    def racing(results, real, *, write):
        path.write_text(text + "# edited meanwhile\n")
        return real_fix_files(results, real, write=write)

    monkeypatch.setattr(analyze, "fix_files", racing)
    assert analyze.run(_args([str(path)], fix=True), config) == 2
    assert "changed since it was analysed" in capsys.readouterr().err
    assert path.read_text() == text + "# edited meanwhile\n"


def test_fix_carrying_rules_are_marked_fixable() -> None:
    """docs/rules.md's "Fixable" line comes from ``Rule.fixes``: exactly the rules whose corpus
    has fix cases declare it."""
    from bot.analysis import all_rules

    assert sorted(r.id for r in all_rules() if r.fixes) == FIX_RULES


def test_a_rules_fix_template_field_is_not_taken_for_an_autofix() -> None:
    """Several rules fill a ``{fix}`` recommendation field through ``ctx.report(fix=...)``;
    the edit travels as ``autofix=`` so that text still renders."""
    text = "import subprocess\n\n\ndef f(x):\n    subprocess.call('ls ' + x, shell=True)\n"
    findings = analyze_source("lib.py", text, is_test=False).findings
    assert findings and all("{fix}" not in f.recommendation for f in findings)


def test_swapped_arguments_keep_their_own_crlf_line_ends() -> None:
    text = (
        "class T:\r\n    def test(self):\r\n        self.assertTrue(\r\n"
        "            len(\r\n                x),\r\n            3)\r\n"
    )
    (finding,) = _findings(text, "t.py")
    assert finding.fix is not None
    fixed, _ = apply_fixes(text, [finding.fix])
    assert fixed == (
        "class T:\r\n    def test(self):\r\n        self.assertEqual(\r\n"
        "            3,\r\n            len(\r\n                x))\r\n"
    )
    assert "\n" not in fixed.replace("\r\n", "")


@pytest.mark.parametrize(
    "line",
    [
        "x is 1.0",  # == would be an exact float comparison
        "x is (1, 2.5)",
        "x is \\\n    'a'",  # operator and operand on different lines
        "(x  # a comment in the gap\n    is 'a')",
    ],
)
def test_is_literal_gets_no_fix_where_the_edit_is_not_certain(line: str) -> None:
    findings = _findings(f"def f(x):\n    return {line}\n", "lib.py")
    assert [f.rule for f in findings] == ["is-literal-comparison"]
    assert findings[0].fix is None


@pytest.mark.parametrize(
    "call",
    [
        "self.assertTrue(a, True)",  # a bool: assertIs or a plain assertTrue was meant?
        "self.assertTrue(a == b, 1)",  # the first is already a comparison
        "self.assertTrue(a, 1.5)",  # exact float equality
        "self.assertFalse(a, 1)",  # what comparison was meant is a guess
        "self.assertIsNone(a, 0)",
    ],
)
def test_one_value_assert_gets_no_fix_where_the_meaning_is_a_guess(call: str) -> None:
    text = f"class T:\n    def test(self):\n        {call}\n"
    findings = [f for f in _findings(text, "t.py") if f.rule == "assert-second-arg-not-message"]
    assert findings and findings[0].fix is None


def test_side_effects_typo_carries_its_rename() -> None:
    text = (
        "from unittest import mock\n\n\nclass T:\n    def test(self):\n"
        "        m = mock.Mock()\n        m.side_effects = ValueError\n"
    )
    (finding,) = [f for f in _findings(text, "t.py") if f.rule == "mock-attribute-typo"]
    assert finding.fix is not None
    fixed, _ = apply_fixes(text, [finding.fix])
    assert "        m.side_effect = ValueError\n" in fixed
