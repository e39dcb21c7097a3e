"""Browser tests: the real demo pipeline, the dashboard served over HTTP, headless Chromium.

Chromium is Debian's package (``/usr/bin/chromium``, or ``$SECURITY_BOT_CHROMIUM``), driven
by Playwright's Python package with :func:`bot.demo.scratch.chromium_launch_options`;
Playwright's own browser download is never used.
Without Chromium or Playwright the tests are skipped with the reason, unless ``CI``
is set: then they fail, so CI cannot pass without running them.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.demo import scratch

if TYPE_CHECKING:
    from bot.dashboard import DashboardServer
    from bot.demo.samples import Demo
    from bot.service import Service

ADMIN_TOKEN = "browser-test-admin-token"
HOSTILE_SUBJECTS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
)
HOSTILE_TEST = "def test_nothing():\n    assert True\n"


def _missing() -> str:
    reason = scratch.chromium_missing()
    if reason:
        return reason
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright)"
    return ""


def require_browser() -> None:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)


@dataclass
class DemoSite:
    demo: Demo
    service: Service
    server: DashboardServer
    hostile: dict[str, int]  # subject -> change number

    @property
    def url(self) -> str:
        return self.server.url

    def sample(self, name: str) -> Any:
        return self.demo.sample(name)


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    """The demo's phase-1 samples (plus two hostile subjects) processed by the real bot."""
    require_browser()
    from bot.config import Secret
    from bot.demo.harness import serve_dashboard
    from bot.demo.samples import PROJECT, Demo
    from tests.support import drain

    tmp = Path(tempfile.mkdtemp(prefix="dashboard-browser-"))
    demo = Demo(tmp)
    config = demo.config.replace(
        dashboard=dataclasses.replace(
            demo.config.dashboard, public_read=False, admin_token=Secret(ADMIN_TOKEN)
        )
    )
    server = None
    try:
        service = demo.harness.service(config)
        service.check_gerrit()
        demo.load(1)
        hostile = {
            subject: demo.fake.create_change(
                PROJECT, {f"sample/tests/test_hostile_{i}.py": HOSTILE_TEST}, subject, owner="dave"
            )
            for i, subject in enumerate(HOSTILE_SUBJECTS)
        }
        service.poller.poll_once()
        drain(service)
        server = serve_dashboard(service, config, scheduler_alive=True)
        yield DemoSite(demo, service, server, hostile)
    finally:
        if server is not None:
            server.stop()
        demo.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(**scratch.chromium_launch_options())
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh, logged-out browser context; CSP violations and page errors are collected."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: page.errors.append(msg.text) if msg.type == "error" else None,
    )
    try:
        yield page
    finally:
        context.close()


def log_in(page: Any, url: str, name: str = "Browser Admin") -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=token]", ADMIN_TOKEN)
    page.fill("input[name=name]", name)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{url}/")
