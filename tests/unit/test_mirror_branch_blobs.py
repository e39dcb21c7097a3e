"""Mirrors.branch_blobs / read_blob: a branch tip's top-level settings files, from real git."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from bot.scm import FetchError, Mirrors, ScmError


def _upstream(path: Path) -> str:
    repo = pygit2.init_repository(str(path), bare=True)
    builder = repo.TreeBuilder()
    builder.insert("setup.cfg", repo.create_blob(b"[security-bot]\nignore = GSB111\n"), 0o100644)
    builder.insert("tox.ini", repo.create_blob(b"setup.cfg"), pygit2.enums.FileMode.LINK)
    builder.insert("pyproject.toml", repo.create_blob(b"x" * 5000), 0o100644)
    sig = pygit2.Signature("t", "t@example.com")
    repo.create_commit("refs/heads/stable/1", sig, sig, "settings", builder.write(), [])
    return f"file://{path}"


def test_branch_blobs_names_regular_files_and_reads_them_bounded(tmp_path: Path) -> None:
    url = _upstream(tmp_path / "upstream.git")
    mirrors = Mirrors(tmp_path / "cache")
    commit, blobs = mirrors.branch_blobs(
        "p", url, "stable/1", ("pyproject.toml", "setup.cfg", "tox.ini")
    )
    assert len(commit) == 40
    assert set(blobs) == {"pyproject.toml", "setup.cfg"}  # the symlink is not read
    assert mirrors.read_blob("p", blobs["setup.cfg"], 1000) == b"[security-bot]\nignore = GSB111\n"
    with pytest.raises(ScmError, match="over the 1000 limit"):
        mirrors.read_blob("p", blobs["pyproject.toml"], 1000)
    with pytest.raises(FetchError):
        mirrors.branch_blobs("p", url, "no-such-branch", ("setup.cfg",))
    with pytest.raises(FetchError, match="invalid ref name"):
        mirrors.branch_blobs("p", url, "../../etc", ("setup.cfg",))
