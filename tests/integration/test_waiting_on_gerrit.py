"""Waiting on Gerrit is not a failure of the job (issue 17 #8).

An outage or a 429 window longer than every retry budget used to fail queued jobs for
good, and ``Retry-After`` was ignored. Performed through the fake Gerrit over HTTP: its
REST answers are dropped or throttled for longer than ``worker.max_attempts`` attempts of
``gerrit.retry_attempts`` requests each; the job stays pending, honours ``Retry-After``,
and is posted once Gerrit is back. An answer that waiting cannot fix still ends the job.
"""

from __future__ import annotations

import re

from bot.store.records import JobStatus
from fakegerrit import FakeGerrit
from fakegerrit.faults import Fault
from tests.support import PROJECT, bot_reviews, drain

DEFECT = (
    "from unittest import mock\n\n\ndef test_call():\n    m = mock.Mock()\n"
    "    m.called_once_with(1)\n"
)
REST = r"^/a/changes/"
WORKER = {"max_attempts": 2, "retry_backoff": 0.0, "retry_cap": 0.0}


def _waits(service, job_id: int) -> list[float]:
    found = []
    for event in service.store.events(job_id):
        match = re.search(r"\(again in ([0-9.]+)s\)", event.detail or "")
        if event.event == "retry" and match:
            found.append(float(match.group(1)))
    return found


def test_a_429_window_longer_than_the_retry_budget_waits_and_honours_retry_after(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": DEFECT}, "throttled")
    service = make_service(worker=WORKER)
    service.poller.poll_once()
    # 3 requests per attempt (gerrit.retry_attempts) x 2 attempts: 9 throttled answers
    # outlast every budget.
    fake_gerrit.add_fault(
        Fault("status", status=429, path=REST, times=9, headers=(("Retry-After", "1"),))
    )
    drain(service)

    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.POSTED, job.reason
    assert len(bot_reviews(fake_gerrit, change)) == 1
    waits = _waits(service, job.id)
    assert len(waits) >= 2 and all(w >= 1.0 for w in waits)  # Retry-After: 1, honoured
    assert job.attempts == 1  # the waits were given back: only the posting attempt counts


def test_an_outage_longer_than_the_retry_budget_fails_nothing(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": DEFECT}, "outage")
    service = make_service(worker=WORKER)
    service.poller.poll_once()
    fake_gerrit.add_fault(Fault("drop", path=REST, times=12))
    fake_gerrit.add_fault(Fault("status", status=503, path=REST, times=6))
    drain(service)

    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.POSTED, job.reason
    assert len(bot_reviews(fake_gerrit, change)) == 1
    assert len(_waits(service, job.id)) >= 3


def test_an_answer_waiting_cannot_fix_still_ends_the_job(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": DEFECT}, "refused")
    service = make_service(worker=WORKER)
    service.poller.poll_once()
    fake_gerrit.add_fault(Fault("status", status=403, path=REST, times=None))
    drain(service)
    fake_gerrit.clear_faults()

    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.FAILED and "HTTP 403" in job.reason
    assert bot_reviews(fake_gerrit, change) == []


def test_a_throttled_review_post_waits_without_using_up_attempts(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    """429 on the POST itself: Gerrit applied nothing, so the waits are not attempts."""
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": DEFECT}, "post 429")
    service = make_service(worker=WORKER)
    service.poller.poll_once()
    fake_gerrit.add_fault(
        Fault(
            "status",
            status=429,
            method="POST",
            path=r"/review$",
            times=4,
            headers=(("Retry-After", "0"),),
        )
    )
    drain(service)

    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.POSTED and job.attempts == 1, job.reason
    assert len(bot_reviews(fake_gerrit, change)) == 1
