"""Rule catalogue, CWE table and test-path globs."""

from __future__ import annotations

import pytest

from bot.analysis import DEFAULT_TEST_GLOBS, Severity, TestPathMatcher, all_rules, cwe, get_rule

# Every CWE named in RULES.md (all families).
RULES_MD_CWES = [
    693,
    1025,
    697,
    396,
    703,
    390,
    436,
    435,
    477,
    710,
    595,
    1077,
    664,
    772,
    459,
    377,
    502,
    404,
    1327,
    1088,
    22,
    691,
    835,
    584,
    561,
    362,
    617,
    707,
    78,
    89,
    95,
    79,
    611,
    284,
    798,
    295,
    732,
    285,
    489,
    338,
    328,
    327,
    319,
    682,
    1339,
]


def test_catalogue_sorted_and_unique() -> None:
    ids = [r.id for r in all_rules()]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert {
        "mock-nonexistent-assertion",
        "assert-second-arg-not-message",
        "patcher-not-stopped",
        "shell-injection",
        "hardcoded-credential",
        "unparsable-file",
    } <= set(ids)


def test_get_rule() -> None:
    rule = get_rule("shell-injection")
    assert rule.cwe == 78 and rule.severity(True) is Severity.MEDIUM
    assert rule.severity(False) is Severity.HIGH and "B602" in rule.bandit_ids
    with pytest.raises(KeyError):
        get_rule("no-such-rule")


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_metadata(rule) -> None:
    assert cwe.known(rule.cwe) and rule.pillars and rule.cwe_name
    assert rule.title and rule.message and rule.recommendation
    assert rule.confidence in ("high", "medium", "low")
    assert rule.id == rule.id.lower() and " " not in rule.id
    for bandit_id in rule.bandit_ids:
        assert bandit_id[0] == "B" and bandit_id[1:].isdigit()


@pytest.mark.parametrize("cwe_id", RULES_MD_CWES)
def test_every_rules_md_cwe_is_in_the_table(cwe_id: int) -> None:
    assert cwe.cwe_name(cwe_id)
    assert cwe.pillars(cwe_id)
    for pillar in cwe.pillars(cwe_id):
        assert cwe.pillars(pillar) == (pillar,)


@pytest.mark.parametrize(
    ("cwe_id", "pillar"),
    [
        (78, 707),
        (89, 707),
        (772, 664),
        (798, 284),
        (1025, 697),
        (693, 693),
        (710, 710),
        (390, 703),
        (835, 691),
        (1339, 682),
        (595, 697),
    ],
)
def test_primary_pillar(cwe_id: int, pillar: int) -> None:
    # MITRE 4.14: CWE-798 also reaches 693 (via 344) and 710 (via 671); the pillar on
    # its Primary ChildOf chain (1391 -> 1390 -> 287 -> 284) comes first.
    assert cwe.pillars(cwe_id)[0] == pillar


def test_cwe_names_and_unknown() -> None:
    assert cwe.cwe_name(78).startswith("Improper Neutralization of Special Elements")
    assert cwe.cwe_name(798) == "Use of Hard-coded Credentials"
    assert set(cwe.pillars(798)) == {284, 693, 710}
    with pytest.raises(cwe.UnknownCWEError):
        cwe.cwe_name(999999)
    with pytest.raises(KeyError):
        cwe.pillars(1000)  # a view, not a weakness


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/x.py", True),
        ("tests/unit/deep/x.py", True),
        ("nova/tests/unit/test_api.py", True),
        ("nova/test/x.py", True),
        ("test_api.py", True),
        ("nova/compute/test_api.py", True),
        ("nova/compute/api_test.py", True),
        ("conftest.py", True),
        ("pkg/conftest.py", True),
        ("oslo_config/testing/helpers.py", True),
        ("nova/tests/fixtures.py", True),
        ("./nova/tests/x.py", True),
        ("nova/fixtures.py", False),
        ("nova/compute/api.py", False),
        ("nova/testsuite/api.py", False),
        ("nova/attestation.py", False),
        ("nova/test.py", False),
        ("tests", False),
        ("nova/latest_test_results.txt", False),
    ],
)
def test_default_test_paths(path: str, expected: bool) -> None:
    assert TestPathMatcher().is_test(path) is expected


def test_custom_globs() -> None:
    m = TestPathMatcher(["unit_tests/**", "*.py"])
    assert m.is_test("unit_tests/a/b.py") and m.is_test("x.py") and not m.is_test("a/x.py")
    assert "**/tests/**" in DEFAULT_TEST_GLOBS
    assert not TestPathMatcher([]).is_test("tests/x.py")


@pytest.mark.parametrize(
    ("globs", "path", "expected"),
    [
        (["**/conftest.py"], "pkg/conftest.py/x.py", False),  # a file glob names the file only
        (["unit_tests"], "unit_tests/x.py", False),
        (["unit_tests/**"], "unit_tests", False),
        (["[ab].py"], "a.py", False),  # "[" is a literal character
        (["[ab].py"], "[ab].py", True),
        (["!x.py"], "!x.py", True),  # no gitignore negation
        (["#x.py"], "#x.py", True),  # no gitignore comment
        (["/tests/**/"], "tests/a/b.py", True),  # surrounding slashes are ignored
        (["t?st_*.py"], "tost_a.py", True),
        (["t?st_*.py"], "t/st_a.py", False),
        (["a/**/b.py"], "a/b.py", True),
        (["a/**/b.py"], "a/x/y/b.py", True),
        ([""], "x.py", False),
    ],
)
def test_glob_semantics(globs: list[str], path: str, expected: bool) -> None:
    assert TestPathMatcher(globs).is_test(path) is expected


def test_config_uses_the_one_copy_of_the_default_globs() -> None:
    from bot import config

    assert config.DEFAULT_TEST_GLOBS is DEFAULT_TEST_GLOBS
    assert config.ReviewConfig().test_globs == DEFAULT_TEST_GLOBS


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_is_declared_where_a_reader_looks(rule) -> None:
    """Checks are named after their rule; every rule says what it catches and why."""
    assert rule.rationale and rule.catches != rule.title, rule.id
    assert rule.family, rule.id
    if rule.id not in ("unparsable-file", "blanket-nosec"):
        assert rule.check.__name__ == "check_" + rule.id.replace("-", "_")
        assert rule.module.startswith("bot.analysis.rules."), rule.module


def test_analysis_has_no_import_circle() -> None:
    """Inside bot.analysis imports flow one way; outside it only bot.markdown is used."""
    import ast as pyast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "bot" / "analysis"
    graph: dict[str, set[str]] = {}
    for file in root.rglob("*.py"):
        parts = file.relative_to(root.parent.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        deps = graph.setdefault(name, set())
        for node in pyast.walk(pyast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, pyast.ImportFrom) and node.module and not node.level:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, pyast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target.startswith("bot.") or target == "bot":
                    assert target.startswith(("bot.analysis", "bot.markdown")), (name, target)
                    deps.add(target)
    modules = set(graph)

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, " -> ".join([*path, name])
        for dep in graph.get(name, ()):
            if dep in modules and dep != name and not name.startswith(dep + "."):
                visit(dep, [*path, name])

    for name in modules:
        if not name.endswith("analysis"):
            visit(name, [])


def test_cwe_table_is_fresh() -> None:
    pytest.importorskip("cwe2")
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[2] / "tools" / "generate_cwe_table.py"
    spec = importlib.util.spec_from_file_location("generate_cwe_table", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0


def test_every_rule_pillar_matches_mitre_data() -> None:
    from bot.analysis.cwe_data import CWE_TABLE

    for rule in all_rules():
        assert rule.cwe in CWE_TABLE, rule.id
        assert rule.pillars == CWE_TABLE[rule.cwe][1], rule.id
        assert rule.cwe_name == CWE_TABLE[rule.cwe][0], rule.id


def _rule_docs_tool():
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[2] / "tools" / "update_rule_docs.py"
    spec = importlib.util.spec_from_file_location("update_rule_docs", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_rule_table_and_rules_doc_are_fresh() -> None:
    """README's rule table and docs/rules.md are what the registry generates."""
    assert _rule_docs_tool().main(["--check"]) == 0, "run tools/update_rule_docs.py"


def test_rules_doc_covers_every_rule() -> None:
    doc = _rule_docs_tool().rules_doc()
    for rule in all_rules():
        section = doc.split(f"## `{rule.id}`", 1)[1].split("\n## ", 1)[0]
        for part in ("**What it catches.**", "**Why it matters.**", "**Example**"):
            assert part in section, (rule.id, part)
        assert "The bot reports line" in section and "**How to silence it.**" in section
        if rule.id not in ("unparsable-file", "blanket-nosec"):
            assert f"# nosec {rule.id}" in section, rule.id
        for bandit_id in rule.bandit_ids:
            assert f"`{bandit_id}`" in section, (rule.id, bandit_id)
