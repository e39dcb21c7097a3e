"""The third verdict (issue 17 #3): a review in which some changed Python file could not be
analysed never says "No security defects are detected in the code." and never casts the
clean vote, through real HTTP, real git and SQLite.
"""

from __future__ import annotations

import sys

from bot.review.report import CLEAN_VERDICT
from bot.store.records import JobStatus
from fakegerrit import FakeGerrit
from tests.support import PROJECT, bot_reviews, drain

CLEAN = "def test_ok():\n    assert 1 + 1 == 2\n"
DEFECTIVE = (
    "from unittest import mock\n\n\ndef test_call():\n    m = mock.Mock()\n"
    "    m.called_once_with(1)\n"
)
BINARY = b"\x00\x01\x02 not text \xff\xfe\x00" * 20
VOTES = {"label": "Verified", "label_clean": 1, "label_defects": -1}


def test_a_binary_python_file_makes_the_review_incomplete_with_a_neutral_vote(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(
        PROJECT,
        {"sample/tests/test_ok.py": CLEAN, "sample/tests/test_blob.py": BINARY},
        "A clean test and a binary one",
    )
    service = make_service(review=VOTES)
    service.poller.poll_once()
    drain(service)

    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    assert "Analysis incomplete: 1 changed Python file could not be analysed" in review["message"]
    assert "`sample/tests/test_blob.py`: binary file" in review["message"]
    assert review["labels"] == {"Verified": 0}
    recorded = service.store.review_for(change, 1)
    assert recorded is not None and recorded.verdict == "incomplete"
    assert service.store.jobs(change=change)[0].status == JobStatus.POSTED


def test_defects_beside_an_unanalysed_file_keep_the_defects_verdict(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(
        PROJECT,
        {"sample/tests/test_call.py": DEFECTIVE, "sample/tests/test_blob.py": BINARY},
        "A defect and a binary file",
    )
    service = make_service(review=VOTES)
    service.poller.poll_once()
    drain(service)

    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    assert "1 security defect found" in review["message"]
    assert "### Not analysed" in review["message"]
    assert review["labels"] == {"Verified": -1}


def test_newer_syntax_is_incomplete_on_3_11_and_analysed_on_a_python_that_knows_it(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    """PEP 701 f-strings: the bot's own interpreter decides. On 3.11 the file does not parse,
    so the review is "incomplete" with a neutral vote, never clean; on 3.12+ it is analysed
    and its defect found. Either way the review never calls the file clean."""
    source = (
        "from unittest import mock\n\n\ndef test_join():\n    m = mock.Mock()\n"
        '    m.called_once_with(f"{", ".join(["a"])}")\n'
    )
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_pep701.py": source}, "701")
    service = make_service(review=VOTES)
    service.poller.poll_once()
    drain(service)

    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    if sys.version_info >= (3, 12):
        assert "Analysis incomplete" not in review["message"]
        assert "1 security defect found" in review["message"]
        assert review["labels"] == {"Verified": -1}
    else:
        assert review["message"].count("Analysis incomplete") == 1
        assert "does not parse with Python 3.11" in review["message"]
        assert review["labels"] == {"Verified": 0}


def test_a_trivial_rebase_of_an_incomplete_review_is_reviewed_again(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(
        PROJECT, {"sample/tests/test_blob.py": BINARY}, "Only a binary file"
    )
    service = make_service()
    service.poller.poll_once()
    drain(service)
    fake_gerrit.commit_to_branch(PROJECT, {"README": "moved on\n"}, "Unrelated")
    ps2 = fake_gerrit.upload_patchset(change, kind="TRIVIAL_REBASE")
    service.poller.poll_once()
    drain(service)

    reviews = bot_reviews(fake_gerrit, change)
    assert len(reviews) == 2  # not carried: an incomplete verdict vouches for nothing
    job = next(j for j in service.store.jobs(change=change) if j.patchset == ps2)
    assert job.status == JobStatus.POSTED
    again = service.store.review_for(change, ps2)
    assert again is not None and again.verdict == "incomplete" and again.carried_from is None
