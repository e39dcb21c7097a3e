"""The dashboard behind a real TLS-terminating reverse proxy, in real headless Chromium.

Issue 17 #11: behind the proxy ``docs/operations.md`` prescribes, every form POST was
refused (403, login included), the cookie was never ``Secure`` and no HSTS was sent.
Here the browser speaks HTTPS to the proxy (``tests/browser/tls_proxy.py``), the proxy
plain HTTP to the dashboard (waitress on loopback): logging in, re-running a patch set
and logging out all work, the cookie is ``Secure``, HSTS is sent, and the cookie from
before the logout is refused afterwards (#14).  The same proxy, not trusted, gets
nothing from its headers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, Secret
from bot.dashboard import DashboardServer, create_app, serve
from bot.store import JobKind, Store
from tests.browser.conftest import require_browser
from tests.unit.test_dashboard import TOKEN, Filled, make_config

pytestmark = pytest.mark.slow

COOKIE = "security_bot_session"


def dashboard_config(tmp_path: Path, trusted: tuple[str, ...]) -> Config:
    base = make_config()
    return base.replace(
        dashboard=dataclasses.replace(
            base.dashboard,
            secret_key=Secret(""),
            secret_key_file=str(tmp_path / "dashboard-secret-key"),
            trusted_proxies=trusted,
            allowed_hosts=("localhost", "127.0.0.1"),
        )
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    require_browser()
    s = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    yield s
    s.close()


@pytest.fixture
def served(tmp_path: Path, store: Store, request: pytest.FixtureRequest) -> Iterator[Any]:
    """(the TLS proxy, the dashboard, the filled store) with the proxy trusted or not."""
    from tests.browser.tls_proxy import TlsProxy

    trusted = getattr(request, "param", ("127.0.0.1",))
    filled = Filled(store)
    server: DashboardServer = serve(
        create_app(store, dashboard_config(tmp_path, trusted)), "127.0.0.1", 0
    )
    try:
        with TlsProxy(tmp_path, "127.0.0.1", server.port) as proxy:
            yield proxy, server, filled
    finally:
        server.stop()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context that accepts the proxy's self-signed certificate."""
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
    try:
        yield ctx
    finally:
        ctx.close()


def session_cookie(ctx: Any) -> dict[str, Any]:
    return next(c for c in ctx.cookies() if c["name"] == COOKIE)


def test_login_and_a_form_post_through_the_tls_proxy(
    served: Any, context: Any, browser: Any, store: Store
) -> None:
    proxy, _server, filled = served
    page = context.new_page()
    page.set_default_timeout(15_000)
    first = page.goto(f"{proxy.url}/changes")
    assert first is not None
    assert page.url.startswith(f"{proxy.url}/login")  # redirected on the public origin
    assert first.headers["strict-transport-security"] == "max-age=31536000"
    page.fill("input[name=token]", TOKEN)
    page.fill("input[name=name]", "Pat Proxy")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{proxy.url}/changes")
    assert ("POST", "/login", 303) in proxy.requests  # the login form was not refused
    cookie = session_cookie(context)
    assert cookie["secure"] is True and cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"

    # A state-changing form (CSRF token, Origin https://localhost:…) through the proxy.
    before = store.job_count()
    page.goto(f"{proxy.url}/changes/{filled.clean}")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#rerun")
    page.wait_for_url(re.compile(r"/changes/\d+$"))
    assert page.get_by_text("queued", exact=False).first.is_visible()
    assert store.job_count() == before + 1
    rerun = next(j for j in store.jobs() if j.kind is JobKind.RERUN)
    assert rerun.requested_by == "Pat Proxy"
    assert page.url == f"{proxy.url}/changes/{rerun.id}"

    # Logging out ends the session: the cookie from before is refused afterwards.
    stolen = session_cookie(context)
    page.click("text=Log out")
    page.wait_for_url(re.compile(r"/login"))
    replay = browser.new_context(ignore_https_errors=True)
    try:
        replay.add_cookies([stolen])
        other = replay.new_page()
        other.goto(f"{proxy.url}/changes")
        assert "/login" in other.url
        assert other.locator("#changes-table").count() == 0
    finally:
        replay.close()


@pytest.mark.parametrize("served", [("10.0.0.1",)], indirect=True)
def test_an_untrusted_proxy_gets_nothing_from_its_headers(served: Any, context: Any) -> None:
    proxy, server, _filled = served
    page = context.new_page()
    page.set_default_timeout(15_000)
    answer = page.goto(f"{proxy.url}/login")
    assert answer is not None
    # Not trusted: the dashboard sees plain HTTP for host 127.0.0.1 (no HSTS, no Secure) and
    # the browser's https://localhost Origin is another site, so the login is refused.
    assert "strict-transport-security" not in answer.headers
    assert session_cookie(context)["secure"] is False
    page.fill("input[name=token]", TOKEN)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    assert ("POST", "/login", 403) in proxy.requests
    assert "/login" in page.url and page.get_by_text("The form expired").is_visible()
    assert server.port != proxy.port
