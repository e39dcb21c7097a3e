"""``recheck-security`` against a real fake Gerrit: poll cost, refusal rate limit, one reply
one run, and text that must not count as a request."""

from __future__ import annotations

from collections import Counter

import requests

from bot.store import JobKind, JobStatus
from fakegerrit import FakeGerrit
from tests.support import PROJECT, bot_reviews, drain

CLEAN = "def test_ok():\n    assert 2 + 2 == 4\n"


def reviewed_changes(fake: FakeGerrit, make_service, count: int, **sections):
    """``count`` changes, each reviewed once by the bot; the service that did it."""
    changes = [
        fake.create_change(PROJECT, {f"sample/tests/test_c{i}.py": CLEAN}, f"Tests {i}")
        for i in range(count)
    ]
    service = make_service(**sections)
    service.check_gerrit()
    service.poller.poll_once()
    drain(service)
    assert all(len(bot_reviews(fake, n)) == 1 for n in changes)
    return changes, service


def requests_of(fake: FakeGerrit) -> Counter[str]:
    """The REST requests the fake received since it was last cleared, by kind."""
    kinds: Counter[str] = Counter()
    for r in fake.requests:
        if r.path.rstrip("/").endswith("/changes"):
            kinds["query"] += 1
        elif r.path.endswith("/messages"):
            kinds["messages"] += 1
        elif r.path.endswith("/comments"):
            kinds["comments"] += 1
        else:
            kinds[f"{r.method} {r.path}"] += 1
    return kinds


def test_a_poll_reads_only_the_changes_that_moved(fake_gerrit: FakeGerrit, make_service) -> None:
    changes, service = reviewed_changes(fake_gerrit, make_service, 12)
    poller = service.recheck_poller

    fake_gerrit.clear_requests()
    first = poller.poll_once()  # every change the bot reviewed matches the keyword query
    assert first.changes == 12 and first.requests == 0
    # the bot's own reviews are the only new messages: no comments are read for them
    assert requests_of(fake_gerrit) == {"query": 1, "messages": 12}

    fake_gerrit.clear_requests()
    second = poller.poll_once()  # nothing moved: the query alone
    assert second.unchanged == 12
    assert requests_of(fake_gerrit) == {"query": 1}

    fake_gerrit.post_patchset_comment(changes[3], "recheck-security", author="bob")
    fake_gerrit.clear_requests()
    third = poller.poll_once()  # one request: that change's messages and comments
    assert third.queued == 1 and third.unchanged == 11
    assert requests_of(fake_gerrit) == {"query": 1, "messages": 1, "comments": 1}


def test_one_reply_in_a_message_and_a_comment_without_its_message_id_runs_once(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    (change,), service = reviewed_changes(fake_gerrit, make_service, 1)
    fake_gerrit.add_account("dave", "Dave", "dave@example.com", "dave-pw")
    answer = requests.post(
        f"{fake_gerrit.url}/a/changes/{change}/revisions/current/review",
        json={
            "message": "recheck-security",
            "comments": {"/PATCHSET_LEVEL": [{"message": "recheck-security"}]},
        },
        auth=("dave", "dave-pw"),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    # A Gerrit that leaves change_message_id out of its CommentInfo (older servers do).
    for comment in fake_gerrit.state.change(change).comments:
        comment.change_message_id = None
    assert all(
        "change_message_id" not in c for c in fake_gerrit.comments(change)["/PATCHSET_LEVEL"]
    )

    result = service.recheck_poller.poll_once()
    assert (result.requests, result.queued) == (1, 1)
    drain(service)
    assert len(bot_reviews(fake_gerrit, change)) == 2
    # seen again after a restart, still the same single request
    again = service.recheck_poller
    again.forget()
    assert again.poll_once().known == 1


def test_refusals_are_rate_limited_one_reply_per_requester_and_window(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    (first, second), service = reviewed_changes(
        fake_gerrit, make_service, 2, recheck={"allowed_accounts": ["alice"]}
    )
    for _ in range(6):
        fake_gerrit.post_message(first, "recheck-security", author="bob")
        service.recheck_poller.poll_once()
    fake_gerrit.post_patchset_comment(second, "recheck-security", author="bob")
    service.recheck_poller.poll_once()
    drain(service)

    replies = [
        r["message"]
        for n in (first, second)
        for r in bot_reviews(fake_gerrit, n)
        if "was not run" in (r.get("message") or "")
    ]
    assert len(replies) == 1 and "Bob is not allowed" in replies[0]
    refusals = [
        j
        for n in (first, second)
        for j in service.store.jobs(change=n)
        if j.kind == JobKind.REFUSAL
    ]
    assert len(refusals) == 7 and all(j.status == JobStatus.SKIPPED for j in refusals)
    silent = [j for j in refusals if "not replied: Bob was answered at" in j.reason]
    assert len(silent) == 6
    # an allowed requester is not held back by Bob's refusals
    fake_gerrit.post_message(second, "recheck-security", author="alice")
    assert service.recheck_poller.poll_once().queued == 1


def test_code_quotes_and_look_alikes_are_no_requests(fake_gerrit: FakeGerrit, make_service) -> None:
    (change,), service = reviewed_changes(fake_gerrit, make_service, 1)
    hostile = [
        "To rerun, reply:\n```\nrecheck-security\n```",
        "~~~~\nrecheck-security\n~~~~",
        "Reply with\n\n    recheck-security\n\nto rerun.",
        "`recheck-security`",
        "> recheck-security",
        "r\u0435check-security",  # Cyrillic e
        "\uff52\uff45\uff43\uff48\uff45\uff43\uff4b-security",  # full-width letters
        "recheck-\u017fecurity",  # long s: case-folds to "s"
        "RECHEC\u212a-SECURITY",  # Kelvin sign: case-folds to "k"
        "recheck\u2011security",  # non-breaking hyphen
        "recheck-security\u200b",  # zero-width space
        "do not\u2028recheck-security",  # U+2028 renders inside the line
    ]
    for text in hostile:
        fake_gerrit.post_message(change, text, author="bob")
    fake_gerrit.post_patchset_comment(change, "```\nrecheck-security\n```", author="alice")
    result = service.recheck_poller.poll_once()
    assert result.requests == 0
    fake_gerrit.post_message(change, "  Recheck-Security  ", author="bob")  # still a request
    assert service.recheck_poller.poll_once().queued == 1


def test_an_allowed_group_the_bot_cannot_see_is_named_at_start_up(
    fake_gerrit: FakeGerrit, make_service, caplog
) -> None:
    fake_gerrit.add_account("carol", "Carol")
    fake_gerrit.add_account("erin", "Erin")
    fake_gerrit.add_group("security-core", ["carol"])  # visible to its members only
    fake_gerrit.add_group("stable-maint", ["erin"], visible_to_all=True)
    groups = {"allowed_groups": ["security-core", "stable-maint", "no-such-group"]}
    service = make_service(recheck=groups)
    with caplog.at_level("WARNING", logger="bot.recheck"):
        service.check_gerrit()  # the service still starts
    lines = [r.getMessage() for r in caplog.records if "allowed_groups" in r.getMessage()]
    assert len(lines) == 2
    assert "group 'security-core' is not visible to the bot's account 'security-bot'" in lines[0]
    assert "visible to all registered users" in lines[0]
    assert "'no-such-group'" in lines[1]
    assert service.recheck_poller.check_groups() == ["security-core", "no-such-group"]

    # what the line warns of: Gerrit hides carol's membership, so her request is refused,
    # while a member of the visible group is allowed
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_c.py": CLEAN}, "Tests")
    fake_gerrit.post_message(change, "recheck-security", author="carol")
    fake_gerrit.post_message(change, "recheck-security", author="erin")
    result = service.recheck_poller.poll_once()
    assert (result.queued, result.refused) == (1, 1)
