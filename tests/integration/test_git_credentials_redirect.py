"""Attack (issue 17 #1): the configured Gerrit redirects the git fetch to another host/port.

Two real HTTP servers on loopback: the "configured Gerrit" answers every git request with a
302 to a second server on another port (the same thing a compromised proxy or a hostile
redirect would do), and the second server asks for credentials (401 Basic) and records every
``Authorization`` header it receives. The bot's fetch must fail, and the second server must
never see the password.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.scm import FetchError, Mirrors

PASSWORD = "s3cret-bot-password"


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str | None]]
    redirect_to: str | None
    #: redirect only requests that already carry credentials (the client was authenticated
    #: by the real server first, then sent on to the other host)
    after_auth: bool = False

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.redirect_to is not None and (
            not self.after_auth or self.headers.get("Authorization")
        ):
            self.send_response(302)
            self.send_header("Location", self.redirect_to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"Unauthorized\n"
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="Gerrit Code Review"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


def _serve(
    redirect_to: str | None, after_auth: bool = False
) -> tuple[ThreadingHTTPServer, list[tuple[str, str | None]]]:
    seen: list[tuple[str, str | None]] = []
    attrs = {"seen": seen, "redirect_to": redirect_to, "after_auth": after_auth}
    handler = type("H", (_Recorder,), attrs)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.fixture(params=["redirect-first", "redirect-after-auth"])
def servers(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[Any], list[Any]]]:
    other, other_seen = _serve(None)
    other_url = f"http://127.0.0.1:{other.server_address[1]}"
    gerrit, gerrit_seen = _serve(other_url, after_auth=request.param == "redirect-after-auth")
    try:
        yield f"http://127.0.0.1:{gerrit.server_address[1]}", gerrit_seen, other_seen
    finally:
        for s in (gerrit, other):
            s.shutdown()
            s.server_close()


@pytest.mark.parametrize("transport", ["libgit2", "git"])
def test_redirect_to_another_port_gets_no_credentials(
    servers: tuple[str, list[Any], list[Any]], tmp_path: Path, transport: str
) -> None:
    gerrit_url, gerrit_seen, other_seen = servers
    mirrors = Mirrors(
        tmp_path / "m",
        username="security-bot",
        password=PASSWORD,
        timeout=10,
        transport=transport,
    )
    with pytest.raises(FetchError) as err:
        mirrors.fetch("openstack/nova", f"{gerrit_url}/a/openstack/nova", "refs/changes/01/1/1")
    assert gerrit_seen, "the configured server was never asked"
    assert all(auth is None for _, auth in other_seen), other_seen
    assert PASSWORD not in str(err.value)
    if transport == "libgit2":
        # libgit2 follows the redirect; the credential callback refuses the other origin.
        assert other_seen, "the redirect was not followed far enough to test anything"
        assert "refusing to send credentials" in str(err.value)
    else:
        # git's client is told not to follow redirects at all: nothing reaches the other host.
        assert other_seen == []
