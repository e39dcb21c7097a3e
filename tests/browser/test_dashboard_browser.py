"""The dashboard in real headless Chromium over the demo pipeline's results."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.store import JobKind, JobStatus
from tests.browser.conftest import HOSTILE_SUBJECTS, DemoSite, log_in

pytestmark = pytest.mark.slow


def rows(page: Any) -> Any:
    return page.locator("#changes-table tbody tr")


def test_the_list_renders_the_demo_changes(site: DemoSite, page: Any) -> None:
    log_in(page, site.url)
    page.goto(f"{site.url}/changes")
    table = page.locator("#changes-table")
    shown = page.locator("#changes-table tbody td.change").all_inner_texts()
    for name in ("clean", "defects", "rebase-base", "no-test-code", "unparsable-and-binary"):
        sample = site.sample(name)
        assert f"{sample.change},{sample.patchset}" in shown, name
    assert table.get_by_text("Add runner tests").is_visible()
    assert table.get_by_text("Add unit tests for shell.run").is_visible()
    defects = site.sample("defects")
    link = page.locator(f"a:text-is('{defects.change},1')")
    href = link.first.get_attribute("href")
    assert href == f"{site.demo.fake.url}/c/openstack/sample/+/{defects.change}/1"
    assert page.errors == []


def test_filtering_narrows_the_list(site: DemoSite, page: Any) -> None:
    log_in(page, site.url)
    page.goto(f"{site.url}/changes")
    everything = rows(page).count()
    assert everything >= 7
    # a menu filter applies itself on change (the page's script submits the form)
    page.select_option("select[name=status]", "skipped")
    page.wait_for_url(re.compile(r"status=skipped"))
    assert rows(page).count() == 1
    assert page.locator("#changes-table").get_by_text("Add shell.version").is_visible()
    # the text search
    page.goto(f"{site.url}/changes")
    page.fill("input[name=q]", "runner")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"q=runner"))
    assert rows(page).count() == 1
    assert page.locator("#changes-table").get_by_text("Add runner tests").is_visible()
    page.select_option("select[name=verdict]", "clean")
    page.wait_for_url(re.compile(r"verdict=clean"))
    assert page.locator("#changes-table").count() == 0
    assert page.get_by_text("No patch set matches these filters.").is_visible()


def test_the_detail_page_shows_the_findings(site: DemoSite, page: Any) -> None:
    log_in(page, site.url)
    defects = site.sample("defects")
    page.goto(f"{site.url}/changes?q={defects.change}")
    page.locator("#changes-table").get_by_role("link", name="Add runner tests").click()
    page.wait_for_url(re.compile(r"/changes/\d+$"))
    findings = page.locator("#findings .finding")
    assert findings.count() >= 3
    text = page.locator("#findings").inner_text()
    assert "shell-injection" in text and "hardcoded" in text
    assert 'self.mock_run.called_once_with(["deploy", "web"])' in text
    assert "sample/tests/test_runner.py" in text
    assert page.locator("#verdict").inner_text() == "defects"
    assert "claimed" in page.locator("#events").inner_text()
    assert page.locator("#posted pre.message-text").inner_text().strip()
    assert page.errors == []


def test_rerun_as_administrator_is_posted_by_the_worker(site: DemoSite, page: Any) -> None:
    from tests.support import drain

    store = site.service.store
    clean = site.sample("clean")
    reviews_before = len(site.demo.fake.reviews(clean.change))
    jobs_before = store.job_count(change=clean.change)
    original = next(j for j in store.jobs(change=clean.change) if j.kind is JobKind.NEW)
    log_in(page, site.url, name="Rita Rerun")
    page.goto(f"{site.url}/changes/{original.id}")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#rerun")
    page.wait_for_url(re.compile(r"/changes/\d+$"))
    assert page.get_by_text("queued", exact=False).first.is_visible()
    assert store.job_count(change=clean.change) == jobs_before + 1
    reruns = [j for j in store.jobs(change=clean.change) if j.kind is JobKind.RERUN]
    assert len(reruns) == 1 and reruns[0].requested_by == "Rita Rerun"
    assert page.url.endswith(f"/changes/{reruns[0].id}")
    drain(site.service)
    assert store.job(reruns[0].id).status is JobStatus.POSTED  # type: ignore[union-attr]
    assert len(site.demo.fake.reviews(clean.change)) == reviews_before + 1
    page.reload()
    assert page.locator("#job-status").inner_text() == "posted"
    assert "re-run by Rita Rerun" in page.content()


def test_rerun_without_logging_in_is_refused(site: DemoSite, page: Any) -> None:
    store = site.service.store
    defects = site.sample("defects")
    job = next(j for j in store.jobs(change=defects.change) if j.kind is JobKind.NEW)
    before = store.job_count()
    page.goto(f"{site.url}/changes/{job.id}")
    assert "/login" in page.url  # reading is closed by default
    assert page.locator("#rerun").count() == 0
    # a forged form post from the logged-out browser
    response = page.request.post(
        f"{site.url}/changes/{job.id}/rerun", form={"csrf_token": "forged"}, max_redirects=0
    )
    assert response.status in (401, 403)
    response = page.evaluate(
        "async (url) => (await fetch(url, {method: 'POST'})).status",
        f"{site.url}/api/changes/{job.id}/rerun",
    )
    assert response in (401, 403)
    assert store.job_count() == before


@pytest.mark.parametrize("subject", HOSTILE_SUBJECTS)
def test_a_hostile_subject_is_shown_as_text_and_runs_nothing(
    site: DemoSite, page: Any, subject: str
) -> None:
    change = site.hostile[subject]
    log_in(page, site.url)
    page.goto(f"{site.url}/changes")
    cell = page.locator("#changes-table td.subject").filter(has_text=subject)
    assert cell.count() == 1 and cell.inner_text() == subject
    assert page.evaluate("typeof window.__pwned") == "undefined"
    cell.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/changes/\d+$"))
    assert page.locator("#subject").inner_text() == subject
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(f"{site.url}/changes?q={change}")
    assert page.locator("#changes-table td.subject").inner_text() == subject
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#changes-table img, #subject img, main script").count() == 0
