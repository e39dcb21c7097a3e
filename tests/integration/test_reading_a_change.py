"""Reading a change for its review: the current revision, plus the one under review when it
is older; never ``o=ALL_REVISIONS`` (Gerrit would compute the kind of every patch set)."""

from __future__ import annotations

from bot.store import JobKind, JobSpec, JobStatus, rerun_key
from fakegerrit import FakeGerrit
from tests.support import PROJECT, bot_reviews, drain

DEFECTIVE = (
    "from unittest import mock\n\n\ndef test_x():\n    m = mock.Mock()\n    m.called_once_with(2)\n"
)


def options_asked(fake: FakeGerrit) -> list[list[str]]:
    """The ``o=`` options of every request the fake received."""
    return [[v for k, v in r.query if k == "o"] for r in fake.requests]


def test_trivial_rebase_carries_without_reading_every_revision(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_x.py": DEFECTIVE}, "Defects")
    service = make_service()
    service.poller.poll_once()
    drain(service)
    fake_gerrit.commit_to_branch(PROJECT, {"README": "moved on\n"}, "Unrelated")
    for i in range(3):  # a long-lived change: reworks, each reviewed
        fake_gerrit.upload_patchset(change, {"sample/tests/test_x.py": DEFECTIVE + "#\n" * i})
        service.poller.poll_once()
        drain(service)
    fake_gerrit.clear_requests()
    ps = fake_gerrit.upload_patchset(change, kind="TRIVIAL_REBASE")
    service.poller.poll_once()
    drain(service)

    job = next(j for j in service.store.jobs(change=change) if j.patchset == ps)
    assert job.status == JobStatus.CARRIED, job.reason
    carried = service.store.review_for(change, ps)
    assert carried is not None and carried.carried_from == ps - 1
    asked = options_asked(fake_gerrit)
    assert not any("ALL_REVISIONS" in o for o in asked)
    detail = [
        r for r in fake_gerrit.requests if r.path.endswith(f"~{change}/") and r.method == "GET"
    ]
    assert len(detail) == 1  # the current patch set under review: one read of the change
    assert [v for k, v in detail[0].query if k == "o"] == ["CURRENT_REVISION", "DETAILED_ACCOUNTS"]


def test_an_older_patch_set_is_read_on_its_own_and_reviewed_at_its_sha(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_x.py": DEFECTIVE}, "Defects")
    fake_gerrit.upload_patchset(change, {"sample/tests/test_x.py": "def test_ok():\n    pass\n"})
    fake_gerrit.upload_patchset(change, {"sample/tests/test_x.py": "def test_ok():\n    pass\n\n"})
    service = make_service()
    service.check_gerrit()
    first = fake_gerrit.revision(change, 1)
    spec = JobSpec(
        trigger_key=rerun_key(),
        kind=JobKind.RERUN,
        project=PROJECT,
        change=change,
        patchset=1,
        revision=first,
        subject="Defects",
        owner="alice",
        branch="master",
    )
    assert service.store.enqueue(spec) is not None
    fake_gerrit.clear_requests()
    drain(service)

    [review] = bot_reviews(fake_gerrit, change)
    assert review["_patchset"] == 1 and "sample/tests/test_x.py" in review["comments"]
    paths = [r.path for r in fake_gerrit.requests if r.method == "GET" and not r.git]
    assert f"/a/changes/openstack%2Fsample~{change}/revisions/1/review" in paths
    assert not any("ALL_REVISIONS" in o for o in options_asked(fake_gerrit))
    job = next(iter(service.store.jobs(change=change)))
    assert job.status == JobStatus.POSTED


def test_a_patch_set_the_change_does_not_have_fails_with_a_reason(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_x.py": DEFECTIVE}, "Defects")
    service = make_service()
    spec = JobSpec(
        trigger_key=rerun_key(),
        kind=JobKind.RERUN,
        project=PROJECT,
        change=change,
        patchset=7,
        revision="0" * 40,
        subject="Defects",
        owner="alice",
        branch="master",
    )
    service.store.enqueue(spec)
    drain(service)
    job = next(iter(service.store.jobs(change=change)))
    assert job.status == JobStatus.FAILED and job.reason == "patch set 7 not found on the change"
