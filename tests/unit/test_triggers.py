"""The triggers over a stub GerritSource: a record that does not validate is skipped, not fatal."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import PollConfig, RecheckConfig, ReviewConfig
from bot.gerrit.models import ChangeInfo, ChangeMessageInfo, InvalidRecord
from bot.gerrit.source import InvalidChange
from bot.store import JobKind, JobStatus, Store, patchset_key, recheck_key
from bot.triggers import cursor
from bot.triggers.patchsets import CURSOR, Poller
from bot.triggers.recheck import RecheckPoller
from tests.unit.test_gerrit_source import SHA, change_json, message_json

NOW = datetime(2025, 1, 3, 10, 0, tzinfo=UTC)
LATER = datetime(2025, 1, 3, 9, 30, tzinfo=UTC)


class StubSource:
    def __init__(self, changes: list[ChangeInfo | InvalidChange], messages: Any = ()) -> None:
        self.changes = changes
        self._messages = messages

    def open_changes(
        self, since: datetime | None, *, before: datetime | None = None
    ) -> Iterator[ChangeInfo | InvalidChange]:
        return iter(self.changes)

    def recheck_candidates(self, keyword: str, since: datetime) -> Any:
        return iter(self.changes)

    def server_time(self) -> datetime | None:
        return None  # no Date header: the poller falls back to its own clock

    def messages(self, project: str, number: int) -> list[ChangeMessageInfo]:
        answer = self._messages[number]
        if isinstance(answer, Exception):
            raise answer
        return [ChangeMessageInfo.from_json(m) for m in answer]

    def patchset_comments(self, project: str, number: int) -> list[Any]:
        return []


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 't.db'}") as s:
        yield s


def with_test_file(number: int) -> ChangeInfo:
    data = change_json(number)
    data["revisions"][SHA]["files"] = {"nova/tests/test_a.py": {"status": "A"}}
    return ChangeInfo.from_json(data)


def test_poll_skips_an_invalid_record_with_one_line_and_goes_on(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    changes = [InvalidChange("ChangeInfo: required field 'subject' is missing", LATER)]
    changes.append(with_test_file(42))  # type: ignore[arg-type]
    poller = Poller(StubSource(changes), store, PollConfig(), ReviewConfig(), clock=lambda: NOW)  # type: ignore[arg-type]
    caplog.set_level(logging.WARNING)
    result = poller.poll_once()
    assert (result.seen, result.enqueued) == (2, 1)
    (line,) = [r.getMessage() for r in caplog.records]
    assert "ignoring a change" in line and "'subject' is missing" in line
    assert store.job_by_key(patchset_key("openstack/nova", 42, 3)) is not None
    # The cursor follows every record Gerrit returned, the skipped one included.
    assert store.get_cursor(CURSOR) == LATER.isoformat()


def test_recheck_poll_skips_a_change_whose_messages_do_not_validate(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    changes = [ChangeInfo.from_json(change_json(41)), ChangeInfo.from_json(change_json(42))]
    messages = {
        41: InvalidRecord("ChangeMessageInfo: required field 'date' is missing"),
        42: [message_json("recheck-security", author={"_account_id": 7, "name": "Bob"})],
    }
    poller = RecheckPoller(
        StubSource(changes, messages),  # type: ignore[arg-type]
        store,
        PollConfig(initial_lookback=7 * 86400),
        RecheckConfig(),
        bot_username="security-bot",
        clock=lambda: NOW,
    )
    caplog.set_level(logging.WARNING)
    result = poller.poll_once()
    assert (result.changes, result.requests, result.queued) == (2, 1, 1)
    (line,) = [r.getMessage() for r in caplog.records]
    assert "ignoring change 41" in line and "'date' is missing" in line
    job = store.job_by_key(recheck_key(42, "m1"))
    assert job is not None and job.kind is JobKind.RECHECK and job.status is JobStatus.PENDING
    assert job.requested_by == "Bob" and job.patchset == 3 and job.reply == ""


def test_a_refused_request_keeps_its_reply_on_the_job(store: Store) -> None:
    changes = [ChangeInfo.from_json(change_json(42))]
    messages = {42: [message_json("recheck-security", author={"_account_id": 7, "name": "Bob"})]}
    poller = RecheckPoller(
        StubSource(changes, messages),  # type: ignore[arg-type]
        store,
        PollConfig(initial_lookback=7 * 86400),
        RecheckConfig(allowed_accounts=("alice",)),
        bot_username="security-bot",
        clock=lambda: NOW,
    )
    assert poller.poll_once().refused == 1
    job = store.job_by_key(recheck_key(42, "m1"))
    assert job is not None and job.kind is JobKind.REFUSAL
    assert job.reply == "Bob is not allowed to request a security recheck"
    assert job.reason == "refused: " + job.reply


def test_cursor_window_and_advance(store: Store) -> None:
    poll = PollConfig(initial_lookback=3600, window_overlap=120)
    assert cursor.window_start(store, "c", poll, NOW) == NOW - timedelta(hours=1)
    cursor.advance_cursor(store, "c", None)
    assert store.get_cursor("c") is None
    cursor.advance_cursor(store, "c", LATER)
    cursor.advance_cursor(store, "c", LATER - timedelta(minutes=5))  # never backwards
    assert cursor.window_start(store, "c", poll, NOW) == LATER - timedelta(seconds=120)
    assert cursor.latest_update(None, None) is None
    assert cursor.latest_update(LATER, NOW) == NOW and cursor.latest_update(NOW, None) == NOW


def test_a_change_read_within_its_update_second_is_read_again_without_meta_rev_id(
    store: Store,
) -> None:
    """Gerrit's ``updated`` has whole seconds: a reply in the same second as the read leaves
    it unchanged. Without ``meta_rev_id`` such a read is not trusted; with it, it is."""

    class Counting(StubSource):
        reads = 0

        def messages(self, project: str, number: int) -> list[ChangeMessageInfo]:
            Counting.reads += 1
            return super().messages(project, number)

    def poller(change: ChangeInfo, now: datetime) -> RecheckPoller:
        return RecheckPoller(
            Counting([change], {42: []}),  # type: ignore[arg-type]
            store,
            PollConfig(initial_lookback=7 * 86400),
            RecheckConfig(),
            bot_username="security-bot",
            clock=lambda: now,
        )

    updated = datetime(2025, 1, 3, 8, 9, 10, tzinfo=UTC)
    plain = ChangeInfo.from_json(change_json(42, updated="2025-01-03 08:09:10.000000000"))
    cases = [
        (plain, updated + timedelta(seconds=0.5), 2),  # same second: read again
        (plain, updated + timedelta(seconds=5), 1),  # settled: not read again
        (
            ChangeInfo.from_json(change_json(42, meta_rev_id="ab" * 20)),
            updated + timedelta(seconds=0.5),
            1,  # the meta ref tells
        ),
    ]
    for change, now, reads in cases:
        Counting.reads = 0
        recheck = poller(change, now)
        recheck.poll_once()
        recheck.poll_once()
        assert Counting.reads == reads
