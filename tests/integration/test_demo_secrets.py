"""The demo's fake Gerrit has no known secret: the bot's password is made per run.

Issue 17 #19: with the fixed ``bot-secret``/``demo-password`` any local user could post
reviews and push refs as the bot while a demo ran. Performed here: the old fixed secrets
and a guess are tried over HTTP (REST and git push) and refused; the per-run secret works.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import requests

from bot.demo.samples import PROJECT, Demo
from fakegerrit import FakeGerrit

OLD_SECRETS = ("bot-secret", "demo-password", "")


def _push(url: str, user: str, password: str, work: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(work),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Mallory",
        "GIT_AUTHOR_EMAIL": "m@example.org",
        "GIT_COMMITTER_NAME": "Mallory",
        "GIT_COMMITTER_EMAIL": "m@example.org",
    }
    remote = url.replace("http://", f"http://{user}:{password}@") + f"/a/{PROJECT}"

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-c", "credential.helper=", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    git("init", "-q", "-b", "evil")
    (work / "evil.txt").write_text("pwned\n")
    git("add", ".")
    git("commit", "-q", "-m", "evil")
    return git("push", remote, "+HEAD:refs/heads/master")  # forced: the server decides


def test_each_demo_run_has_its_own_bot_secret_and_the_old_ones_fail(tmp_path: Path) -> None:
    first, second = Demo(tmp_path / "one"), Demo(tmp_path / "two")
    try:
        secrets_seen = {first.harness.password, second.harness.password}
        assert len(secrets_seen) == 2 and not secrets_seen & set(OLD_SECRETS)
        fake = first.fake
        me = requests.get(
            f"{fake.url}/a/accounts/self", auth=("security-bot", first.harness.password), timeout=10
        )
        assert me.status_code == 200
        for guess in (*OLD_SECRETS, second.harness.password):
            r = requests.post(
                f"{fake.url}/a/changes/1/revisions/current/review",
                json={"message": "posted by someone else"},
                auth=("security-bot", guess),
                timeout=10,
            )
            assert r.status_code == 401, guess
        work = tmp_path / "mallory"
        work.mkdir()
        master = fake.state.git.repo(PROJECT).references["refs/heads/master"].target
        pushed = _push(fake.url, "security-bot", "demo-password", work)
        assert pushed.returncode != 0
        # Even the run's own accounts may only push for review, as on Gerrit.
        fake.add_account("newcomer", "New Comer", "n@example.org", "newcomer-pw")
        pushed = _push(fake.url, "newcomer", "newcomer-pw", work)
        assert pushed.returncode != 0 and "prohibited by Gerrit" in pushed.stderr
        pushed = _push(fake.url, "security-bot", first.harness.password, work)
        assert pushed.returncode != 0 and "prohibited by Gerrit" in pushed.stderr
        assert fake.state.git.repo(PROJECT).references["refs/heads/master"].target == master
        # The bot's configuration holds the run's secret, in a file only its owner reads.
        secret_file = first.workdir / "gerrit-password"
        assert secret_file.read_text() == first.harness.password
        assert secret_file.stat().st_mode & 0o077 == 0
    finally:
        first.close()
        second.close()


def test_the_fake_itself_has_no_default_secret(tmp_path: Path) -> None:
    with FakeGerrit(tmp_path / "a").start() as a, FakeGerrit(tmp_path / "b").start() as b:
        assert a.bot_password != b.bot_password
        for fake in (a, b):
            r = requests.get(
                f"{fake.url}/a/accounts/self", auth=("security-bot", "bot-secret"), timeout=10
            )
            assert r.status_code == 401
            ok = requests.get(
                f"{fake.url}/a/accounts/self", auth=("security-bot", fake.bot_password), timeout=10
            )
            assert ok.status_code == 200
