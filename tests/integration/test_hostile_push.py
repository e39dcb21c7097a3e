"""A hostile push (issue 17 #2): one big blob under many paths, more files or findings than
a review should carry. Performed through the fake Gerrit over HTTP, real git and SQLite:
identical blobs are analysed once, and the per-patch-set caps hold and are said in the
review, which never says the change is clean when one was hit.
"""

from __future__ import annotations

import pytest

from bot.analysis.selection import Selection
from bot.review.report import CLEAN_VERDICT
from bot.store.records import JobStatus
from fakegerrit import FakeGerrit
from tests.support import PROJECT, bot_reviews, drain

VOTES = {"label": "Verified", "label_clean": 1, "label_defects": -1}
CLEAN = 'def test_ok_{n}():\n    assert len("x" * {n}) == {n}\n'
# One defect per test (a mock assertion that asserts nothing), many tests: a big blob.
DEFECT = "def test_call_{n}():\n    m = mock.Mock()\n    m.called_once_with({n})\n\n\n"


def _big_blob(tests: int) -> str:
    return "from unittest import mock\n\n\n" + "".join(DEFECT.format(n=n) for n in range(tests))


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the engine was run on (the real analysis runs; this only records it)."""
    seen: list[str] = []
    real = Selection.analyze

    def recording(self: Selection, path: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Selection, "analyze", recording)
    return seen


def test_one_blob_under_thirty_paths_is_analysed_once(
    fake_gerrit: FakeGerrit, make_service, analyses: list[str]
) -> None:
    blob = _big_blob(2000)  # ~150 KB
    files: dict[str, str | bytes] = {f"sample/tests/copy{n}/test_x.py": blob for n in range(30)}
    change = fake_gerrit.create_change(PROJECT, files, "One blob, thirty names")
    service = make_service(review={**VOTES, "max_findings_per_patchset": 100})
    service.poller.poll_once()
    drain(service)

    assert len(analyses) == 1
    (review,) = bot_reviews(fake_gerrit, change)
    assert review["labels"] == {"Verified": -1}
    assert "### Limits reached" in review["message"]
    assert "60000 findings, of which only the 100 most severe are reported" in review["message"]
    job = service.store.jobs(change=change)[0]
    assert job.status == JobStatus.POSTED and job.attempts == 1
    row = service.store.review_for(change, 1)
    assert row is not None
    assert len(service.store.findings_for_review(row.id)) == 100


def test_the_file_cap_makes_the_review_incomplete_and_says_so(
    fake_gerrit: FakeGerrit, make_service, analyses: list[str]
) -> None:
    files: dict[str, str | bytes] = {
        f"sample/tests/test_ok{n}.py": CLEAN.format(n=n) for n in range(6)
    }
    change = fake_gerrit.create_change(PROJECT, files, "Six clean files")
    service = make_service(review={**VOTES, "max_files_per_patchset": 4})
    service.poller.poll_once()
    drain(service)

    assert len(analyses) == 4
    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    assert review["message"].startswith("Security review of patch set 1")
    assert "Analysis incomplete: 2 changed Python files could not be analysed" in review["message"]
    assert "over the cap of 4 files" in review["message"]
    assert "2 changed Python files not analysed: at most 4 distinct files" in review["message"]
    assert review["labels"] == {"Verified": 0}
    row = service.store.review_for(change, 1)
    assert row is not None and row.verdict == "incomplete"


def test_the_byte_cap_holds_and_identical_copies_are_free(
    fake_gerrit: FakeGerrit, make_service, analyses: list[str]
) -> None:
    big = CLEAN.format(n=0) + "# padding\n" * 300  # ~3 KB
    files: dict[str, str | bytes] = {f"sample/tests/same{n}/test_a.py": big for n in range(5)}
    files["sample/tests/test_other.py"] = big + "# other\n"
    change = fake_gerrit.create_change(PROJECT, files, "Copies and one more")
    service = make_service(review={**VOTES, "max_bytes_per_patchset": len(big) + 100})
    service.poller.poll_once()
    drain(service)

    assert len(analyses) == 1  # the five copies are one analysis; the sixth file is over
    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    assert "`sample/tests/test_other.py`: over the cap of" in review["message"]
    assert "bytes are read per patch set" in review["message"]
    assert review["labels"] == {"Verified": 0}


def test_findings_capped_below_any_defect_are_not_clean(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    """A cap of zero findings: nothing is reported, and the review still is not clean."""
    change = fake_gerrit.create_change(
        PROJECT, {"sample/tests/test_many.py": _big_blob(20)}, "Twenty defects"
    )
    service = make_service(review={**VOTES, "max_findings_per_patchset": 0})
    service.poller.poll_once()
    drain(service)

    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    assert "Analysis incomplete: this patch set went over the bot's limits" in review["message"]
    assert review["labels"] == {"Verified": 0}
