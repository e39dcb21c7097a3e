"""``security-bot analyze`` as a linter: select/ignore/severity/exclude, baseline, exit-zero,
output, ``path:line:col: CODE`` lines, and the project's own settings read from the tree."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot import cli

SHELL = "import os\n\n\ndef f(x):\n    os.system('ls ' + x)\n"
TESTS = (
    "import os\n"
    "from unittest import mock\n"
    "\n"
    "\n"
    "def test_a(x):\n"
    "    m = mock.Mock()\n"
    "    m.called_once_with(1)\n"  # mock-nonexistent-assertion, high
    "    os.system('ls ' + x)\n"  # shell-injection, medium in test code
    "\n"
    "\n"
    "    assert m.ratio() == 0.75\n"  # float-exact-equality, low
)
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>GSB\d{3}) (?P<text>.+)$")


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    status = cli.main(["analyze", *argv])
    out = capsys.readouterr()
    return status, out.out.splitlines(), out.err


def codes(lines: list[str]) -> list[tuple[str, int, str]]:
    found = []
    for line in lines:
        m = LINE.match(line)
        assert m, f"not a path:line:col: CODE line: {line!r}"
        found.append((Path(m["path"]).name, int(m["line"]), m["code"]))
    return found


@pytest.fixture()
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()  # the top of a work tree: settings above it are not read
    tests = tmp_path / "pkg" / "tests"
    tests.mkdir(parents=True)
    (tests / "test_a.py").write_text(TESTS)
    (tmp_path / "pkg" / "cmd.py").write_text(SHELL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_lines_are_path_line_col_code(project: Path, capsys) -> None:
    status, lines, err = run(capsys, "pkg")
    assert status == 1
    assert codes(lines) == [
        ("cmd.py", 5, "GSB502"),
        ("test_a.py", 7, "GSB111"),
        ("test_a.py", 8, "GSB502"),
        ("test_a.py", 11, "GSB107"),
    ]
    assert lines[0].startswith("pkg/cmd.py:5:5: GSB502 [high] shell-injection (CWE-78): ")
    assert "4 finding(s) in 2 file(s)" in err


def test_select_ignore_by_id_code_and_prefix(project: Path, capsys) -> None:
    assert codes(run(capsys, "pkg", "--select", "GSB5")[1]) == [
        ("cmd.py", 5, "GSB502"),
        ("test_a.py", 8, "GSB502"),
    ]
    assert codes(run(capsys, "pkg", "--select", "GSB5,float-exact-equality")[1]) == [
        ("cmd.py", 5, "GSB502"),
        ("test_a.py", 8, "GSB502"),
        ("test_a.py", 11, "GSB107"),
    ]
    assert codes(run(capsys, "pkg", "--ignore", "shell-injection", "--ignore", "GSB107")[1]) == [
        ("test_a.py", 7, "GSB111")
    ]
    status, _, err = run(capsys, "pkg", "--select", "GSB999")
    assert status == 2 and "'GSB999' is no rule id, code or code prefix" in err


def test_severity_threshold_exclude_exit_zero_and_output(project: Path, capsys) -> None:
    assert codes(run(capsys, "pkg", "--severity", "medium")[1]) == [
        ("cmd.py", 5, "GSB502"),
        ("test_a.py", 7, "GSB111"),
        ("test_a.py", 8, "GSB502"),
    ]
    assert codes(run(capsys, "pkg", "--severity", "high", "--exclude", "cmd.py")[1]) == [
        ("test_a.py", 7, "GSB111")
    ]
    assert run(capsys, "pkg", "--exclude", "tests/,cmd.py")[:2] == (0, [])
    status, lines, _ = run(capsys, "pkg", "--exit-zero")
    assert status == 0 and len(lines) == 4
    status, lines, _ = run(capsys, "pkg", "--format", "json", "-o", "report.json")
    assert status == 1 and lines == []
    report = json.loads((project / "report.json").read_text())
    assert [f["rule_code"] for f in report["findings"]] == ["GSB502", "GSB111", "GSB502", "GSB107"]
    status, _, err = run(capsys, "pkg", "-o", str(project / "missing" / "r.txt"))
    assert status == 2 and "--output: cannot write" in err


def test_baseline_unchanged_then_exactly_the_new_finding_after_lines_moved(
    project: Path, capsys
) -> None:
    run(capsys, "pkg", "--format", "json", "--output", "baseline.json")
    status, lines, err = run(capsys, "pkg", "--baseline", "baseline.json")
    assert (status, lines) == (0, []) and "4 already in the baseline" in err

    # Lines above every finding move (a new import and a docstring), and one line is added
    # that repeats an existing finding's code in the same function.
    moved = TESTS.replace("import os\n", "import os\nimport sys\n\n'''Tests.'''\n", 1)
    moved = moved.replace(
        "    os.system('ls ' + x)\n", "    os.system('ls ' + x)\n    os.system('ls ' + x)\n"
    )
    (project / "pkg" / "tests" / "test_a.py").write_text(moved)
    status, lines, err = run(capsys, "pkg", "--baseline", "baseline.json")
    assert status == 1
    assert codes(lines) == [("test_a.py", 12, "GSB502")]
    assert "1 finding(s) in 2 file(s), 4 already in the baseline" in err

    # and a different new finding elsewhere is reported alone too
    (project / "pkg" / "tests" / "test_a.py").write_text(
        TESTS + "\n\ndef test_b():\n    eval(input())\n"
    )
    assert codes(run(capsys, "pkg", "--baseline", "baseline.json")[1]) == [
        ("test_a.py", 15, "GSB501")
    ]


@pytest.mark.parametrize(
    "bad", ["{", '{"findings": 3}', '{"findings": [{"line": 1}]}', "missing.json"]
)
def test_a_bad_baseline_is_an_error(project: Path, capsys, bad: str) -> None:
    if bad != "missing.json":
        (project / "b.json").write_text(bad)
        bad = "b.json"
    status, _, err = run(capsys, "pkg", "--baseline", bad)
    assert status == 2 and err.startswith("security-bot: --baseline:")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("setup.cfg", "[metadata]\nname = pkg\n\n[security-bot]\nignore = GSB502\n"),
        ("tox.ini", "[tox]\nenvlist = pep8\n\n[security-bot]\nignore = shell-injection\n"),
        ("pyproject.toml", '[tool.security-bot]\nignore = ["GSB5"]\n'),
    ],
)
def test_project_settings_are_read_from_the_tree(
    project: Path, capsys, name: str, text: str
) -> None:
    (project / name).write_text(text)
    assert codes(run(capsys, "pkg")[1]) == [("test_a.py", 7, "GSB111"), ("test_a.py", 11, "GSB107")]
    # from a sub-directory, with the file named explicitly, the same settings apply
    assert codes(run(capsys, str(project / "pkg" / "cmd.py"))[1]) == []
    # the command line adds to them, and --isolated reads none
    assert codes(run(capsys, "pkg", "--ignore", "GSB111")[1]) == [("test_a.py", 11, "GSB107")]
    assert len(run(capsys, "pkg", "--isolated")[1]) == 4


def test_project_settings_paths_are_relative_to_the_project_root(project: Path, capsys) -> None:
    (project / "setup.cfg").write_text(
        "[security-bot]\n"
        "severity = medium\n"
        "exclude = pkg/cmd.py\n"
        "test-paths = pkg/checks/**\n"
        "per-file-ignores =\n"
        "    pkg/tests/*.py: GSB111\n"
    )
    checks = project / "pkg" / "checks"
    checks.mkdir()
    (checks / "local.py").write_text(SHELL)  # test code by test-paths: shell-injection is medium
    assert codes(run(capsys, "pkg")[1]) == [("local.py", 5, "GSB502"), ("test_a.py", 8, "GSB502")]
    # the same from inside the package: the globs still match from the root
    sub = run(capsys, str(project / "pkg" / "tests"))[1]
    assert codes(sub) == [("test_a.py", 8, "GSB502")]


def test_settings_above_the_work_tree_are_not_read(project: Path, capsys) -> None:
    inner = project / "vendor" / "lib"
    inner.mkdir(parents=True)
    (inner / ".git").mkdir()
    (inner / "x.py").write_text(SHELL)
    (project / "setup.cfg").write_text("[security-bot]\nignore = GSB502\n")
    assert codes(run(capsys, "vendor")[1]) == [("x.py", 5, "GSB502")]


def test_invalid_project_settings_stop_the_command_with_one_line(project: Path, capsys) -> None:
    (project / "setup.cfg").write_text("[security-bot]\nignroe = GSB502\n")
    status, lines, err = run(capsys, "pkg")
    assert status == 2 and lines == []
    assert err.strip().splitlines() == [
        f"security-bot: {project}/setup.cfg [security-bot]: unknown key 'ignroe' "
        "(known: select, ignore, severity, exclude, test-paths, per-file-ignores); "
        "fix the settings or pass --isolated"
    ]
    assert run(capsys, "pkg", "--isolated")[0] == 1


def test_settings_changed_between_two_runs_are_read_again(project: Path, capsys) -> None:
    (project / "setup.cfg").write_text("[security-bot]\nignore = GSB502\n")
    assert ("cmd.py", 5, "GSB502") not in codes(run(capsys, "pkg")[1])
    (project / "setup.cfg").write_text("[security-bot]\nignore = GSB111\n")
    assert ("cmd.py", 5, "GSB502") in codes(run(capsys, "pkg")[1])
