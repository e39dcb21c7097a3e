"""Every example of docs/usage-in-projects.md, copied out of the page and run: the pep8
environment with hacking, the project settings, pre-commit, the baseline, the review line."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from bot import __version__
from bot.analysis.projectsettings import parse_settings
from tests.support import PROJECT, drain

ROOT = Path(__file__).resolve().parent.parent.parent
PAGE = ROOT / "docs" / "usage-in-projects.md"
BIN = Path(sys.executable).parent
EXAMPLE = re.compile(
    r"<!-- example: (?P<name>\S+) -->\n(?:```\w*\n(?P<code>.*?)```|> (?P<quote>.*?)\n)", re.S
)
GSB = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):\d+: (?P<code>GSB\d{3}) ", re.M)


def examples() -> dict[str, str]:
    found = {
        m["name"]: m["code"] if m["code"] is not None else m["quote"]
        for m in EXAMPLE.finditer(PAGE.read_text())
    }
    return found


# A project whose files exercise every key of the setup.cfg example.
SHELL = "import os\n\n\ndef f(x):\n    os.system('ls ' + x)\n"
FILES = {
    "sample/__init__.py": "",
    # GSB111 high: reported
    "sample/tests/unit/test_a.py": (
        "from unittest import mock\n\n\ndef test_a():\n"
        "    m = mock.Mock()\n    m.called_once_with(1)\n"
    ),
    # GSB107 low and ignored; GSB303 ignored by id; GSB304 not selected (GSB3)
    "sample/tests/unit/test_b.py": (
        "import time\n\n\ndef test_b(server):\n"
        "    time.sleep(1)\n    assert server.ratio() == 0.5\n"
        "    while server.status != 'ACTIVE':\n        time.sleep(1)\n"
    ),
    # excluded
    "sample/tests/functional/test_c.py": SHELL,
    "build/lib/x.py": SHELL,
    # test code by test-paths: shell-injection is medium there (reported), high elsewhere
    "sample/hacking/checks.py": SHELL,
    # GSB205 ignored on fixtures by per-file-ignores
    "sample/tests/fixtures/f.py": (
        "from unittest import mock\n\n\ndef setUp(self):\n    mock.patch('os.getcwd').start()\n"
    ),
    "sample/cmd.py": SHELL,
    # hacking's H306 (imports not in alphabetical order): hacking runs in the same flake8
    "sample/util.py": "import sys\nimport os\n\nprint(os, sys)\n",
}
EXPECTED = {
    ("sample/tests/unit/test_a.py", 6, "GSB111"),
    ("sample/hacking/checks.py", 5, "GSB502"),
    ("sample/cmd.py", 5, "GSB502"),
}


def _project(root: Path, extra: dict[str, str]) -> Path:
    (root / ".git").mkdir(parents=True)
    for name, text in {**FILES, **extra}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _run(cwd: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    if argv[0] in ("flake8", "security-bot", "pre-commit"):
        argv = [str(BIN / argv[0]), *argv[1:]]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=900)


def _found(text: str) -> set[tuple[str, int, str]]:
    return {(m["path"].removeprefix("./"), int(m["line"]), m["code"]) for m in GSB.finditer(text)}


def test_every_example_is_found() -> None:
    assert set(examples()) == {
        "test-requirements.txt", "tox.ini", ".pre-commit-config.yaml", "setup.cfg",
        "pyproject.toml", "baseline.sh", "review-line",
    }  # fmt: skip


def test_test_requirements_are_met_by_what_is_installed() -> None:
    reqs = [
        Requirement(line.split("#", 1)[0].strip())
        for line in examples()["test-requirements.txt"].splitlines()
        if line.split("#", 1)[0].strip()
    ]
    assert {r.name for r in reqs} == {"hacking", "gerrit-security-bot"}
    for req in reqs:
        installed = __version__ if req.name == "gerrit-security-bot" else version(req.name)
        assert req.specifier.contains(installed), (req, installed)


def test_pep8_env_and_setup_cfg_examples(tmp_path: Path) -> None:
    docs = examples()
    project = _project(tmp_path / "p", {"tox.ini": docs["tox.ini"], "setup.cfg": docs["setup.cfg"]})
    tox = configparser.ConfigParser(interpolation=None)
    tox.read_string(docs["tox.ini"])
    command = tox["testenv:pep8"]["commands"].replace("{posargs}", "").split()
    flake8 = _run(project, command)
    analyze = _run(project, ["security-bot", "analyze", "."])
    assert _found(flake8.stdout) == EXPECTED == _found(analyze.stdout), (
        flake8.stdout,
        analyze.stderr,
    )
    assert re.search(r"sample/util.py:2:1: H306", flake8.stdout), flake8.stdout
    assert analyze.returncode == 1


def test_pyproject_example(tmp_path: Path) -> None:
    docs = examples()
    settings = parse_settings("pyproject.toml", docs["pyproject.toml"])
    assert settings is not None and settings.severity.value == "medium"
    project = _project(tmp_path / "p", {"pyproject.toml": docs["pyproject.toml"]})
    found = _found(_run(project, ["security-bot", "analyze", "sample"]).stdout)
    # no select there: every family runs; fixtures ignore GSB205; functional excluded
    assert found == EXPECTED | {("sample/tests/unit/test_b.py", 7, "GSB304")}


def test_baseline_example(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", {})
    first, second = [shlex.split(line) for line in examples()["baseline.sh"].strip().splitlines()]
    assert _run(project, first).returncode == 0
    unchanged = _run(project, second)
    assert (unchanged.returncode, unchanged.stdout) == (0, "")
    path = project / "sample" / "tests" / "unit" / "test_a.py"
    path.write_text("import os\n\n" + path.read_text() + "    os.system('rm ' + m.path)\n")
    new = _run(project, second)
    assert new.returncode == 1
    assert _found(new.stdout) == {("sample/tests/unit/test_a.py", 9, "GSB502")}


@pytest.mark.slow
def test_pre_commit_example(tmp_path: Path) -> None:
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = (
        examples()[".pre-commit-config.yaml"].replace("REPO_URL", str(ROOT)).replace("REV", rev)
    )
    project = _project(tmp_path / "p", {".pre-commit-config.yaml": config})
    (project / ".git").rmdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "."], cwd=project, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("sample/tests/unit/test_a.py", 6, "GSB111") in _found(result.stdout)
    assert ("build/lib/x.py", 5, "GSB502") in _found(result.stdout)  # no project settings here


def test_review_line_example(fake_gerrit, make_service) -> None:
    fake_gerrit.commit_to_branch(
        PROJECT, {"setup.cfg": "[security-bot]\nignore = GSB111\nseverity = medium\n"}, "Tune"
    )
    change = fake_gerrit.create_change(
        PROJECT, {"sample/tests/test_x.py": FILES["sample/cmd.py"]}, "X"
    )
    service = make_service()
    service.poller.poll_once()
    drain(service)
    review = next(
        r for r in fake_gerrit.reviews(change) if r.get("tag") == "autogenerated:security-bot"
    )
    assert examples()["review-line"] in review["message"].splitlines()
