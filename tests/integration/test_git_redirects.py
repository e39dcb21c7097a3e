"""Git credentials go only to the configured Gerrit, whatever the server redirects to.

Real HTTP servers on loopback: the "Gerrit" answers the smart-HTTP ``info/refs`` request with a
redirect; the second server records every ``Authorization`` header and asks for Basic auth. The
bot's own fetch code (:class:`bot.scm.mirrors.Mirrors`) is run against the first one.
"""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.scm import gitcli
from bot.scm.mirrors import FetchError, Mirrors
from fakegerrit import FakeGerrit

USER, SECRET = "security-bot", "bot-secret-7f3a"
REF = "refs/changes/01/1/1"


class _Recorder(http.server.ThreadingHTTPServer):
    seen: list[tuple[str, str | None]]
    location: str = ""


class _Redirect(http.server.BaseHTTPRequestHandler):
    """Every request is redirected; a request under /moved/ is recorded and asked for auth."""

    server: _Recorder

    def do_GET(self) -> None:
        if self.path.startswith("/moved/"):
            self.server.seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="Gerrit Code Review"')
        else:
            self.send_response(self.server.status)  # type: ignore[attr-defined]
            self.send_header("Location", self.server.location + "/moved" + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


def _serve(status: int = 302) -> Iterator[_Recorder]:
    server = _Recorder(("127.0.0.1", 0), _Redirect)
    server.seen = []
    server.status = status  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def attacker() -> Iterator[_Recorder]:
    yield from _serve()


TRANSPORTS = [
    "libgit2",
    pytest.param(
        "git",
        marks=pytest.mark.skipif(not gitcli.available(), reason="git's client is not installed"),
    ),
]


def _mirrors(tmp_path: Path, gerrit_url: str, transport: str = "libgit2") -> Mirrors:
    return Mirrors(
        tmp_path / "cache",
        username=USER,
        password=SECRET,
        timeout=10,
        gerrit_url=gerrit_url,
        transport=transport,
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("status", [301, 302, 307])
@pytest.mark.parametrize("other_host", ["localhost", "127.0.0.1"])
def test_cross_origin_redirect_gets_no_credentials(
    tmp_path: Path,
    attacker: _Recorder,
    status: int,
    other_host: str,
    transport: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # 127.0.0.1 on another port is another origin too (libgit2 itself calls it the same host).
    attacker.location = f"http://{other_host}:{attacker.server_port}"
    for gerrit in _serve(status):
        gerrit.location = attacker.location
        gerrit_url = f"http://127.0.0.1:{gerrit.server_port}"
        mirrors = _mirrors(tmp_path, gerrit_url, transport)
        with caplog.at_level(logging.DEBUG), pytest.raises(FetchError) as raised:
            mirrors.fetch("openstack/nova", f"{gerrit_url}/a/openstack/nova", REF)
    message = str(raised.value)
    assert all(auth is None for _, auth in attacker.seen), attacker.seen
    if transport == "libgit2":
        # libgit2 follows the first request's redirect; the credentials callback refuses
        assert attacker.seen, "the redirect was not followed: the attack was not performed"
        assert "refusing to send credentials" in message
        assert "not the configured Gerrit" in message
        refusals = [
            r for r in caplog.records if "refusing to send Gerrit credentials" in r.getMessage()
        ]
        assert len(refusals) == 1
    else:
        # git's client follows no redirect at all (http.followRedirects=false)
        assert attacker.seen == []
    for text in [message, *(r.getMessage() for r in caplog.records)]:
        assert SECRET not in text


def test_same_origin_redirect_keeps_credentials_with_libgit2(tmp_path: Path) -> None:
    """With libgit2, a redirect to another path of the configured Gerrit keeps credentials."""
    for gerrit in _serve(302):
        gerrit_url = f"http://127.0.0.1:{gerrit.server_port}"
        gerrit.location = gerrit_url
        with pytest.raises(FetchError) as raised:
            _mirrors(tmp_path, gerrit_url, "libgit2").fetch(
                "openstack/nova", f"{gerrit_url}/a/openstack/nova", REF
            )
        auths = [auth for _, auth in gerrit.seen]
    # the fake answers 401 again: the credentials were tried once, then the fetch gives up
    assert "authentication failed" in str(raised.value)
    assert sum(auth is not None and auth.startswith("Basic ") for auth in auths) == 1
    assert SECRET not in str(raised.value)


@pytest.mark.skipif(not gitcli.available(), reason="git's client is not installed")
def test_same_origin_redirect_is_refused_with_git(tmp_path: Path) -> None:
    """git's client follows no redirect, not even on the same origin: refused, no secret."""
    for gerrit in _serve(302):
        gerrit_url = f"http://127.0.0.1:{gerrit.server_port}"
        gerrit.location = gerrit_url
        with pytest.raises(FetchError) as raised:
            _mirrors(tmp_path, gerrit_url, "git").fetch(
                "openstack/nova", f"{gerrit_url}/a/openstack/nova", REF
            )
        assert gerrit.seen == []
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_fetch_url_off_the_configured_gerrit_is_refused(
    tmp_path: Path, attacker: _Recorder, transport: str
) -> None:
    mirrors = _mirrors(tmp_path, "https://review.example.org", transport)
    with pytest.raises(FetchError, match="not the configured Gerrit"):
        mirrors.fetch("openstack/nova", f"http://127.0.0.1:{attacker.server_port}/a/x", REF)
    assert attacker.seen == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_authenticated_fetch_from_the_fake_gerrit_still_works(
    tmp_path: Path, transport: str
) -> None:
    with FakeGerrit(tmp_path / "server", bot_password="bot-secret").start() as fg:
        fg.create_project("openstack/nova", {"README.rst": "nova\n"})
        n = fg.create_change("openstack/nova", {"nova/tests/test_a.py": "x = 1\n"}, "Add a")
        mirrors = Mirrors(
            tmp_path / "cache",
            username="security-bot",
            password="bot-secret",
            timeout=10,
            gerrit_url=fg.url,
            transport=transport,
        )
        revision = mirrors.fetch(
            "openstack/nova", f"{fg.url}/a/openstack/nova", fg.ref(n, 1), fg.revision(n, 1)
        )
        assert revision.sha == fg.revision(n, 1)
        assert any(r.authenticated_as == "security-bot" for r in fg.requests if r.git)
