"""One inline comment Gerrit refuses must not sink the review (issue 17 #4).

Gerrit validates a whole review before applying any of it: one comment on a path it does
not know (a file name it spells differently) or one over its comment size limit gets the
whole POST a 400 and nothing is posted. The bot posts the review again without the refused
comments and says so in the summary. Performed through the fake Gerrit over HTTP, with
the 400 bodies Gerrit sends.
"""

from __future__ import annotations

from bot.review.report import find_run_marker
from bot.store.records import JobStatus
from fakegerrit import FakeGerrit
from fakegerrit.faults import Fault
from tests.support import PROJECT, bot_reviews, drain

DEFECT = (
    "from unittest import mock\n\n\ndef test_call():\n    m = mock.Mock()\n"
    "    m.called_once_with(1)\n"
)
REVIEW_POST = r"/revisions/[^/]+/review$"


def _inline_paths(fake: FakeGerrit, change: int) -> set[str]:
    return {path for path, items in fake.comments(change).items() if items}


def test_a_comment_on_a_path_gerrit_refuses_is_dropped_and_the_review_posted(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    files: dict[str, str | bytes] = {
        "sample/tests/test_a.py": DEFECT,
        "sample/tests/test_b.py": DEFECT,
    }
    change = fake_gerrit.create_change(PROJECT, files, "Two defective files")
    fake_gerrit.add_fault(
        Fault(
            "status",
            status=400,
            body=f"file sample/tests/test_a.py not found in revision {change},1\n",
            method="POST",
            path=REVIEW_POST,
        )
    )
    service = make_service()
    service.poller.poll_once()
    drain(service)

    (review,) = bot_reviews(fake_gerrit, change)
    message = review["message"]
    assert (
        "Gerrit refused 1 of the inline comments (file sample/tests/test\\_a.py not found"
        in message
    )
    assert "`sample/tests/test_a.py` line 6" in message  # still listed in the summary
    assert find_run_marker(message) is not None  # the footer survived
    assert _inline_paths(fake_gerrit, change) == {"sample/tests/test_b.py"}
    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.POSTED and job.attempts == 1
    posts = [r for r in fake_gerrit.requests if r.method == "POST" and r.path.endswith("/review")]
    assert [r.status for r in posts] == [400, 200]


def test_a_refusal_naming_no_path_drops_every_inline_comment(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_a.py": DEFECT}, "One defect")
    fake_gerrit.add_fault(
        Fault(
            "status",
            status=400,
            body="One or more comments were rejected in validation: "
            "Comment size exceeds limit (5000 > 4096)\n",
            method="POST",
            path=REVIEW_POST,
        )
    )
    service = make_service()
    service.poller.poll_once()
    drain(service)

    (review,) = bot_reviews(fake_gerrit, change)
    assert "Gerrit refused 1 of the inline comments (One or more comments" in review["message"]
    assert _inline_paths(fake_gerrit, change) == set()
    assert service.store.jobs(change=change)[0].status == JobStatus.POSTED


def test_a_summary_gerrit_refuses_with_no_inline_comment_fails_the_job(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    """Nothing left to drop: the 400 is the job's answer (failed, with the reason)."""
    change = fake_gerrit.create_change(
        PROJECT, {"sample/tests/test_ok.py": "def test_ok():\n    assert len('ab') == 2\n"}, "ok"
    )
    fake_gerrit.add_fault(
        Fault("status", status=400, body="bad request\n", method="POST", path=REVIEW_POST)
    )
    service = make_service()
    service.poller.poll_once()
    drain(service)

    assert bot_reviews(fake_gerrit, change) == []
    (job,) = service.store.jobs(change=change)
    assert job.status == JobStatus.FAILED and "HTTP 400" in job.reason
