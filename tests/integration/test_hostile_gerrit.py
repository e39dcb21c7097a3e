"""A hostile or broken Gerrit must not stop the bot (issue 17 #6, #7, #9, #15, #16, #20).

Each attack is performed by the fake Gerrit over real HTTP, with its hostile fault kinds
(``fakegerrit/faults.py``): change records dated next week, records with fields of the
wrong type, an answer trickling in byte by byte, a 50 MB answer, a redirect of the review
POST to a second server, a Gerrit that ignores ``S=`` and says ``_more_changes`` forever.
The bot is the real one (its poller, workers, store and dashboard), and each test checks
what an operator would: every patch set reviewed once, nothing sent elsewhere, one log
line per problem, ``/healthz`` telling the truth.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, build_config
from bot.demo import harness
from bot.service import Service
from bot.store.records import JobStatus
from bot.triggers.patchsets import CURSOR
from bot.triggers.recheck import CURSOR as RECHECK_CURSOR
from fakegerrit import FakeGerrit
from fakegerrit.faults import Fault
from tests.support import (
    BOT_PASSWORD,
    PROJECT,
    RecordingServer,
    bot_reviews,
    drain,
    recording_server,
)

QUERY = r"^/a/changes/$"  # the poll's query (its q= is in the query string)
CLEAN = "def test_ok_{n}():\n    assert {n} + 1 == {m}\n"
# The fake's frozen clock: near this host's, so the first poll's lookback (from this host's
# clock until Gerrit's Date is known) covers it.
T0 = datetime.now(UTC).replace(second=0, microsecond=0)


def _change(fake: FakeGerrit, n: int) -> int:
    body = CLEAN.format(n=n, m=n + 1)
    return fake.create_change(PROJECT, {f"sample/tests/test_h{n}.py": body}, f"Hostile {n}")


def _cursor(service: Service) -> datetime | None:
    value = service.store.get_cursor(CURSOR)
    return None if value is None else datetime.fromisoformat(value)


def _queued(service: Service) -> set[int]:
    return {job.change for job in service.store.jobs(limit=1000)}


def _healthz(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def dashboard() -> Iterator[Callable[[Service], str]]:
    servers: list[Any] = []

    def start(service: Service) -> str:
        server = harness.serve_dashboard(service, service.config, scheduler_alive=True)
        servers.append(server)
        return str(server.url)

    yield start
    for server in servers:
        server.stop()


# -- #6: a change dated in the future ----------------------------------------------------------


def test_a_change_dated_next_week_is_reviewed_and_cannot_drag_the_cursor(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service], caplog: pytest.LogCaptureFixture
) -> None:
    fake_gerrit.set_time(T0)
    early = _change(fake_gerrit, 1)
    service = make_service()
    fake_gerrit.add_fault(Fault("future", path=QUERY, times=1, shift=7 * 86400))
    caplog.set_level(logging.WARNING, logger="bot.poller")
    first = service.poller.poll_once()
    assert (first.enqueued, first.future) == (1, 1)  # reviewed all the same
    assert [r for r in caplog.records if "past Gerrit's clock" in r.getMessage()]
    cursor = _cursor(service)
    assert cursor is None or cursor <= T0 + timedelta(seconds=60)

    # The old bug: the cursor went to next week and every later change was missed.
    fake_gerrit.advance(120)
    later = _change(fake_gerrit, 2)
    second = service.poller.poll_once()
    assert second.enqueued == 1 and _queued(service) == {early, later}
    assert _cursor(service) == T0 + timedelta(seconds=120)
    drain(service)
    assert len(bot_reviews(fake_gerrit, early)) == 1
    assert len(bot_reviews(fake_gerrit, later)) == 1


def test_a_recheck_request_dated_next_week_cannot_drag_the_recheck_cursor(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service]
) -> None:
    """The recheck poll keeps its own cursor: it is bounded by Gerrit's clock too."""
    fake_gerrit.set_time(T0)
    early = _change(fake_gerrit, 1)
    service = make_service()
    service.check_gerrit()  # the start-up check: Gerrit's Date is known from here on
    fake_gerrit.post_message(early, "recheck-security", author="alice")
    fake_gerrit.add_fault(Fault("future", path=QUERY, times=1, shift=7 * 86400))
    first = service.recheck_poller.poll_once()
    assert first.requests == 1
    value = service.store.get_cursor(RECHECK_CURSOR)
    assert value is None or datetime.fromisoformat(value) <= T0 + timedelta(seconds=60)

    # A request made two minutes later is still seen: the cursor did not go to next week.
    fake_gerrit.advance(120)
    later = _change(fake_gerrit, 2)
    fake_gerrit.post_message(later, "recheck-security", author="alice")
    second = service.recheck_poller.poll_once()
    assert second.queued == 1  # the new request; the first one is known already
    assert {j.change for j in service.store.jobs(limit=1000) if j.kind.value == "recheck"} == {
        early,
        later,
    }


def test_a_cursor_left_ahead_of_gerrits_clock_is_not_trusted(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service], caplog: pytest.LogCaptureFixture
) -> None:
    """A store whose cursor an earlier version moved to next month polls again."""
    fake_gerrit.set_time(T0)
    change = _change(fake_gerrit, 1)
    service = make_service()
    service.check_gerrit()  # the start-up check: Gerrit's Date is known from here on
    service.store.set_cursor(CURSOR, (T0 + timedelta(days=30)).isoformat())
    caplog.set_level(logging.WARNING, logger="bot.poller")
    result = service.poller.poll_once()
    assert result.enqueued == 1 and _queued(service) == {change}
    assert _cursor(service) == T0  # moved back to what Gerrit returned
    (line,) = [
        r.getMessage() for r in caplog.records if "ahead of Gerrit's clock" in r.getMessage()
    ]
    assert "looking back" in line


# -- #16 and the health check of #6: a Gerrit that ignores S= --------------------------------


def _spread_changes(fake: FakeGerrit, count: int) -> list[int]:
    """``count`` changes ten seconds apart (Gerrit answers newest first)."""
    fake.set_time(T0)
    changes = []
    for n in range(count):
        changes.append(_change(fake, n))
        fake.advance(10)
    return changes


def test_a_gerrit_ignoring_s_pages_no_further_and_loses_nothing(
    fake_gerrit: FakeGerrit,
    make_service: Callable[..., Service],
    dashboard: Callable[[Service], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    changes = _spread_changes(fake_gerrit, 5)
    service = make_service(poll={"page_size": 2, "stall_window": 0.3})
    url = dashboard(service)
    fake_gerrit.add_fault(Fault("ignore_skip", path=QUERY, times=None))
    caplog.set_level(logging.WARNING, logger="bot.poller")
    before = len(fake_gerrit.requests)
    first = service.poller.poll_once()  # returns: no paging forever
    assert first.truncated and first.enqueued == 2
    assert len(fake_gerrit.requests) - before == 2  # page 1, then page 1 again: stop
    assert _cursor(service) is None  # the window was not read to its end
    (line,) = [r.getMessage() for r in caplog.records if "stopped paging" in r.getMessage()]
    assert "ignore S=" in line

    time.sleep(0.5)  # past poll.stall_window, still behind the activity Gerrit showed
    status, health = _healthz(url)
    assert status == 503 and "poll_progress" in health["failing"]
    assert "behind Gerrit" in health["checks"]["poll_progress"]["detail"]

    # Every later poll goes on below the oldest change read, with before:, until done.
    for _ in range(5):
        if not service.poller.poll_once().truncated:
            break
    assert _queued(service) == set(changes)
    assert _cursor(service) == T0 + timedelta(seconds=40)  # the newest change's update
    status, health = _healthz(url)
    assert status == 200, health
    assert health["checks"]["poll_progress"]["truncated_polls"] >= 2


def test_a_window_longer_than_max_pages_is_read_over_several_polls(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service]
) -> None:
    changes = _spread_changes(fake_gerrit, 7)
    service = make_service(poll={"page_size": 2, "max_pages": 2})
    first = service.poller.poll_once()
    assert first.truncated and first.enqueued == 4 and _cursor(service) is None
    second = service.poller.poll_once()
    assert not second.truncated
    assert _queued(service) == set(changes)
    assert _cursor(service) == T0 + timedelta(seconds=60)


# -- #7: records with fields of the wrong type -------------------------------------------------


@pytest.mark.parametrize(
    "corrupt",
    [
        (("_number", "12x"),),
        (("_number", [1]),),  # unhashable: it broke the paging's de-duplication
        (("current_revision", {"a": 1}),),
        (("revisions", []),),
        (("owner", "alice"),),
        (("updated", 12345),),
        (("subject", None), ("project", 7)),
    ],
)
def test_a_malformed_record_is_skipped_counted_and_the_poll_goes_on(
    fake_gerrit: FakeGerrit,
    make_service: Callable[..., Service],
    dashboard: Callable[[Service], str],
    caplog: pytest.LogCaptureFixture,
    corrupt: tuple[tuple[str, Any], ...],
) -> None:
    changes = _spread_changes(fake_gerrit, 3)
    service = make_service()
    url = dashboard(service)
    fake_gerrit.add_fault(Fault("malformed", path=QUERY, times=1, corrupt=corrupt))
    caplog.set_level(logging.WARNING)
    result = service.poller.poll_once()
    assert (result.seen, result.invalid, result.enqueued) == (3, 1, 2)
    lines = [r for r in caplog.records if "expected fields" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None and "\n" not in lines[0].getMessage()
    status, health = _healthz(url)
    assert status == 200 and health["checks"]["poll_progress"]["invalid_records"] == 1

    service.poller.poll_once()  # the record is well formed again: nothing was lost
    assert _queued(service) == set(changes)
    drain(service)
    assert all(len(bot_reviews(fake_gerrit, c)) == 1 for c in changes)


# -- #9: slow and huge answers -----------------------------------------------------------------

LIMITS = {"timeout": 5.0, "deadline": 2.0}


def test_a_trickling_poll_answer_is_abandoned_at_the_deadline(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service], caplog: pytest.LogCaptureFixture
) -> None:
    change = _change(fake_gerrit, 1)
    service = make_service(gerrit=LIMITS)
    fake_gerrit.add_fault(Fault("trickle", path=QUERY, times=1, size=1, delay=0.2))
    caplog.set_level(logging.ERROR, logger="bot.service")
    started = time.monotonic()
    service.poll_safely()
    assert time.monotonic() - started < 4.0
    (line,) = [r.getMessage() for r in caplog.records]
    assert "exceeded its deadline" in line and "gerrit.deadline (2 s)" in line
    service.poll_safely()
    assert _queued(service) == {change}


def test_trickling_headers_of_a_worker_read_make_the_job_wait_not_fail(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service]
) -> None:
    change = _change(fake_gerrit, 1)
    service = make_service(gerrit=LIMITS, worker={"max_attempts": 1})
    service.poller.poll_once()
    detail = rf"^/a/changes/{PROJECT.replace('/', '%2F')}~{change}/$"
    fake_gerrit.add_fault(Fault("trickle", path=detail, times=2, size=1, delay=0.2, part="all"))
    drain(service)
    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.POSTED, job.reason
    assert len(bot_reviews(fake_gerrit, change)) == 1
    assert any("deadline" in (e.detail or "") for e in service.store.events(job.id))


@pytest.mark.parametrize("declare", [True, False])
def test_a_50_mb_answer_is_refused_at_the_cap(
    fake_gerrit: FakeGerrit,
    make_service: Callable[..., Service],
    caplog: pytest.LogCaptureFixture,
    declare: bool,
) -> None:
    change = _change(fake_gerrit, 1)
    service = make_service(gerrit={"max_response_bytes": 1024 * 1024})
    fake_gerrit.add_fault(
        Fault("huge", path=QUERY, times=1, size=50 * 1024 * 1024, declare=declare)
    )
    caplog.set_level(logging.ERROR, logger="bot.service")
    started = time.monotonic()
    service.poll_safely()
    assert time.monotonic() - started < 5.0
    (line,) = [r.getMessage() for r in caplog.records]
    assert "gerrit.max_response_bytes (1,048,576)" in line
    service.poll_safely()
    assert _queued(service) == {change}


# -- #15: the review POST redirected -----------------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


@pytest.mark.parametrize("status", [307, 308])
def test_a_redirected_review_post_is_sent_nowhere_else_nor_recorded_as_posted(
    fake_gerrit: FakeGerrit,
    make_service: Callable[..., Service],
    elsewhere: RecordingServer,
    status: int,
) -> None:
    change = _change(fake_gerrit, 1)
    service = make_service(worker={"max_attempts": 2})
    service.poller.poll_once()
    target = f"{elsewhere.url}/a/changes/{change}/revisions/current/review"
    fake_gerrit.add_fault(
        Fault(
            "redirect", status=status, method="POST", path=r"/review$", times=None, location=target
        )
    )
    drain(service)
    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.FAILED and f"HTTP {status}" in (job.reason or "")
    assert elsewhere.seen == []
    assert bot_reviews(fake_gerrit, change) == []

    # Once Gerrit stops redirecting, a retry posts the review once, to Gerrit.
    fake_gerrit.clear_faults()
    assert service.store.requeue(job.id, reason="retry after the redirect")
    drain(service)
    assert service.store.job(job.id).status == JobStatus.POSTED  # type: ignore[union-attr]
    assert len(bot_reviews(fake_gerrit, change)) == 1 and elsewhere.seen == []


# -- #20: the password file and a URL that is not HTTP -----------------------------------------


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_only_the_first_line_of_the_password_file_is_the_password(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service], tmp_path: Path, ending: str
) -> None:
    secret = tmp_path / "password-with-a-second-line"
    secret.write_text(f"{BOT_PASSWORD}{ending}previous-token{ending}", encoding="utf-8")
    secret.chmod(0o600)
    service = make_service(gerrit={"password_file": str(secret)})
    assert service.config.gerrit.password.reveal() == BOT_PASSWORD
    service.check_gerrit()  # authenticated over HTTP with the first line alone
    change = _change(fake_gerrit, 1)
    service.poller.poll_once()
    drain(service)
    assert len(bot_reviews(fake_gerrit, change)) == 1


@pytest.mark.parametrize(
    "url",
    [
        "ftp://security-bot:hunter2@review.example.org/",
        "gerrit.example.org:hunter2@review.example.org",
        "HTTPS://security-bot:hunter2@review.example.org",
    ],
)
def test_a_url_that_is_not_http_never_shows_its_credentials(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_config({"gerrit": {"url": url}}, env={"SECURITY_BOT_GERRIT_PASSWORD": "x"})
    assert "hunter2" not in str(caught.value) and "security-bot:" not in str(caught.value)
    assert str(caught.value).startswith("gerrit.url: must start with http:// or https://")
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env={"SECURITY_BOT_GERRIT__URL": url, "SECURITY_BOT_GERRIT_PASSWORD": "x", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode != 0
    assert "gerrit.url" in run.stderr + run.stdout
    assert "hunter2" not in run.stderr + run.stdout


@pytest.mark.postgres
def test_a_record_postgresql_refuses_is_skipped_not_the_poll(
    fake_gerrit: FakeGerrit, make_service: Callable[..., Service], caplog: pytest.LogCaptureFixture
) -> None:
    """A NUL byte in a subject is valid JSON, but PostgreSQL refuses it in a text column:
    every poll used to abort on it, for as long as the change stayed in the window."""
    from tests.support import postgres_database

    changes = _spread_changes(fake_gerrit, 3)
    with postgres_database("security_bot_hostile") as url:
        service = make_service(store={"url": url})
        fake_gerrit.add_fault(
            Fault("malformed", path=QUERY, times=1, corrupt=(("subject", "nul \x00 byte"),))
        )
        caplog.set_level(logging.WARNING, logger="bot.poller")
        result = service.poller.poll_once()
        assert (result.invalid, result.enqueued) == (1, 2)
        (line,) = [r.getMessage() for r in caplog.records if "expected fields" in r.getMessage()]
        assert "DataError" in line or "NUL" in line
        service.poller.poll_once()
        assert _queued(service) == set(changes)
        service.close()
