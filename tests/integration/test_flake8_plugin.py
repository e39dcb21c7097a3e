"""The flake8 plugin, through flake8 itself (a process, with OpenStack's hacking installed):
the same findings as ``security-bot analyze``, project settings, noqa, nosec, off by default."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
NOVA = "nova==34.0.0"
GSB_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>GSB\d{3}) ")
# flake8's own bare-noqa test (flake8/defaults.py NOQA_INLINE_REGEXP without codes)
BARE_NOQA = re.compile(r"# noqa(?!:[\s]?[A-Z]+[0-9]+)", re.IGNORECASE)

TOX_INI = """\
[tox]
minversion = 3.18.0
envlist = py3,pep8

[testenv]
usedevelop = True
deps = -r{toxinidir}/test-requirements.txt
commands = stestr run {posargs}

[testenv:pep8]
description = Run style checks.
commands = flake8 {posargs}

[flake8]
# H106: Don't put vim configuration in source files
# H203: Use assertIs(Not)None to check for None
enable-extensions = H106,H203,GSB
show-source = False
ignore = E123,E125,H405,W504
exclude = .venv,.git,.tox,dist,doc,*lib/python*,*egg,build
"""

SETUP_CFG = """\
[metadata]
name = sample
summary = An OpenStack-style sample project

[files]
packages = sample

[security-bot]
test-paths = sample/hacking/**
per-file-ignores =
    sample/tests/unit/test_legacy.py: GSB113
"""

TEST_SERVERS = """\
import os
import subprocess
import tempfile
import time
from unittest import mock

from sample import test


class TestServers(test.TestCase):
    def test_start(self):
        m = mock.Mock()
        m.start()
        m.called_once_with()
        self.assertTrue(True)

    def test_cleanup(self):
        path = tempfile.mktemp()
        os.system('rm -rf ' + path)  # noqa: GSB502
        subprocess.call('ls ' + path, shell=True)  # nosec B602 - fixed command

    def test_wait(self):
        server = mock.Mock(status='BUILD')
        while server.status != 'ACTIVE':
            time.sleep(1)
        self.assertEqual(server.ratio(), 0.5)
"""

TEST_LEGACY = """\
from sample import test


class TestLegacy(test.TestCase):
    def test_old(self):
        self.assertEquals(1, 1 + 0)
        self.assertRaises(Exception, int, 'x')
"""

CHECKS = """\
import os, sys
from http.server import HTTPServer


def check(logical_line):
    if os.environ.get(sys.argv[0]):
        yield 0, 'N999: never'


def serve(handler):
    return HTTPServer(('', 8080), handler)
"""


def _flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "flake8"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def _analyze(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "security-bot"), "analyze", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _gsb_lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if GSB_LINE.match(line))


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample-project"
    (root / ".git").mkdir(parents=True)
    files = {
        "tox.ini": TOX_INI,
        "setup.cfg": SETUP_CFG,
        "test-requirements.txt": "hacking>=7.0.0,<8.2.0 # Apache-2.0\ngerrit-security-bot\n",
        "sample/__init__.py": "",
        "sample/test.py": "import testtools\n\n\nclass TestCase(testtools.TestCase):\n    pass\n",
        "sample/hacking/__init__.py": "",
        "sample/hacking/checks.py": CHECKS,
        "sample/tests/__init__.py": "",
        "sample/tests/unit/__init__.py": "",
        "sample/tests/unit/test_servers.py": TEST_SERVERS,
        "sample/tests/unit/test_legacy.py": TEST_LEGACY,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_sample_project_pep8_env_reports_what_analyze_reports(sample: Path) -> None:
    flake8 = _flake8(sample)
    analyze = _analyze(sample, ".")
    assert analyze.returncode == 1, analyze.stderr
    assert flake8.returncode == 1, flake8.stderr
    ours = _gsb_lines(flake8.stdout)
    assert ours == sorted(analyze.stdout.splitlines())
    found = {(Path(m["path"]).name, int(m["line"]), m["code"]) for m in map(GSB_LINE.match, ours)}
    assert found == {
        ("test_servers.py", 14, "GSB111"),  # mock-nonexistent-assertion
        ("test_servers.py", 15, "GSB101"),  # assert-always-true
        ("test_servers.py", 18, "GSB204"),  # insecure-temp-file
        ("test_servers.py", 24, "GSB304"),  # unbounded-wait-loop
        ("test_servers.py", 26, "GSB107"),  # float-exact-equality
        ("test_legacy.py", 7, "GSB102"),  # assert-raises-too-broad; GSB113 ignored per file
        ("checks.py", 11, "GSB202"),  # bind-all-interfaces
    }
    # sample/hacking/ is test code by the project's test-paths: low there, medium elsewhere
    assert any("checks.py:11:5: GSB202 [low]" in line for line in ours)
    # the noqa for GSB502 and the nosec B602 silenced their lines in both tools
    assert not any(":19:" in line or ":20:" in line for line in ours)
    # hacking ran in the same flake8 run (H202: its own assertRaises(Exception) check)
    assert re.search(r"sample/tests/unit/test_legacy.py:7:\d+: H202", flake8.stdout), flake8.stdout


def test_off_by_default_and_select_needs_extend_select(sample: Path) -> None:
    tox = sample / "tox.ini"
    tox.write_text(TOX_INI.replace("enable-extensions = H106,H203,GSB", "enable-extensions = H106"))
    quiet = _flake8(sample)
    assert _gsb_lines(quiet.stdout) == [] and " H202" in quiet.stdout
    # a project that lists its own `select` adds GSB there (or with extend-select)
    tox.write_text(TOX_INI + "select = E,W,F,H\n")
    assert _gsb_lines(_flake8(sample).stdout) == []
    tox.write_text(TOX_INI + "select = E,W,F,H\nextend-select = GSB\n")
    assert len(_gsb_lines(_flake8(sample).stdout)) == 7


def test_flake8_select_and_per_project_settings_apply(sample: Path) -> None:
    (sample / "setup.cfg").write_text(
        SETUP_CFG + "severity = medium\nexclude = sample/tests/unit/test_legacy.py\n"
    )
    ours = _gsb_lines(_flake8(sample).stdout)
    assert ours == sorted(_analyze(sample, ".").stdout.splitlines())
    assert [GSB_LINE.match(x)["code"] for x in ours] == ["GSB111", "GSB101", "GSB204", "GSB304"]  # type: ignore[index]
    only = _gsb_lines(_flake8(sample, "--select", "GSB2").stdout)
    assert [GSB_LINE.match(x)["code"] for x in only] == ["GSB204"]  # type: ignore[index]


def test_invalid_settings_fail_the_run_with_one_line_per_file(sample: Path) -> None:
    (sample / "setup.cfg").write_text(SETUP_CFG + "ignroe = GSB101\n")
    result = _flake8(sample, "sample/tests/unit/test_servers.py")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "sample/tests/unit/test_servers.py:1:1: GSB000 invalid security-bot settings, none "
        "applied: setup.cfg [security-bot]: unknown key 'ignroe' (known: select, ignore, "
        "severity, exclude, test-paths, per-file-ignores)"
    ]


# ------------------------------------------------------------------------ a real tree


@pytest.fixture(scope="session")
def nova_tests(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """nova 34.0.0's published tests (the wheel ships them), unpacked once per session."""
    cache = Path(
        os.environ.get("SECURITY_BOT_TEST_CACHE", Path.home() / ".cache" / "security-bot-tests")
    )
    wheels = cache / "wheels"
    found = sorted(wheels.glob("nova-34.0.0-*.whl")) if wheels.exists() else []
    if not found:
        wheels.mkdir(parents=True, exist_ok=True)
        got = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", NOVA, "-d", str(wheels)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        found = sorted(wheels.glob("nova-34.0.0-*.whl"))
        if not found:
            reason = f"cannot download {NOVA}: {got.stderr.strip().splitlines()[-1:]}"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
    root = tmp_path_factory.mktemp("nova")
    with zipfile.ZipFile(found[0]) as wheel:
        for name in wheel.namelist():
            if name.startswith("nova/tests/"):
                wheel.extract(name, root)
    return root


@pytest.mark.slow
def test_nova_tests_same_findings_through_flake8_and_analyze(nova_tests: Path) -> None:
    # A slice of the tree (about a hundred files) with findings of several rules, many
    # clean files, and one file with a finding on a line with a bare noqa; the whole tree
    # takes minutes under flake8's own checks (pycodestyle, pyflakes, hacking run whatever
    # is selected). Both tools see the model of the whole nova package.
    dirs = [
        f"nova/tests/{d}"
        for d in ("unit/scheduler", "unit/virt/vmwareapi", "unit/conductor", "unit/image",
                  "unit/db", "fixtures", "unit/compute/test_compute_mgr.py")
    ]  # fmt: skip
    (nova_tests / "tox.ini").write_text("[flake8]\nenable-extensions = GSB\nselect = GSB\n")
    flake8 = _flake8(nova_tests, "-j2", *dirs)
    analyze = _analyze(nova_tests, "--jobs", "2", *dirs)
    assert flake8.returncode == 1 and analyze.returncode == 1, (flake8.stderr, analyze.stderr)
    through_flake8 = _gsb_lines(flake8.stdout)
    through_analyze = sorted(analyze.stdout.splitlines())
    assert len(through_analyze) >= 15

    # flake8 hides every finding on a line with a bare noqa comment (written for hacking's
    # H202 there); analyze does not read a bare noqa. Every other finding is the same line.
    def on_bare_noqa(line: str) -> bool:
        m = GSB_LINE.match(line)
        assert m
        text = (nova_tests / m["path"]).read_text().splitlines()[int(m["line"]) - 1]
        return bool(BARE_NOQA.search(text))

    hidden = [line for line in through_analyze if on_bare_noqa(line)]
    assert len(hidden) == 1 and "test_compute_mgr.py:9201:" in hidden[0]
    assert through_flake8 == [line for line in through_analyze if line not in hidden]
    assert len({GSB_LINE.match(x)["code"] for x in through_flake8}) >= 5  # type: ignore[index]
