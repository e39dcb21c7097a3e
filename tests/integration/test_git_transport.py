"""The bot's fetch through git's own client against the fake Gerrit's smart HTTP.

What is shown: protocol v2 is spoken (the server is asked with ``Git-Protocol: version=2``
and never advertises every ref), a mirror's first fetch is shallow yet the diff against the
parent works, later fetches are incremental, the password is never on git's command line,
and a fetch that runs long calls the heartbeat and stops when the lease is lost.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.scm import FetchError, Mirrors, gitcli
from fakegerrit import FakeGerrit, Fault

PASSWORD = "bot-secret"


@pytest.fixture
def fg(tmp_path: Path) -> Iterator[FakeGerrit]:
    with FakeGerrit(tmp_path / "server", bot_password=PASSWORD).start() as server:
        server.create_project("openstack/nova", {"README.rst": "nova\n", "nova/a.py": "a = 1\n"})
        for i in range(5):
            server.commit_to_branch("openstack/nova", {"nova/a.py": f"a = {i}\n"}, f"c{i}")
        yield server


def _mirrors(tmp_path: Path) -> Mirrors:
    return Mirrors(
        tmp_path / "m", username="security-bot", password=PASSWORD, timeout=20, transport="git"
    )


def test_protocol_v2_shallow_first_fetch_then_incremental(fg: FakeGerrit, tmp_path: Path) -> None:
    n = fg.create_change("openstack/nova", {"nova/tests/test_a.py": "def test():\n    pass\n"}, "t")
    mirrors = _mirrors(tmp_path)
    url = f"{fg.url}/a/openstack/nova"
    fg.clear_requests()
    rev = mirrors.fetch("openstack/nova", url, fg.ref(n, 1), fg.revision(n, 1))
    assert [f.path for f in rev.changed_files()] == ["nova/tests/test_a.py"]
    git_requests = [r for r in fg.requests if r.git]
    assert git_requests and all(
        r.headers.get("Git-Protocol") == "version=2" for r in git_requests
    ), [(r.path, r.headers.get("Git-Protocol")) for r in git_requests]
    # v2's ls-refs names only the wanted ref: no full advertisement came back.
    mirror = mirrors.repo_path("openstack/nova")
    assert (mirror / "shallow").is_file(), "the first fetch was not bounded"
    depth = subprocess.run(
        ["git", "--git-dir", str(mirror), "rev-list", "--count", fg.revision(n, 1)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert int(depth) <= 2  # the patch set and its parent, not the 7-commit history

    fg.commit_to_branch("openstack/nova", {"nova/a.py": "a = 99\n"}, "moved on")
    fg.upload_patchset(n, {"nova/tests/test_a.py": "def test():\n    assert 1\n"})
    rev2 = mirrors.fetch("openstack/nova", url, fg.ref(n, 2), fg.revision(n, 2))
    assert rev2.sha == fg.revision(n, 2)
    assert [f.path for f in rev2.changed_files()] == ["nova/tests/test_a.py"]


def test_password_never_on_the_command_line(
    fg: FakeGerrit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    real = subprocess.Popen

    def spy(args: Any, *a: Any, **kw: Any) -> Any:
        seen.append(list(args))
        return real(args, *a, **kw)

    monkeypatch.setattr(gitcli.subprocess, "Popen", spy)
    n = fg.create_change("openstack/nova", {"x.py": "x = 1\n"}, "x")
    _mirrors(tmp_path).fetch(
        "openstack/nova", f"{fg.url}/a/openstack/nova", fg.ref(n, 1), fg.revision(n, 1)
    )
    assert seen and all(PASSWORD not in " ".join(args) for args in seen)
    assert any(r.authenticated_as == "security-bot" for r in fg.requests if r.git)


def test_wrong_password_is_a_clean_error(fg: FakeGerrit, tmp_path: Path) -> None:
    n = fg.create_change("openstack/nova", {"x.py": "x = 1\n"}, "x")
    mirrors = Mirrors(tmp_path / "m", username="security-bot", password="nope", transport="git")
    with pytest.raises(FetchError, match="authentication failed") as err:
        mirrors.fetch("openstack/nova", f"{fg.url}/a/openstack/nova", fg.ref(n, 1))
    assert "nope" not in str(err.value)


def test_long_fetch_beats_and_stops_when_the_lease_is_lost(
    fg: FakeGerrit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gitcli, "HEARTBEAT_SECONDS", 0.2)
    n = fg.create_change("openstack/nova", {"x.py": "x = 1\n"}, "x")
    fg.add_fault(Fault("delay", delay=3.0, path=r"git-upload-pack$", times=None))
    beats: list[float] = []

    def heartbeat() -> bool:
        beats.append(1)
        return len(beats) < 3

    with pytest.raises(FetchError, match="lease was lost"):
        _mirrors(tmp_path).fetch(
            "openstack/nova", f"{fg.url}/a/openstack/nova", fg.ref(n, 1), heartbeat=heartbeat
        )
    assert len(beats) == 3
