"""The pre-commit hook, through ``pre-commit try-repo`` on a sample repository: pre-commit
installs this repository into its own environment and runs the hook on the staged files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
DEFECTIVE = (
    "from unittest import mock\n\n\ndef test_x():\n    m = mock.Mock()\n    m.called_once_with(1)\n"
)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_hook_definition_runs_analyze_on_python_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["security-bot"]
    assert hooks[0]["entry"] == "security-bot analyze" and hooks[0]["types"] == ["python"]


@pytest.mark.slow
def test_try_repo_reports_findings_and_honours_project_settings(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    (sample / "sample" / "tests").mkdir(parents=True)
    (sample / "sample" / "tests" / "test_x.py").write_text(DEFECTIVE)
    (sample / "sample" / "tests" / "test_ok.py").write_text(
        "def test_ok():\n    assert sum([1, 1]) == 2\n"
    )
    _git(sample, "init", "-q")
    _git(sample, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "pre-commit"), "try-repo", str(ROOT), "security-bot", "--all-files"],
            cwd=sample,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "sample/tests/test_x.py:6:5: GSB111 [high] mock-nonexistent-assertion" in failed.stdout

    # the project's own settings are read by the hook as by the command
    (sample / "setup.cfg").write_text("[security-bot]\nignore = GSB111\n")
    _git(sample, "add", ".")
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "GSB111" not in passed.stdout
