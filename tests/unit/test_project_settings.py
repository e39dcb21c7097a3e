"""Project settings: parsing the three files, and what the selection then runs and reports."""

from __future__ import annotations

import pytest

from bot.analysis import Severity
from bot.analysis.projectsettings import (
    DEFAULT_SETTINGS,
    ProjectSettings,
    SettingsError,
    load_settings,
    parse_settings,
)
from bot.analysis.selection import Selection

SETUP_CFG = """\
[metadata]
name = sample

[flake8]
enable-extensions = GSB

[security-bot]
ignore = assert-for-validation, GSB303
severity = medium
exclude =
    sample/tests/functional/
    build
test-paths = sample/checks/**
per-file-ignores =
    sample/tests/fixtures/*.py: GSB205
    sample/tests/unit/a.py, sample/tests/unit/b.py: shell-injection
"""

PYPROJECT = """\
[project]
name = "sample"

[tool.security-bot]
select = ["GSB1", "shell-injection"]
ignore = ["GSB113"]
per-file-ignores = { "sample/tests/old/*.py" = ["GSB1"] }
"""

SHELL = "import os\n\n\ndef f(x):\n    os.system('ls ' + x)\n"


def test_setup_cfg_section_is_read_with_flake8s_list_forms() -> None:
    s = parse_settings("setup.cfg", SETUP_CFG)
    assert s is not None
    assert s.ignore == ("assert-for-validation", "GSB303")
    assert s.severity == Severity.MEDIUM
    assert s.exclude == ("sample/tests/functional/", "build")
    assert s.test_paths == ("sample/checks/**",)
    assert s.per_file_ignores == (
        ("sample/tests/fixtures/*.py", ("GSB205",)),
        ("sample/tests/unit/a.py", ("shell-injection",)),
        ("sample/tests/unit/b.py", ("shell-injection",)),
    )
    assert s.source == "setup.cfg [security-bot]"


def test_pyproject_table_is_read() -> None:
    s = parse_settings("pyproject.toml", PYPROJECT)
    assert s is not None and s.select == ("GSB1", "shell-injection")
    assert s.per_file_ignores == (("sample/tests/old/*.py", ("GSB1",)),)
    assert s.source == "pyproject.toml [tool.security-bot]"


def test_files_without_a_section_give_none() -> None:
    assert parse_settings("setup.cfg", "[metadata]\nname = x\n") is None
    assert parse_settings("tox.ini", "[tox]\nenvlist = py3\n") is None
    assert parse_settings("pyproject.toml", '[project]\nname = "gerrit-security-bot"\n') is None


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("setup.cfg", "[security-bot]\nignroe = GSB101\n", "unknown key 'ignroe'"),
        ("setup.cfg", "[security-bot]\nignore = GSB999\n", "'GSB999' is no rule id"),
        ("setup.cfg", "[security-bot]\nignore = no-such-rule\n", "'no-such-rule'"),
        ("tox.ini", "[security-bot]\nseverity = critical\n", "severity must be low"),
        ("setup.cfg", "[security-bot]\nper-file-ignores = x.py\n", "'glob: codes'"),
        ("setup.cfg", "[security-bot]\n  oops\n", "not a valid INI file"),
        ("pyproject.toml", "[tool.security-bot\n", "not valid TOML"),
        ("pyproject.toml", "[tool.security-bot]\nignore = 3\n", "expected a list of strings"),
        ("pyproject.toml", "[tool]\nsecurity-bot = 1\n", "must be a table"),
        ("setup.cfg", b"[security-bot]\nignore = \xff\n", "not UTF-8"),
        ("setup.cfg", b"[security-bot]\n" + b"#" * 600_000, "over the"),
    ],
)
def test_invalid_settings_say_which_file_and_key(name: str, text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as raised:
        parse_settings(name, text)
    assert str(raised.value).startswith(name)
    loaded = load_settings({name: text})
    assert loaded.settings == DEFAULT_SETTINGS and message.strip("'") in loaded.error


def test_first_file_with_a_section_wins_and_the_others_are_named() -> None:
    loaded = load_settings(
        {"pyproject.toml": PYPROJECT, "setup.cfg": SETUP_CFG, "tox.ini": "[tox]\n"}
    )
    assert loaded.source == "pyproject.toml [tool.security-bot]"
    assert loaded.also_found == ("setup.cfg",) and not loaded.error
    assert load_settings({"tox.ini": None, "setup.cfg": "[metadata]\n"}).settings.is_default


def test_select_ignore_precedence_follows_ruff() -> None:
    def ids(**kw: object) -> set[str]:
        return {r.id for r in Selection(ProjectSettings(**kw)).rules}  # type: ignore[arg-type]

    everything = ids()
    assert "shell-injection" in everything and len(everything) == len(Selection().rules)
    assert ids(select=("GSB5",)) == {
        "code-injection", "shell-injection", "sql-injection", "template-autoescape-off",
        "xml-external-entities",
    }  # fmt: skip
    assert ids(select=("GSB5",), ignore=("GSB502",)) == ids(select=("GSB5",)) - {"shell-injection"}
    # a more specific select wins over a broader ignore, an equal one loses
    assert ids(select=("GSB502",), ignore=("GSB5",)) == {"shell-injection"}
    assert ids(select=("GSB5",), ignore=("GSB5",)) == set()
    assert ids(ignore=("shell-injection",)) == everything - {"shell-injection"}


def test_selection_excludes_ignores_per_file_and_filters_severity() -> None:
    settings = parse_settings("setup.cfg", SETUP_CFG)
    assert settings is not None
    sel = Selection(settings)
    assert sel.excluded("sample/tests/functional/test_a.py")
    assert sel.excluded("./build/lib/x.py") and sel.excluded("sample/build/x.py")
    assert not sel.excluded("sample/tests/unit/test_a.py")
    assert sel.is_test("sample/checks/local.py") and sel.is_test("sample/tests/unit/x.py")
    assert "shell-injection" not in {r.id for r in sel.rules_for("sample/tests/unit/a.py")}
    assert "shell-injection" in {r.id for r in sel.rules_for("sample/tests/unit/c.py")}
    # shell injection is medium in test code: reported at severity medium, not at high
    assert [f.rule for f in sel.analyze("sample/tests/unit/c.py", SHELL).findings] == [
        "shell-injection"
    ]
    assert sel.analyze("sample/tests/unit/a.py", SHELL).findings == []
    high = Selection(ProjectSettings(severity=Severity.HIGH))
    assert high.analyze("sample/tests/unit/c.py", SHELL).findings == []
    assert [f.rule for f in high.analyze("sample/cmd.py", SHELL).findings] == ["shell-injection"]


def test_ignoring_unparsable_file_keeps_the_error() -> None:
    sel = Selection(ProjectSettings(ignore=("unparsable-file",)))
    result = sel.analyze("sample/tests/test_x.py", "def f(:\n")
    assert result.findings == [] and result.error and "does not parse" in result.error


def test_merged_command_line_options() -> None:
    base = ProjectSettings(select=("GSB1",), ignore=("GSB101",), exclude=("build",))
    merged = base.merged(select=None, ignore=["GSB102"], severity="high", exclude=["dist"])
    assert merged.select == ("GSB1",) and merged.ignore == ("GSB101", "GSB102")
    assert merged.severity == Severity.HIGH and merged.exclude == ("build", "dist")
    assert base.merged(select=["GSB5"]).select == ("GSB5",)
    assert base.items() == [("select", "GSB1"), ("ignore", "GSB101"), ("exclude", "build")]
