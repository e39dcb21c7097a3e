"""The project's own settings in the bot's reviews, over the fake Gerrit (real HTTP and git):
read from the change's target branch, never from the patch set under review."""

from __future__ import annotations

import logging
import time

from bot.analysis import projectsettings
from bot.review.report import CLEAN_VERDICT
from fakegerrit import FakeGerrit
from tests.support import PROJECT, bot_reviews, drain

MOCK_TYPO = (
    "from unittest import mock\n"
    "\n"
    "\n"
    "def test_call():\n"
    "    m = mock.Mock()\n"
    "    m.called_once_with(2)\n"  # mock-nonexistent-assertion (GSB111), line 6
)
SHELL = (
    "import subprocess\n"
    "\n"
    "\n"
    "def test_shell(name):\n"
    "    subprocess.call('ls ' + name, shell=True)\n"  # shell-injection (GSB502), line 5
)
IGNORE_MOCK_TYPO = "[metadata]\nname = sample\n\n[security-bot]\nignore = GSB111\n"


def commented(review: dict) -> set[tuple[str, int]]:
    return {(path, c["line"]) for path, items in review.get("comments", {}).items() for c in items}


def review_once(fake: FakeGerrit, make_service, files: dict[str, str], **sections) -> dict:
    change = fake.create_change(PROJECT, files, "Tests")
    service = make_service(**sections)
    service.poller.poll_once()
    drain(service)
    reviews = bot_reviews(fake, change)
    assert len(reviews) == 1
    return reviews[0]


def test_a_rule_disabled_on_the_target_branch_is_not_reported(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    fake_gerrit.commit_to_branch(PROJECT, {"setup.cfg": IGNORE_MOCK_TYPO}, "Tune security-bot")
    review = review_once(
        fake_gerrit,
        make_service,
        {"sample/tests/test_mock.py": MOCK_TYPO, "sample/tests/test_shell.py": SHELL},
    )
    message = review["message"]
    assert "mock-nonexistent-assertion" not in message
    assert "shell-injection" in message
    assert commented(review) == {("sample/tests/test_shell.py", 5)}
    assert (
        "Project settings applied from `setup.cfg [security-bot]` on branch `master`: "
        "ignore `GSB111`." in message
    )


def test_a_change_that_edits_setup_cfg_is_reviewed_with_the_branch_settings(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    fake_gerrit.commit_to_branch(PROJECT, {"setup.cfg": IGNORE_MOCK_TYPO}, "Tune security-bot")
    # The change switches shell-injection off for itself and adds a shell injection.
    review = review_once(
        fake_gerrit,
        make_service,
        {
            "setup.cfg": "[security-bot]\nignore = GSB111, GSB502\nexclude = sample/tests/\n",
            "sample/tests/test_shell.py": SHELL,
            "sample/tests/test_mock.py": MOCK_TYPO,
        },
    )
    assert commented(review) == {("sample/tests/test_shell.py", 5)}
    assert "ignore `GSB111`." in review["message"]  # the branch's settings, not the change's
    assert "GSB502" not in review["message"]


def test_settings_follow_the_branch_and_are_cached_by_blob(
    fake_gerrit: FakeGerrit, make_service, monkeypatch
) -> None:
    parsed: list[str] = []
    real = projectsettings.parse_settings

    def counting(name: str, data):  # type: ignore[no-untyped-def]
        parsed.append(name)
        return real(name, data)

    monkeypatch.setattr(projectsettings, "parse_settings", counting)
    fake_gerrit.commit_to_branch(PROJECT, {"setup.cfg": IGNORE_MOCK_TYPO}, "Tune security-bot")
    service = make_service(project_settings={"max_age_seconds": 0})  # the tip every review
    first = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": MOCK_TYPO}, "A")
    second = fake_gerrit.create_change(PROJECT, {"sample/tests/test_b.py": MOCK_TYPO}, "B")
    service.poller.poll_once()
    drain(service)
    assert parsed == ["setup.cfg"]  # two reviews, one parse: the blob did not change
    for change in (first, second):
        assert CLEAN_VERDICT in bot_reviews(fake_gerrit, change)[0]["message"]

    # Once the branch's settings change, the next review uses them.
    fake_gerrit.commit_to_branch(
        PROJECT, {"setup.cfg": "[security-bot]\nseverity = high\n"}, "Only high"
    )
    third = fake_gerrit.create_change(PROJECT, {"sample/tests/test_c.py": MOCK_TYPO}, "C")
    service.poller.poll_once()
    drain(service)
    review = bot_reviews(fake_gerrit, third)[0]
    assert commented(review) == {("sample/tests/test_c.py", 6)}  # high: reported
    assert "severity `high`" in review["message"] and parsed == ["setup.cfg", "setup.cfg"]


def test_a_stable_branch_has_its_own_settings(fake_gerrit: FakeGerrit, make_service) -> None:
    fake_gerrit.commit_to_branch(PROJECT, {"setup.cfg": IGNORE_MOCK_TYPO}, "Tune security-bot")
    fake_gerrit.commit_to_branch(
        PROJECT,
        {"sample/__init__.py": "", "tox.ini": "[security-bot]\nignore = shell-injection\n"},
        "Branch",
        branch="stable/2024.1",
    )
    change = fake_gerrit.create_change(
        PROJECT,
        {"sample/tests/test_mock.py": MOCK_TYPO, "sample/tests/test_shell.py": SHELL},
        "Backport",
        branch="stable/2024.1",
    )
    service = make_service()
    service.poller.poll_once()
    drain(service)
    review = bot_reviews(fake_gerrit, change)[0]
    assert commented(review) == {("sample/tests/test_mock.py", 6)}
    assert "from `tox.ini [security-bot]` on branch `stable/2024.1`" in review["message"]


def test_invalid_branch_settings_are_said_and_the_defaults_used(
    fake_gerrit: FakeGerrit, make_service, caplog
) -> None:
    fake_gerrit.commit_to_branch(
        PROJECT, {"setup.cfg": "[security-bot]\nignroe = GSB111\n"}, "Typo"
    )
    with caplog.at_level(logging.WARNING, logger="bot.project_settings"):
        review = review_once(fake_gerrit, make_service, {"sample/tests/test_mock.py": MOCK_TYPO})
    assert commented(review) == {("sample/tests/test_mock.py", 6)}  # nothing lost
    assert (
        "The project's settings on branch `master` were not applied (setup.cfg \\[security-bot\\]: "
        "unknown key 'ignroe'" in review["message"]
    )
    assert "every rule ran with the bot's defaults" in review["message"]
    lines = [r.getMessage() for r in caplog.records if "invalid, defaults used" in r.getMessage()]
    assert len(lines) == 1 and "unknown key 'ignroe'" in lines[0]


def test_hostile_settings_text_cannot_change_the_review_layout(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    fake_gerrit.commit_to_branch(
        PROJECT,
        {
            "setup.cfg": "[security-bot]\nexclude = `]\n    ## Looks clean\n    [x](http://e.example)\n"
        },
        "Odd globs",
    )
    review = review_once(fake_gerrit, make_service, {"sample/tests/test_mock.py": MOCK_TYPO})
    message = review["message"]
    assert "\n## Looks clean" not in message and "\n[x](" not in message
    assert commented(review) == {("sample/tests/test_mock.py", 6)}


def test_operator_can_turn_project_settings_off(fake_gerrit: FakeGerrit, make_service) -> None:
    fake_gerrit.commit_to_branch(PROJECT, {"setup.cfg": IGNORE_MOCK_TYPO}, "Tune security-bot")
    review = review_once(
        fake_gerrit,
        make_service,
        {"sample/tests/test_mock.py": MOCK_TYPO},
        project_settings={"enabled": False},
    )
    assert commented(review) == {("sample/tests/test_mock.py", 6)}
    assert "Project settings" not in review["message"]


def test_a_burst_of_reviews_fetches_the_branch_tip_once_per_window(
    fake_gerrit: FakeGerrit, make_service, monkeypatch
) -> None:
    from bot.scm.mirrors import Mirrors

    fetched: list[str] = []
    real = Mirrors._fetch_ref

    def counting(self, repo, project, url, ref, *args, **kwargs):  # type: ignore[no-untyped-def]
        fetched.append(ref)
        return real(self, repo, project, url, ref, *args, **kwargs)

    monkeypatch.setattr(Mirrors, "_fetch_ref", counting)
    fake_gerrit.commit_to_branch(PROJECT, {"setup.cfg": IGNORE_MOCK_TYPO}, "Tune security-bot")
    service = make_service(project_settings={"max_age_seconds": 1.0})
    changes = [
        fake_gerrit.create_change(PROJECT, {f"sample/tests/test_{n}.py": MOCK_TYPO}, f"{n}")
        for n in "abc"
    ]
    service.poller.poll_once()
    drain(service)
    assert fetched.count("refs/heads/master") == 1  # three reviews, one fetch of the tip
    for change in changes:
        assert CLEAN_VERDICT in bot_reviews(fake_gerrit, change)[0]["message"]

    # After the window, the next review fetches the tip again and sees the new settings.
    fake_gerrit.commit_to_branch(
        PROJECT, {"setup.cfg": "[security-bot]\nseverity = high\n"}, "Only high"
    )
    time.sleep(1.1)
    later = fake_gerrit.create_change(PROJECT, {"sample/tests/test_d.py": MOCK_TYPO}, "D")
    service.poller.poll_once()
    drain(service)
    assert fetched.count("refs/heads/master") == 2
    assert "severity `high`" in bot_reviews(fake_gerrit, later)[0]["message"]
