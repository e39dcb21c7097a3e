"""Every corpus file gives exactly the findings its ``# expect:`` comments announce."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from bot.analysis import all_rules, analyze_source

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EXPECT = re.compile(r"#\s*expect:\s*(?P<ids>[\w\-\[\], ]+)")
ITEM = re.compile(r"(?P<id>[a-z][a-z0-9-]*)(?:\[(?P<sev>\w+)\])?")
FILES = sorted(CORPUS.glob("*/*/*.py"))


def _expectations(text: str) -> tuple[dict[str, set[int]], dict[tuple[str, int], str]]:
    lines: dict[str, set[int]] = defaultdict(set)
    severities: dict[tuple[str, int], str] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        m = EXPECT.search(line)
        if not m:
            continue
        for item in ITEM.finditer(m.group("ids")):
            lines[item.group("id")].add(lineno)
            if item.group("sev"):
                severities[(item.group("id"), lineno)] = item.group("sev")
    return lines, severities


def test_corpus_is_complete() -> None:
    rule_dirs = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    for rule in all_rules():
        if rule.id == "unparsable-file":
            continue
        assert rule.id in rule_dirs, f"no corpus for {rule.id}"
    for rule_id in rule_dirs:
        assert len(list((CORPUS / rule_id / "positive").glob("*.py"))) >= 3, rule_id
        assert len(list((CORPUS / rule_id / "negative").glob("*.py"))) >= 3, rule_id


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_file(path: Path) -> None:
    rule_id, kind = path.parent.parent.name, path.parent.name
    text = path.read_text(encoding="utf-8")
    is_test = not text.startswith("# corpus: not-test")
    result = analyze_source(f"corpus/{path.name}", text, is_test=is_test)
    assert result.error is None, result.error
    found: dict[str, set[int]] = defaultdict(set)
    for finding in result.findings:
        found[finding.rule].add(finding.line)
    expected, severities = _expectations(text)
    if kind == "negative":
        assert not found.get(rule_id), [
            (f.line, f.code) for f in result.findings if f.rule == rule_id
        ]
        return
    assert kind == "positive"
    assert expected.get(rule_id), f"{path.name} announces no finding of {rule_id}"
    for rid in set(expected) | {rule_id}:
        assert found.get(rid, set()) == expected.get(rid, set()), (rid, result.findings)
    for (rid, line), sev in severities.items():
        got = {f.severity.value for f in result.findings if f.rule == rid and f.line == line}
        assert got == {sev}, (rid, line, got)
