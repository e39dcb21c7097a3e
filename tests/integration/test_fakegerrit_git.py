"""Git over the fake Gerrit's smart HTTP (git http-backend), with the git CLI and pygit2."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pygit2
import pytest

from fakegerrit import FakeGerrit, Fault

BOT = ("security-bot", "bot-secret")


@pytest.fixture
def fg(tmp_path: Path) -> Iterator[FakeGerrit]:
    with FakeGerrit(tmp_path / "server", bot_password=BOT[1]).start() as server:
        server.create_project("openstack/nova", {"README.rst": "nova\n", "nova/foo.py": "a = 1\n"})
        yield server


def git(*args: str, cwd: Path | None = None) -> str:
    env_args = ["-c", "protocol.version=2", "-c", "credential.helper="]
    out = subprocess.run(
        ["git", *env_args, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "GIT_TERMINAL_PROMPT": "0",
            "PATH": os.environ["PATH"],
            "HOME": str(cwd or Path.cwd()),
        },
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_clone_and_fetch_change_ref_with_git_cli(fg: FakeGerrit, tmp_path: Path) -> None:
    n = fg.create_change(
        "openstack/nova", {"nova/tests/test_foo.py": "def test():\n    pass\n"}, "Add test"
    )
    work = tmp_path / "clone"
    git("clone", "-q", f"{fg.url}/openstack/nova", str(work), cwd=tmp_path)
    assert (work / "README.rst").read_text() == "nova\n"
    git("fetch", "-q", "origin", fg.ref(n, 1), cwd=work)
    assert git("rev-parse", "FETCH_HEAD", cwd=work).strip() == fg.revision(n, 1)
    assert fg.ref(n, 1) == f"refs/changes/{n:02d}/{n}/1"
    refs = git("ls-remote", f"{fg.url}/openstack/nova", cwd=tmp_path)
    assert f"{fg.revision(n, 1)}\trefs/changes/{n:02d}/{n}/1" in refs
    assert any(r.git for r in fg.requests)


def test_git_cli_authenticated(fg: FakeGerrit, tmp_path: Path) -> None:
    n = fg.create_change("openstack/nova", {"x.py": "x\n"}, "x")
    fg.upload_patchset(n, {"x.py": "y\n"})
    host = fg.url.removeprefix("http://")
    repo = tmp_path / "r.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    git(
        "fetch",
        "-q",
        f"http://security-bot:bot-secret@{host}/a/openstack/nova",
        fg.ref(n, 2),
        cwd=repo,
    )
    assert git("rev-parse", "FETCH_HEAD", cwd=repo).strip() == fg.revision(n, 2)
    assert any(r.authenticated_as == "security-bot" and r.git for r in fg.requests)
    out = subprocess.run(
        [
            "git",
            "-c",
            "credential.helper=",
            "ls-remote",
            f"http://bob:wrong@{host}/a/openstack/nova",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"GIT_TERMINAL_PROMPT": "0", "PATH": os.environ["PATH"]},
    )
    assert out.returncode != 0


@pytest.mark.parametrize("authenticated", [False, True])
def test_pygit2_fetch_change_ref(fg: FakeGerrit, tmp_path: Path, authenticated: bool) -> None:
    project = "openstack/nova"
    n = fg.create_change(project, {"nova/tests/test_a.py": "assert True\n"}, "Add a")
    ref = fg.ref(n, 1)
    repo = pygit2.init_repository(str(tmp_path / "mirror.git"), bare=True)
    url = f"{fg.url}/a/{project}" if authenticated else f"{fg.url}/{project}"
    remote = repo.remotes.create_anonymous(url)
    callbacks = None
    if authenticated:
        callbacks = pygit2.RemoteCallbacks(credentials=pygit2.UserPass(*BOT))
    remote.fetch([f"+{ref}:refs/bot/ps"], callbacks=callbacks)
    assert str(repo.references["refs/bot/ps"].target) == fg.revision(n, 1)
    commit = repo[fg.revision(n, 1)]
    assert isinstance(commit, pygit2.Commit)
    assert commit.tree["nova/tests/test_a.py"].data == b"assert True\n"  # type: ignore[attr-defined]
    if authenticated:
        assert any(r.authenticated_as == "security-bot" for r in fg.requests if r.git)


def test_git_faults_apply(fg: FakeGerrit, tmp_path: Path) -> None:
    fg.add_fault(Fault("status", status=503, path=r"/info/refs"))
    repo = pygit2.init_repository(str(tmp_path / "m.git"), bare=True)
    remote = repo.remotes.create_anonymous(f"{fg.url}/openstack/nova")
    with pytest.raises(pygit2.GitError):
        remote.fetch(["+refs/heads/master:refs/heads/master"])
    remote.fetch(["+refs/heads/master:refs/heads/master"])
    assert str(repo.references["refs/heads/master"].target) == fg.state.branch_head(
        "openstack/nova", "master"
    )
