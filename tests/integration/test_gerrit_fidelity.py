"""Polling, posting and retries as a real Gerrit behaves, through the fake Gerrit over HTTP."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PollConfig
from bot.gerrit.source import open_changes_query
from bot.review.report import MESSAGE_LIMIT_BYTES, find_run_marker
from bot.store import JobStatus
from fakegerrit import FakeGerrit, Fault
from tests.support import PROJECT, bot_reviews, drain

CLEAN = "def test_ok():\n    assert 2 + 2 == 4\n"
DEFECT_LINE = "    m.called_once_with({n})\n"


def defective(n: int) -> str:
    body = "from unittest import mock\n\n\ndef test_x():\n    m = mock.Mock()\n"
    return body + "".join(DEFECT_LINE.format(n=i) for i in range(n))


# -- polling ------------------------------------------------------------------------------------


def test_query_is_built_from_configuration() -> None:
    config = PollConfig(
        projects=("openstack/nova", "^openstack/oslo\\..*"),
        branches=("master",),
        query_extra="-owner:zuul",
    )
    query = open_changes_query(config, None)
    assert query == (
        "status:open -is:wip -is:private "
        '(project:"openstack/nova" OR project:"^openstack/oslo\\\\..*") '
        'branch:"master" -owner:zuul'
    )
    assert "-is:private" not in open_changes_query(PollConfig(include_private=True), None)


def test_only_watched_open_ready_public_changes_are_queued(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    fake_gerrit.create_project("openstack/other", {"a/tests/__init__.py": ""})
    fake_gerrit.commit_to_branch(PROJECT, {"x": "1\n"}, "branch point", branch="stable/old")
    watched = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "watched")
    others = [
        fake_gerrit.create_change("openstack/other", {"a/tests/test_b.py": CLEAN}, "other project"),
        fake_gerrit.create_change(PROJECT, {"sample/tests/test_c.py": CLEAN}, "wip", wip=True),
        fake_gerrit.create_change(
            PROJECT, {"sample/tests/test_d.py": CLEAN}, "private", private=True
        ),
        fake_gerrit.create_change(
            PROJECT, {"sample/tests/test_e.py": CLEAN}, "old branch", branch="stable/old"
        ),
    ]
    service = make_service(poll={"projects": [PROJECT], "branches": ["master"]})
    result = service.poller.poll_once()
    assert result.enqueued == 1
    assert [j.change for j in service.store.jobs()] == [watched]
    for change in others:
        assert service.store.jobs(change=change) == []


def test_a_poller_clock_ahead_of_gerrits_misses_nothing(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    """The cursor follows Gerrit's `updated` times, not the local clock."""
    from datetime import UTC, datetime, timedelta

    first = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "first")
    service = make_service()
    # An hour ahead: within the first poll's lookback (a day), so the first change is in
    # the first window; after that only the cursor (Gerrit's clock) decides.
    service.poller.clock = lambda: datetime.now(UTC) + timedelta(hours=1)
    assert service.poller.poll_once().enqueued == 1
    second = fake_gerrit.create_change(PROJECT, {"sample/tests/test_b.py": CLEAN}, "second")
    assert service.poller.poll_once().enqueued == 1
    assert {j.change for j in service.store.jobs()} == {first, second}
    quiet = service.poller.poll_once()  # nothing new: the cursor stays, repeats are known
    assert quiet.enqueued == 0 and quiet.known == 2


def test_paging_follows_more_changes_until_the_last_page(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    changes = [
        fake_gerrit.create_change(PROJECT, {f"sample/tests/test_{i}.py": CLEAN}, f"c{i}")
        for i in range(7)
    ]
    service = make_service(poll={"page_size": 3})
    fake_gerrit.clear_requests()
    result = service.poller.poll_once()
    assert result.seen == 7 and result.enqueued == 7
    pages = [r for r in fake_gerrit.requests if r.path == "/a/changes/" and r.method == "GET"]
    assert [dict(r.query).get("S") for r in pages] == ["0", "3", "6"]
    assert {j.change for j in service.store.jobs(limit=100)} == set(changes)


def test_only_the_current_patch_sets_files_decide_whether_it_is_reviewed(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "tests")
    service = make_service()
    service.poller.poll_once()
    drain(service)
    # Patch set 2 drops the test file and only touches production code.
    fake_gerrit.upload_patchset(
        change, {"sample/tests/test_a.py": None, "sample/util.py": "x = 1\n"}
    )
    service.poller.poll_once()
    ps2 = next(j for j in service.store.jobs(change=change) if j.patchset == 2)
    assert ps2.status == JobStatus.SKIPPED and ps2.reason == "touches no test code"


@pytest.mark.parametrize(
    ("action", "reason"),
    [("MERGED", "change is merged"), ("ABANDONED", "change is abandoned")],
)
def test_changes_closed_while_queued_are_skipped(
    fake_gerrit: FakeGerrit, make_service, action: str, reason: str
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "closing")
    service = make_service()
    service.poller.poll_once()
    fake_gerrit.set_status(change, action)
    drain(service)
    job = service.store.jobs(change=change)[0]
    assert (job.status, job.reason) == (JobStatus.SKIPPED, reason)
    assert bot_reviews(fake_gerrit, change) == []


@pytest.mark.parametrize("review_superseded", [False, True])
def test_superseded_patch_sets_are_skipped_unless_configured(
    fake_gerrit: FakeGerrit, make_service, review_superseded: bool
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "v1")
    service = make_service(review={"review_superseded": review_superseded})
    service.poller.poll_once()
    fake_gerrit.upload_patchset(change, {"sample/tests/test_a.py": CLEAN + "\n# v2\n"})
    drain(service)
    job = service.store.jobs(change=change)[0]
    if review_superseded:
        assert job.status == JobStatus.POSTED
        assert [r["_patchset"] for r in bot_reviews(fake_gerrit, change)] == [1]
    else:
        assert (job.status, job.reason) == (JobStatus.SKIPPED, "superseded by patch set 2")
        assert bot_reviews(fake_gerrit, change) == []


# -- posting ------------------------------------------------------------------------------------


def test_inline_comments_are_capped_and_the_summary_says_how_many_more(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_m.py": defective(6)}, "many")
    service = make_service(review={"max_inline_comments": 2})
    service.poller.poll_once()
    drain(service)
    [review] = bot_reviews(fake_gerrit, change)
    assert sum(len(v) for v in review["comments"].values()) == 2
    assert "4 more findings are listed above without an inline comment" in review["message"]
    assert "6 security defects found" in review["message"]


def test_huge_review_stays_under_gerrits_message_limit(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_m.py": defective(300)}, "huge")
    service = make_service()
    service.poller.poll_once()
    drain(service)
    [review] = bot_reviews(fake_gerrit, change)
    assert len(review["message"].encode()) <= MESSAGE_LIMIT_BYTES < 16384
    assert find_run_marker(review["message"]) is not None
    assert service.store.jobs(change=change)[0].status == JobStatus.POSTED


@pytest.mark.parametrize(("source", "vote"), [(CLEAN, 1), (defective(1), -1)])
def test_optional_label_vote(fake_gerrit: FakeGerrit, make_service, source: str, vote: int) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_v.py": source}, "vote")
    service = make_service(
        review={"label": "Verified", "label_clean": 1, "label_defects": -1, "notify": "OWNER"}
    )
    service.poller.poll_once()
    drain(service)
    [review] = bot_reviews(fake_gerrit, change)
    assert review["labels"] == {"Verified": vote}
    assert review["notify"] == "OWNER"
    messages = [
        m for m in fake_gerrit.messages(change) if m.get("tag") == "autogenerated:security-bot"
    ]
    assert messages[0]["message"].startswith(f"Patch Set 1: Verified{vote:+d}")


def test_no_vote_unless_configured(fake_gerrit: FakeGerrit, make_service) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_v.py": CLEAN}, "no vote")
    service = make_service()
    service.poller.poll_once()
    drain(service)
    [review] = bot_reviews(fake_gerrit, change)
    assert "labels" not in review


def test_hostile_names_and_code_are_rendered_literally(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    path = "sample/tests/test_{{7*7}}_`x`_**b**_[l](http:e).py"
    code = (
        "import os\n\n\n"
        "def test_h(name):\n"
        "    os.system('echo ```{{ 7 * 7 }}``` <script>x</script> {% raw %}' + name)\n"
    )
    change = fake_gerrit.create_change(
        PROJECT, {path: code}, "{{ 7*7 }} <script>alert(1)</script> {% if true %}x{% endif %}"
    )
    service = make_service()
    service.poller.poll_once()
    drain(service)
    [review] = bot_reviews(fake_gerrit, change)
    message = review["message"]
    # Nothing from the change was evaluated as a template ({{7*7}} would have become 49):
    assert "test_49_" not in message and "```49```" not in message
    assert "test_{{7\\*7}}" in message or "test_{{7*7}}" in message
    assert "{{ 7 * 7 }}" in message  # the code is quoted as written…
    # The code block's fence is longer than the backticks inside it, so it holds:
    assert "  ````python\n  os.system('echo ```{{ 7 * 7 }}```" in message
    # and the inline quotes of the code in the message use a long enough span too.
    assert "````os.system('echo ```{{ 7 * 7 }}```" in message
    assert " `os.system('echo ```" not in message
    assert list(review["comments"]) == [path]  # the comment sits on the real path
    assert message.count("\n### ") == 1  # one CWE heading: the hostile text made no other


# -- errors and retries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "final", "reason_part"),
    [
        (400, JobStatus.FAILED, "HTTP 400"),
        (403, JobStatus.FAILED, "HTTP 403"),
        (404, JobStatus.FAILED, "HTTP 404"),
        (409, JobStatus.SKIPPED, "HTTP 409"),
    ],
)
def test_client_errors_are_not_retried_and_end_with_a_reason(
    fake_gerrit: FakeGerrit, make_service, status: int, final: JobStatus, reason_part: str
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "4xx")
    service = make_service()
    service.poller.poll_once()
    fake_gerrit.add_fault(
        Fault(kind="status", status=status, path=r"/review$", method="POST", times=None)
    )
    drain(service)
    job = service.store.jobs(change=change)[0]
    assert job.status == final and job.attempts == 1
    assert reason_part in job.reason
    posts = [r for r in fake_gerrit.requests if r.method == "POST" and r.path.endswith("/review")]
    assert len(posts) == 1


def test_rate_limits_are_retried(fake_gerrit: FakeGerrit, make_service) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "429")
    service = make_service()
    fake_gerrit.add_fault(Fault(kind="status", status=429, path=r"^/a/changes/$", times=2))
    service.poller.poll_once()  # the client's own retries absorb two 429s
    fake_gerrit.add_fault(
        Fault(kind="status", status=429, path=r"/review$", method="POST", times=1)
    )
    drain(service)
    assert len(bot_reviews(fake_gerrit, change)) == 1
    assert service.store.jobs(change=change)[0].attempts == 1  # a 429 wait is no attempt


def test_a_post_that_times_out_but_lands_is_not_posted_again(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    """The worst case for duplicates: Gerrit applies the review after the client gave up."""
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "slow post")
    service = make_service(
        gerrit={"timeout": 0.5, "retry_attempts": 1}, worker={"lease_seconds": 5.0}
    )
    service.poller.poll_once()
    fake_gerrit.add_fault(Fault(kind="delay", delay=0.8, path=r"/review$", method="POST", times=1))
    drain(service)
    assert len(bot_reviews(fake_gerrit, change)) == 1
    job = service.store.jobs(change=change)[0]
    # (attempts >= 2: on a loaded machine a 0.5 s read may time out once more)
    assert job.status == JobStatus.POSTED and job.attempts >= 2
    assert "earlier attempt" in job.reason
    events = [e for e in service.store.events(job.id) if e.event == "retry"]
    assert any("may not have reached Gerrit" in e.detail for e in events)


def test_a_dropped_connection_while_posting_is_retried(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "drop")
    service = make_service(gerrit={"timeout": 0.5}, worker={"lease_seconds": 5.0})
    service.poller.poll_once()
    fake_gerrit.add_fault(Fault(kind="drop", path=r"/review$", method="POST", times=1))
    drain(service)
    assert len(bot_reviews(fake_gerrit, change)) == 1
    assert service.store.jobs(change=change)[0].attempts >= 2


def test_expired_credentials_are_reported_and_retried(
    fake_gerrit: FakeGerrit, make_service, caplog
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": CLEAN}, "401")
    service = make_service()
    service.poller.poll_once()
    fake_gerrit.add_fault(
        Fault(kind="status", status=401, path=r"/review$", method="POST", times=1)
    )
    caplog.set_level(logging.WARNING)
    service.workers[0].drain()
    assert service.health.credentials_ok is False
    assert any("rejected the bot's credentials" in r.getMessage() for r in caplog.records)
    drain(service)
    assert len(bot_reviews(fake_gerrit, change)) == 1


# -- chaos --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_chaos_short_run(tmp_path: Path) -> None:
    """bench/chaos.py, shortened: faults on a fifth of requests and SIGKILLs lose nothing."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [
            sys.executable,
            str(root / "bench" / "chaos.py"),
            "--patchsets",
            "24",
            "--kills",
            "2",
            "--deadline",
            "240",
            "--out",
            str(tmp_path / "chaos.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 0, (result, proc.stderr[-3000:])
    assert result["patchsets"] == 24 and result["reviews"] == 24
    assert result["duplicates"] == 0 and result["lost"] == 0
    assert result["store_mismatches"] == 0 and result["unexpected_posts"] == 0
    assert result["faults"] > 0 and result["restarts"] == 2
