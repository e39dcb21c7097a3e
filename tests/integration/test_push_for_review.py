"""Plain git against the fake Gerrit: ``git push origin HEAD:refs/for/<branch>``.

Pushing a commit with a ``Change-Id`` footer creates a change; pushing an amended commit with
the same footer adds a patch set whose kind the fake computes from the commits; a commit
without the footer and an unknown branch are refused with Gerrit's messages. Fetching the
change ref with protocol v0 and v2 gives the pushed commit back.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakegerrit import FakeGerrit

CID = "I" + "0123456789abcdef" * 2 + "01234567"


@pytest.fixture
def fg(tmp_path: Path) -> Iterator[FakeGerrit]:
    with FakeGerrit(tmp_path / "server").start() as server:
        server.create_project("openstack/nova", {"README.rst": "nova\n", "nova/a.py": "a = 1\n"})
        server.add_account("newcomer", "New Comer", "new@example.org", "pw-newcomer")
        yield server


def git(*args: str, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        ["git", "-c", "credential.helper=", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "GIT_TERMINAL_PROMPT": "0",
            "PATH": os.environ["PATH"],
            "HOME": str(cwd),
            "GIT_AUTHOR_NAME": "New Comer",
            "GIT_AUTHOR_EMAIL": "new@example.org",
            "GIT_COMMITTER_NAME": "New Comer",
            "GIT_COMMITTER_EMAIL": "new@example.org",
        },
    )
    if ok:
        assert out.returncode == 0, out.stderr
    return out


def _clone(fg: FakeGerrit, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    url = fg.url.replace("http://", "http://newcomer:pw-newcomer@") + "/a/openstack/nova"
    git("clone", "-q", url, str(work), cwd=tmp_path)
    return work


def test_push_creates_a_change_then_a_patch_set(fg: FakeGerrit, tmp_path: Path) -> None:
    work = _clone(fg, tmp_path)
    (work / "nova" / "test_new.py").write_text("def test():\n    assert True\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", f"Add a test\n\nChange-Id: {CID}", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/for/master", cwd=work)
    info = fg.change_info(1)
    assert info["change_id"] == CID and info["owner"]["_account_id"] != fg.bot_account_id
    head = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    assert fg.revision(1, 1) == head
    assert "refs/for/master" not in git("ls-remote", "origin", cwd=work).stdout

    git("commit", "-q", "--amend", "-m", f"Add a test (reworded)\n\nChange-Id: {CID}", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/for/master", cwd=work)
    assert fg.revision(1, 2) == git("rev-parse", "HEAD", cwd=work).stdout.strip()
    assert fg.state.change(1).patchset(2).kind == "NO_CODE_CHANGE"

    (work / "nova" / "test_new.py").write_text("def test():\n    assert 1 == 1\n")
    git("commit", "-q", "-a", "--amend", "--no-edit", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/for/master", cwd=work)
    assert fg.state.change(1).patchset(3).kind == "REWORK"

    for version in ("0", "2"):
        got = git(
            "-c", f"protocol.version={version}", "fetch", "-q", "origin", fg.ref(1, 3), cwd=work
        )
        assert got.returncode == 0
        fetched = git("rev-parse", "FETCH_HEAD", cwd=work).stdout.strip()
        assert fetched == fg.revision(1, 3)


def test_push_without_change_id_or_to_unknown_branch_is_refused(
    fg: FakeGerrit, tmp_path: Path
) -> None:
    work = _clone(fg, tmp_path)
    (work / "x.py").write_text("x = 1\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", "No footer", cwd=work)
    out = git("push", "origin", "HEAD:refs/for/master", cwd=work, ok=False)
    assert out.returncode != 0 and "missing Change-Id in message footer" in out.stderr
    git("commit", "-q", "--amend", "-m", f"Footer\n\nChange-Id: {CID}", cwd=work)
    out = git("push", "origin", "HEAD:refs/for/nope", cwd=work, ok=False)
    assert out.returncode != 0 and "branch nope not found" in out.stderr
    assert fg.state.changes == {}


def test_a_direct_push_needs_the_push_permission(fg: FakeGerrit, tmp_path: Path) -> None:
    """As on Gerrit, an account may push for review, not straight to a branch or tag."""
    work = _clone(fg, tmp_path)
    (work / "d.py").write_text("d = 1\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", f"Direct\n\nChange-Id: {CID}", cwd=work)
    before = fg.state.git.repo("openstack/nova").references["refs/heads/master"].target
    for ref in ("refs/heads/master", "refs/heads/new-branch", "refs/tags/v1"):
        out = git("push", "origin", f"HEAD:{ref}", cwd=work, ok=False)
        assert out.returncode != 0 and "prohibited by Gerrit: not permitted" in out.stderr, ref
    repo = fg.state.git.repo("openstack/nova")
    assert repo.references["refs/heads/master"].target == before
    assert "refs/heads/new-branch" not in repo.references
    fg.allow_direct_push("newcomer")
    git("push", "-q", "origin", "HEAD:refs/heads/master", cwd=work)
    head = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    assert str(fg.state.git.repo("openstack/nova").references["refs/heads/master"].target) == head


def test_trivial_rebase_is_computed(fg: FakeGerrit, tmp_path: Path) -> None:
    work = _clone(fg, tmp_path)
    (work / "t.py").write_text("t = 1\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", f"T\n\nChange-Id: {CID}", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/for/master", cwd=work)
    fg.commit_to_branch("openstack/nova", {"other.py": "o = 1\n"}, "Elsewhere")
    git("fetch", "-q", "origin", cwd=work)
    git("rebase", "-q", "origin/master", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/for/master", cwd=work)
    assert fg.state.change(1).patchset(2).kind == "TRIVIAL_REBASE"


def test_pushed_merge_is_diffed_against_its_auto_merge(fg: FakeGerrit, tmp_path: Path) -> None:
    """Gerrit validates comment paths against a merge's diff to its auto-merge; so do
    the fake and the bot (a file merged cleanly from the other parent is not commentable)."""
    import requests

    from bot.scm import Mirrors

    work = _clone(fg, tmp_path)
    git("checkout", "-q", "-b", "side", cwd=work)
    (work / "side.py").write_text("s = 1\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", "Side", cwd=work)
    git("checkout", "-q", "master", cwd=work)
    (work / "main.py").write_text("m = 1\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", "Main", cwd=work)
    fg.allow_direct_push("newcomer")  # a project owner's Push permission
    git("push", "-q", "origin", "HEAD:refs/heads/master", cwd=work)
    git("merge", "-q", "--no-ff", "--no-commit", "side", cwd=work)
    (work / "resolved.py").write_text("r = 1\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", f"Merge side\n\nChange-Id: {CID}", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/for/master", cwd=work)

    url = f"{fg.url}/a/changes/1/revisions/current/review"
    auth = ("newcomer", "pw-newcomer")

    def post(path: str) -> requests.Response:
        body = {"comments": {path: [{"line": 1, "message": "x"}]}}
        return requests.post(url, json=body, auth=auth, timeout=10)

    refused = post("side.py")
    assert refused.status_code == 400 and "side.py" in refused.text
    assert post("resolved.py").status_code == 200

    mirrors = Mirrors(tmp_path / "m", username="newcomer", password="pw-newcomer")
    rev = mirrors.fetch("openstack/nova", f"{fg.url}/a/openstack/nova", fg.ref(1, 1))
    assert [f.path for f in rev.changed_files()] == ["resolved.py"]


def test_upload_kind_is_computed_from_the_commits(fg: FakeGerrit) -> None:
    n = fg.create_change("openstack/nova", {"k.py": "k = 1\n"}, "K")
    fg.upload_patchset(n, None, kind="REWORK")  # asks for a rework, changes nothing
    assert fg.state.change(n).patchset(2).kind == "NO_CHANGE"
    fg.upload_patchset(n, {"k.py": "k = 2\n"}, kind="REWORK")
    assert fg.state.change(n).patchset(3).kind == "REWORK"
    fg.commit_to_branch("openstack/nova", {"other.py": "o = 1\n"}, "Elsewhere")
    fg.upload_patchset(n, kind="TRIVIAL_REBASE")
    assert fg.state.change(n).patchset(4).kind == "TRIVIAL_REBASE"


def test_non_utf8_path_and_gitlink_are_answered(fg: FakeGerrit, tmp_path: Path) -> None:
    """A file whose name is not UTF-8 (and a submodule) in a pushed change: the fake answers
    its file list, names the path as Gerrit does (ISO-8859-1 fallback) and takes a comment on
    it; the bot names it the same way."""
    import requests

    from bot.scm import Mirrors

    work = _clone(fg, tmp_path)
    (work / os.fsdecode(b"caf\xe9.py")).write_text("x = 1\n")
    git("add", ".", cwd=work)
    sub = "160000,0123456789abcdef0123456789abcdef01234567,vendor/lib"
    git("update-index", "--add", "--cacheinfo", sub, cwd=work)
    git("commit", "-q", "-m", f"Odd paths\n\nChange-Id: {CID}", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/for/master", cwd=work)
    auth = ("newcomer", "pw-newcomer")
    files = requests.get(f"{fg.url}/a/changes/1/revisions/current/files", auth=auth, timeout=10)
    assert files.status_code == 200
    assert "caf\u00e9.py" in files.text and "vendor/lib" in files.text
    body = {"comments": {"caf\u00e9.py": [{"line": 1, "message": "x"}]}}
    posted = requests.post(
        f"{fg.url}/a/changes/1/revisions/current/review", json=body, auth=auth, timeout=10
    )
    assert posted.status_code == 200, posted.text
    rev = Mirrors(tmp_path / "m", username="newcomer", password="pw-newcomer").fetch(
        "openstack/nova", f"{fg.url}/a/openstack/nova", fg.ref(1, 1)
    )
    assert {f.path for f in rev.changed_files()} == {"caf\u00e9.py", "vendor/lib"}
