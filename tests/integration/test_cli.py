"""The command line as a user runs it: real processes, real files, the fake Gerrit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.cli import main
from bot.store import JobKind, JobSpec, JobStatus, Store, patchset_key
from fakegerrit import FakeGerrit
from tests.support import BOT_PASSWORD, PROJECT


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("SECURITY_BOT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        check=False,
    )


def test_demo_once_json_reports_every_sample_as_expected() -> None:
    proc = run_cli("demo", "--once", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True
    names = {s["name"]: s for s in summary["samples"]}
    assert {"clean", "defects", "trivial-rebase", "no-test-code"} <= set(names)
    assert names["clean"]["outcome"] == "posted:clean"
    assert names["defects"]["outcome"] == "posted:defects"
    assert names["trivial-rebase"]["outcome"].startswith("carried:")
    assert names["no-test-code"]["outcome"] == "skipped"
    for sample in summary["samples"]:
        assert set(sample) == {"name", "change", "patchset", "expected", "outcome", "ok"}


def test_analyze_json_and_exit_status(tmp_path: Path) -> None:
    tests_dir = tmp_path / "proj" / "tests"
    tests_dir.mkdir(parents=True)
    (tests_dir / "test_bad.py").write_text(
        "from unittest import mock\n\n\n"
        "def test_x():\n    m = mock.Mock()\n    m.called_once_with(1)\n"
    )
    (tests_dir / "test_good.py").write_text("def test_y():\n    assert 1 + 1 == 2\n")
    proc = run_cli("analyze", "--format", "json", str(tmp_path / "proj"))
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert out["files"] == 2
    [finding] = out["findings"]
    assert finding["rule"] == "mock-nonexistent-assertion"
    assert finding["line"] == 6 and finding["severity"] == "high"
    assert finding["cwe"].startswith("CWE-") and finding["pillars"]
    assert finding["path"].endswith("tests/test_bad.py")

    clean = run_cli("analyze", str(tests_dir / "test_good.py"))
    assert clean.returncode == 0
    missing = run_cli("analyze", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_rules_lists_the_catalogue(capsys) -> None:
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    ids = {r["id"] for r in rules}
    assert {"mock-nonexistent-assertion", "shell-injection", "hardcoded-credential"} <= ids
    assert all(r["pillars"] for r in rules)


def _gerrit_env(fake: FakeGerrit, tmp_path: Path, password: str = BOT_PASSWORD) -> dict[str, str]:
    return {
        "SECURITY_BOT_GERRIT__URL": fake.url,
        "SECURITY_BOT_GERRIT_PASSWORD": password,
        "SECURITY_BOT_STORE__URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "SECURITY_BOT_SCM__CACHE_DIR": str(tmp_path / "mirrors"),
        "SECURITY_BOT_DASHBOARD__ENABLED": "false",
    }


def test_review_dry_run_prints_and_posts_nothing(fake_gerrit: FakeGerrit, tmp_path: Path) -> None:
    change = fake_gerrit.create_change(
        PROJECT,
        {"sample/tests/test_z.py": "import os\n\n\ndef test_z(p):\n    os.system('rm ' + p)\n"},
        "Z",
    )
    proc = run_cli("review", f"{change},1", "--dry-run", env=_gerrit_env(fake_gerrit, tmp_path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "shell-injection" in proc.stdout
    assert "--- inline comment on sample/tests/test_z.py line 5 ---" in proc.stdout
    assert fake_gerrit.reviews(change) == []

    posted = run_cli("review", str(change), env=_gerrit_env(fake_gerrit, tmp_path))
    assert posted.returncode == 0, posted.stderr[-2000:]
    assert f"change {change} patch set 1: posted" in posted.stdout
    assert len(fake_gerrit.reviews(change)) == 1


def test_review_runs_its_job_now_whatever_is_queued_before_it(
    fake_gerrit: FakeGerrit, tmp_path: Path
) -> None:
    change = fake_gerrit.create_change(
        PROJECT, {"sample/tests/test_y.py": "def test_y():\n    assert 1 + 1 == 2\n"}, "Y"
    )
    env = _gerrit_env(fake_gerrit, tmp_path)
    backlog = JobSpec(
        trigger_key=patchset_key(PROJECT, 99999, 1),
        kind=JobKind.NEW,
        project=PROJECT,
        change=99999,
        patchset=1,
        revision="a" * 40,
    )
    with Store(env["SECURITY_BOT_STORE__URL"]) as store:
        assert store.enqueue(backlog) is not None  # queued for the running bot, not for us
    proc = run_cli("review", f"{change},1", env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"change {change} patch set 1: posted" in proc.stdout
    assert len(fake_gerrit.reviews(change)) == 1
    with Store(env["SECURITY_BOT_STORE__URL"]) as store:
        waiting = store.job_by_key(backlog.trigger_key)
        assert waiting is not None and waiting.status is JobStatus.PENDING


def test_review_of_a_missing_patch_set_says_so(fake_gerrit: FakeGerrit, tmp_path: Path) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_w.py": "x = 1\n"}, "W")
    proc = run_cli("review", f"{change},7", env=_gerrit_env(fake_gerrit, tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        f"security-bot: change {change} has no patch set 7"
    )


def test_wrong_password_stops_run_with_one_line(fake_gerrit: FakeGerrit, tmp_path: Path) -> None:
    proc = run_cli(
        "run", env=_gerrit_env(fake_gerrit, tmp_path, password="wrong-password"), timeout=60
    )
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("security-bot: Gerrit at ") and "rejected the credentials" in last
    assert "wrong-password" not in proc.stderr
