"""Every corpus file gives exactly the findings its ``# expect:`` comments announce.

A corpus case is a file (analysed alone) or a directory of files (``<rule>/positive/<case>/``)
analysed as one project: the model of all its files is passed to each, so a mixin in one
file and the test class built from it in another are seen together, as in a real tree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from bot.analysis import FileSummary, ProjectModel, all_rules, analyze_source, summarize

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EXPECT = re.compile(r"#\s*expect:\s*(?P<ids>[\w\-\[\], ]+)")
ITEM = re.compile(r"(?P<id>[a-z][a-z0-9-]*)(?:\[(?P<sev>\w+)\])?")
FILES = sorted(CORPUS.glob("*/*/*.py"))
PROJECTS = sorted(p for p in CORPUS.glob("*/*/*") if p.is_dir() and p.parent.name != "__pycache__")


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
        for kind in ("positive", "negative"):
            cases = [p for p in (CORPUS / rule_id / kind).glob("*") if p.suffix == ".py"
                     or (p.is_dir() and any(p.rglob("*.py")))]  # fmt: skip
            assert len(cases) >= 3, (rule_id, kind)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_file(path: Path) -> None:
    rule_id, kind = path.parent.parent.name, path.parent.name
    text = path.read_text(encoding="utf-8")
    _check(rule_id, kind, path.name, text, f"corpus/{path.name}", None)


@pytest.mark.parametrize("case", PROJECTS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_project(case: Path) -> None:
    """A multi-file case: each file analysed with the model of the whole case."""
    rule_id, kind = case.parent.parent.name, case.parent.name
    files = {p.relative_to(case).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(case.rglob("*.py"))}  # fmt: skip
    summaries: dict[str, FileSummary] = {rel: summarize(text) for rel, text in files.items()}
    model = ProjectModel(summaries)
    announced = False
    for rel, text in files.items():
        announced |= rule_id in _expectations(text)[0]
        _check(rule_id, kind, rel, text, rel, model, require=False)
    assert kind == "negative" or announced, f"{case.name} announces no finding of {rule_id}"


def _check(
    rule_id: str,
    kind: str,
    name: str,
    text: str,
    path: str,
    model: ProjectModel | None,
    *,
    require: bool = True,
) -> None:
    is_test = not text.startswith("# corpus: not-test")
    result = analyze_source(path, text, is_test=is_test, project=model)
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
    assert expected.get(rule_id) or not require, f"{name} announces no finding of {rule_id}"
    for rid in set(expected) | {rule_id}:
        assert found.get(rid, set()) == expected.get(rid, set()), (rid, result.findings)
    for (rid, line), sev in severities.items():
        got = {f.severity.value for f in result.findings if f.rule == rid and f.line == line}
        assert got == {sev}, (rid, line, got)
