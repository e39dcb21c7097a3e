"""Clients no one here wrote judge the fake Gerrit: pygerrit2's REST client and git-review.

(python-gerritclient is the judge of tests/integration/test_gerrit_conformance.py, plain
git of test_push_for_review.py and test_fakegerrit_git.py.) If the fake answered
differently from Gerrit where these clients depend on it, they would fail here: pygerrit2
strips the XSSI guard and posts ``str(dict)`` (a Python repr) as JSON; git-review fetches
the commit-msg hook from ``/tools/hooks/commit-msg`` and pushes to
``refs/for/<branch>%topic=<branch name>``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import git_review  # noqa: F401 - the test extra installs it; the tests run its command
import pytest
import requests
from pygerrit2 import GerritRestAPI, GerritReview, HTTPBasicAuth

from bot.demo.harness import drain
from bot.demo.samples import PROJECT, Demo
from fakegerrit import FakeGerrit
from tests.support import bot_reviews

PASSWORD = "pygerrit2-judge"
NEWCOMER = ("newcomer", "newcomer-pw-7")
DEFECT = (
    "from unittest import mock\n\n\n"
    "def test_called():\n"
    "    m = mock.Mock()\n"
    "    m(1)\n"
    "    m.called_once_with(1)\n"
)


@pytest.fixture
def fg(tmp_path: Path) -> Iterator[FakeGerrit]:
    with FakeGerrit(tmp_path / "gerrit", bot_password=PASSWORD).start() as server:
        server.create_project(
            "openstack/nova", {"README.rst": "nova\n", "nova/foo.py": "a = 1\nb = 2\n"}
        )
        server.create_project("openstack/nova-tempest-plugin", {"README.rst": "t\n"})
        yield server


@pytest.fixture
def rest(fg: FakeGerrit) -> GerritRestAPI:
    return GerritRestAPI(url=fg.url, auth=HTTPBasicAuth("security-bot", PASSWORD))


# -- pygerrit2 -------------------------------------------------------------------------------


def test_pygerrit2_queries_with_quoted_values(fg: FakeGerrit, rest: GerritRestAPI) -> None:
    nova = fg.create_change("openstack/nova", {"nova/foo.py": "a = 2\n"}, "Nova change")
    fg.create_change("openstack/nova-tempest-plugin", {"t.py": "t = 1\n"}, "Plugin change")
    for value, expected in (
        ("^openstack/nova$", [nova]),
        ("openstack/nova", [nova]),
        ("^openstack/[a-z]+-tempest-plugin", [nova + 1]),
    ):
        q = f'status:open project:"{value}" branch:"master"'
        found = rest.get(f"/changes/?q={quote(q, safe='')}&o=CURRENT_REVISION")
        assert [c["_number"] for c in found] == expected, value
        assert all(c["current_revision"] for c in found)
    me = rest.get("/accounts/self")
    assert me["username"] == "security-bot"


def test_pygerrit2_sees_gerrits_400_for_an_unquoted_regex(rest: GerritRestAPI) -> None:
    with pytest.raises(requests.HTTPError) as err:
        rest.get(f"/changes/?q={quote('project:^openstack/nova$', safe='')}")
    assert err.value.response.status_code == 400
    assert err.value.response.text == "line 1:23 no viable alternative at character '$'\n"


def test_pygerrit2_review_with_a_dict_is_posted_as_a_python_repr_and_taken(
    fg: FakeGerrit, rest: GerritRestAPI
) -> None:
    n = fg.create_change("openstack/nova", {"nova/foo.py": "a = 1\nb = 3\n"}, "Change b")
    fg.clear_requests()
    review = {
        "message": "Isn't it fine?",
        "labels": {"Code-Review": 1},
        "comments": {"nova/foo.py": [{"line": 2, "message": "b is 3 now"}]},
        "omit_duplicate_comments": True,
    }
    rest.review(str(n), "current", review)
    sent = next(r for r in fg.requests if r.path.endswith("/review")).body
    assert sent.startswith(b"{'message':")  # not JSON: Gson's lenient reader takes it
    messages = fg.messages(n)
    assert messages[-1]["message"] == (
        "Patch Set 1: Code-Review+1\n\n(1 comment)\n\nIsn't it fine?"
    )
    assert fg.comments(n)["nova/foo.py"][0]["line"] == 2
    # GerritReview sends JSON proper; the same fake takes both.
    rest.review(str(n), "current", GerritReview(message="Second look", labels={"Code-Review": 0}))
    assert fg.messages(n)[-1]["message"] == "Patch Set 1: -Code-Review\n\nSecond look"


# -- git-review against the demo --------------------------------------------------------------


def _git_review_env(home: Path) -> dict[str, str]:
    bindir = str(Path(sys.executable).parent)  # git-review is installed next to python
    return {
        "PATH": bindir + os.pathsep + os.environ["PATH"],
        "HOME": str(home),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "New Comer",
        "GIT_AUTHOR_EMAIL": "newcomer@example.org",
        "GIT_COMMITTER_NAME": "New Comer",
        "GIT_COMMITTER_EMAIL": "newcomer@example.org",
    }


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, (cmd, out.stdout, out.stderr)
    return out.stdout + out.stderr


def test_git_review_pushes_a_newcomers_change_to_the_demo_and_the_bot_reviews_it(
    tmp_path: Path,
) -> None:
    assert shutil.which("git-review", path=_git_review_env(tmp_path)["PATH"])
    demo = Demo(tmp_path / "demo")
    try:
        fake = demo.fake
        fake.add_account(NEWCOMER[0], "New Comer", "newcomer@example.org", NEWCOMER[1])
        home = tmp_path / "home"
        home.mkdir()
        env = _git_review_env(home)
        url = fake.url.replace("http://", f"http://{NEWCOMER[0]}:{NEWCOMER[1]}@")
        work = tmp_path / "sample"
        _run(["git", "clone", "-q", f"{url}/a/{PROJECT}", str(work)], tmp_path, env)

        def git(*args: str) -> str:
            return _run(["git", *args], work, env)

        git("config", "gitreview.remote", "origin")
        git("config", "gitreview.username", NEWCOMER[0])
        git("review", "-s")  # installs the commit-msg hook the fake serves
        hook = work / ".git" / "hooks" / "commit-msg"
        assert hook.exists() and os.access(hook, os.X_OK)

        git("checkout", "-q", "-b", "add-called-test")
        (work / "sample" / "tests" / "test_called.py").write_text(DEFECT)
        git("add", ".")
        git("commit", "-q", "-m", "Add a test of calls")
        message = git("log", "-1", "--format=%B")
        assert "\nChange-Id: I" in message
        git("review", "-y", "-t", "add-called-test")

        change = max(fake.state.changes)
        info = fake.change_info(change)
        assert info["project"] == PROJECT and info["branch"] == "master"
        assert info["topic"] == "add-called-test"  # git-review's %topic= push option
        assert info["owner"]["_account_id"] != fake.bot_account_id
        assert fake.revision(change, 1) == git("rev-parse", "HEAD").strip()

        service = demo.harness.service(demo.config)
        service.poller.poll_once()
        drain(service)
        reviews = bot_reviews(fake, change)
        assert len(reviews) == 1 and reviews[0]["_patchset"] == 1
        paths = set((reviews[0].get("comments") or {}).keys())
        assert "sample/tests/test_called.py" in paths

        # An amended commit keeps its Change-Id: `git review` makes patch set 2.
        (work / "sample" / "tests" / "test_called.py").write_text(
            DEFECT.replace("m.called_once_with(1)", "m.assert_called_once_with(1)")
        )
        git("commit", "-q", "-a", "--amend", "--no-edit")
        git("review", "-y")
        assert [ps.number for ps in fake.state.change(change).patchsets] == [1, 2]
        assert fake.state.change(change).patchset(2).kind == "REWORK"
    finally:
        demo.close()
