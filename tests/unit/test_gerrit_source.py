"""GerritSource and GerritReporter over stub resource clients: names, typing, validation."""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.config import GerritConfig, PollConfig, ReviewConfig
from bot.gerrit import error
from bot.gerrit.models import ChangeInfo, InvalidRecord
from bot.gerrit.reporter import GerritReporter, PostInFlight
from bot.gerrit.source import (
    DETAIL_OPTIONS,
    POLL_OPTIONS,
    GerritSource,
    InvalidChange,
    change_id,
    open_changes_query,
    patchset_ref,
    recheck_query,
    scope_terms,
)
from bot.review.report import find_run_marker

SHA = "674ac754f91e64a0efb8087e59a176484bd534d1"
MARKER = "0123456789abcdef0123456789abcdef"


def change_json(number: int = 42, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"openstack%2Fnova~{number}",
        "project": "openstack/nova",
        "branch": "master",
        "change_id": "I8473b95934b5732ac55d26311a706c9c2bde9940",
        "subject": "Add tests",
        "status": "NEW",
        "created": "2025-01-02 10:11:12.000000000",
        "updated": "2025-01-03 08:09:10.123000000",
        "_number": number,
        "owner": {"_account_id": 1000096, "name": "John Doe", "username": "jdoe"},
        "current_revision": SHA,
        "revisions": {SHA: {"_number": 3, "ref": patchset_ref(number, 3), "kind": "REWORK"}},
    }
    data.update(extra)
    return data


def message_json(text: str, **extra: Any) -> dict[str, Any]:
    return {"id": "m1", "message": text, "date": "2025-01-03 09:00:00.000000000", **extra}


class StubChanges:
    """Records what was asked; answers from canned data."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def _answer(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((name, args, kwargs))
        answer = self.answers.get(name)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def iter_all(self, *args: Any, **kwargs: Any) -> Any:
        return iter(self._answer("iter_all", *args, **kwargs))

    def get_by_id(self, *args: Any, **kwargs: Any) -> Any:
        return self._answer("get_by_id", *args, **kwargs)

    def get_messages(self, *args: Any, **kwargs: Any) -> Any:
        return self._answer("get_messages", *args, **kwargs)

    def get_review(self, *args: Any, **kwargs: Any) -> Any:
        return self._answer("get_review", *args, **kwargs)

    def get_comments(self, *args: Any, **kwargs: Any) -> Any:
        return self._answer("get_comments", *args, **kwargs)

    def set_review(self, *args: Any, **kwargs: Any) -> Any:
        return self._answer("set_review", *args, **kwargs)

    def get_groups(self, *args: Any, **kwargs: Any) -> Any:
        return self._answer("get_groups", *args, **kwargs)


def source(changes: StubChanges, *, auth: str = "basic", **poll: Any) -> GerritSource:
    return GerritSource(
        changes,  # type: ignore[arg-type]
        changes,  # type: ignore[arg-type]
        changes,  # type: ignore[arg-type]
        gerrit=GerritConfig(url="https://review.example.org/", auth_type=auth),
        poll=PollConfig(**poll),
    )


# -- names ----------------------------------------------------------------------------------------


def test_ids_refs_and_git_urls() -> None:
    assert change_id("openstack/nova", 912345) == "openstack/nova~912345"
    assert patchset_ref(912345, 3) == "refs/changes/45/912345/3"
    assert patchset_ref(7, 1) == "refs/changes/07/7/1"
    assert source(StubChanges()).git_url("openstack/nova") == (
        "https://review.example.org/a/openstack/nova"
    )
    assert source(StubChanges(), auth="none").git_url("x/y") == "https://review.example.org/x/y"


def test_query_terms_quote_as_gerrit_needs() -> None:
    poll = PollConfig(projects=("openstack/nova",), branches=("stable/2025.1", "my branch"))
    assert scope_terms(poll) == (
        'project:"openstack/nova" (branch:"stable/2025.1" OR branch:"my branch")'
    )
    since = datetime(2025, 1, 2, 15, 4, 5, 890000, tzinfo=UTC)
    assert open_changes_query(poll, since).endswith(' after:"2025-01-02 15:04:05"')
    assert recheck_query(poll, 'recheck-"security"', since) == (
        'comment:"recheck-security" project:"openstack/nova" '
        '(branch:"stable/2025.1" OR branch:"my branch") after:"2025-01-02 15:04:05"'
    )


# -- reading --------------------------------------------------------------------------------------


def test_open_changes_are_typed_and_an_invalid_record_is_handed_back() -> None:
    bad = change_json(43)
    del bad["subject"]
    stub = StubChanges(iter_all=[change_json(42), bad, "not an object"])
    got = list(source(stub, page_size=7).open_changes(None))
    assert isinstance(got[0], ChangeInfo) and got[0].number == 42
    assert isinstance(got[1], InvalidChange) and "'subject' is missing" in got[1].error
    assert got[1].updated == datetime(2025, 1, 3, 8, 9, 10, 123000, tzinfo=UTC)
    assert isinstance(got[2], InvalidChange) and got[2].updated is None
    (_, args, kwargs) = stub.calls[0]
    # the query goes out percent-encoded (the client inserts it verbatim)
    assert urllib.parse.unquote(args[0]) == "status:open -is:wip -is:private"
    assert " " not in args[0] and ":" not in args[0]
    assert kwargs == {"options": POLL_OPTIONS, "page_size": 7, "max_pages": 50}


def test_change_detail_by_id_or_by_number() -> None:
    stub = StubChanges(get_by_id=change_json())
    reader = source(stub)
    change = reader.change(42, project="openstack/nova")
    assert change.revision(3) is not None and change.revision(2) is None
    assert change.current_number == 3
    reader.change(42)
    assert [c[1][0] for c in stub.calls] == ["openstack/nova~42", "42"]
    assert all(c[2] == {"options": DETAIL_OPTIONS} for c in stub.calls)


def test_an_older_patch_set_is_read_by_its_review_endpoint_never_all_revisions() -> None:
    older_sha = "1" * 40
    older = change_json(
        revisions={older_sha: {"_number": 1, "ref": patchset_ref(42, 1), "kind": "REWORK"}}
    )
    del older["current_revision"]
    stub = StubChanges(get_by_id=change_json(), get_review=older)
    reader = source(stub)
    change = reader.change(42, project="openstack/nova", patchset=1)
    assert change.current_number == 3 and change.current_revision == SHA
    first = change.revision(1)
    assert first is not None and first.commit_sha == older_sha and first.kind == "REWORK"
    assert [c[0] for c in stub.calls] == ["get_by_id", "get_review"]
    assert stub.calls[1][1] == ("openstack/nova~42", 1)
    assert "ALL_REVISIONS" not in DETAIL_OPTIONS
    # the current patch set, or one the change does not have: the change alone
    stub.calls.clear()
    reader.change(42, project="openstack/nova", patchset=3)
    assert reader.change(42, project="openstack/nova", patchset=9).revision(9) is None
    assert [c[0] for c in stub.calls] == ["get_by_id", "get_by_id"]


def test_messages_comments_and_groups_are_typed() -> None:
    stub = StubChanges(
        get_messages=[message_json("hello", author={"_account_id": 7, "username": "bob"})],
        get_comments={
            "/PATCHSET_LEVEL": [
                {"id": "c1", "message": "recheck-security", "updated": "2025-01-03 09:00:00"}
            ],
            "a.py": [{"id": "c2", "message": "nit", "updated": "2025-01-03 09:00:00", "line": 3}],
        },
        get_groups=[{"id": "abc", "name": "security-core", "group_id": 3}],
    )
    reader = source(stub)
    (message,) = reader.messages("openstack/nova", 42)
    assert message.author is not None and message.author.username == "bob"
    (comment,) = reader.patchset_comments("openstack/nova", 42)
    assert comment.is_patchset_level and comment.message == "recheck-security"
    (group,) = reader.account_groups(7)
    assert (group.id, group.name) == ("abc", "security-core")


@pytest.mark.parametrize(
    "answer", [{"not": "a list"}, [message_json("x", date="yesterday")], [{"id": "m"}]]
)
def test_a_message_that_does_not_validate_raises_invalid_record(answer: Any) -> None:
    with pytest.raises(InvalidRecord):
        source(StubChanges(get_messages=answer)).messages("p", 1)


# -- writing --------------------------------------------------------------------------------------


def reporter(stub: StubChanges, **review: Any) -> GerritReporter:
    return GerritReporter(
        stub,  # type: ignore[arg-type]
        source(stub),
        ReviewConfig(**review),
        marker_of=find_run_marker,
    )


def test_review_goes_to_the_revision_sha_with_tag_notify_and_label() -> None:
    stub = StubChanges()
    change = ChangeInfo.from_json(change_json())
    revision = change.revision(3)
    assert revision is not None
    writer = reporter(stub, label="Security-Review", label_clean=1, label_defects=-1)
    writer.post_review(change, revision, message="m", comments={}, verdict="defects")
    writer.post_reply(change, revision, "no")
    (_, args, review), (_, reply_args, reply) = stub.calls
    assert reply_args == args
    assert args == ("openstack/nova~42",) and review["revision_id"] == SHA
    assert review["labels"] == {"Security-Review": -1} and review["comments"] is None
    assert review["tag"] == "autogenerated:security-bot" and review["notify"] == "NONE"
    assert review["omit_duplicate_comments"] is True
    assert review["ignore_automatic_attention_set_rules"] is True
    assert reply == {
        "revision_id": SHA,
        "message": "no",
        "tag": "autogenerated:security-bot",
        "notify": "NONE",
        "ignore_automatic_attention_set_rules": True,
    }
    # turned off, the field is left out and Gerrit's own rules apply
    stub.calls.clear()
    reporter(stub, ignore_automatic_attention_set_rules=False).post_reply(change, revision, "no")
    assert stub.calls[0][2]["ignore_automatic_attention_set_rules"] is None  # not sent


@pytest.mark.parametrize("exc", [error.Timeout("slow"), error.ConnectionError("reset")])
def test_a_post_that_may_still_land_is_in_flight(exc: Exception) -> None:
    change = ChangeInfo.from_json(change_json())
    revision = change.revision(3)
    assert revision is not None
    with pytest.raises(PostInFlight):
        reporter(StubChanges(set_review=exc)).post_reply(change, revision, "no")


def test_already_posted_looks_for_our_tag_and_this_jobs_marker() -> None:
    change = ChangeInfo.from_json(change_json())
    ours = f"Patch Set 3:\n\nreview\n\nsecurity-bot run {MARKER}"
    cases = [
        ([message_json(ours, tag="autogenerated:security-bot")], True),
        ([message_json(ours)], False),  # someone quoting the bot's message
        ([message_json(ours.replace(MARKER, "f" * 32), tag="autogenerated:security-bot")], False),
        ([], False),
    ]
    for messages, expected in cases:
        assert reporter(StubChanges(get_messages=messages)).already_posted(change, MARKER) is (
            expected
        )
