"""Unit tests of bot.gerrit's HTTP layer against a small scripted HTTP server."""

from __future__ import annotations

import base64
import json
import logging
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import requests
import urllib3

from bot import __version__
from bot.gerrit import client, error
from bot.gerrit.change import ChangeClient

PASSWORD = "s3cr3t-T0ken/+&!"
USER = "security-bot"
JSON_TYPE = "application/json; charset=UTF-8"
TEXT_TYPE = "text/plain; charset=UTF-8"


# ---------------------------------------------------------------------------------------------
# Scripted server


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


def jreply(value: Any, status: int = 200, **kw: Any) -> Reply:
    return Reply(status, ")]}'\n" + json.dumps(value) + "\n", JSON_TYPE, **kw)


def treply(text: str, status: int = 200, **kw: Any) -> Reply:
    return Reply(status, text, TEXT_TYPE, **kw)


@dataclass
class Seen:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with outer.lock:
                    outer.seen.append(
                        Seen(
                            self.command,
                            parts.path,
                            parse_qsl(parts.query, keep_blank_values=True),
                            dict(self.headers.items()),
                            body,
                        )
                    )
                    reply = outer.replies.popleft() if outer.replies else jreply({})
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                if reply.content_type is not None:
                    self.send_header("Content-Type", reply.content_type)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # Dropped connections are deliberate; keep their tracebacks off stderr.
        self.httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.seen.clear()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def _server():
    srv = ScriptedServer()
    yield srv
    srv.stop()


@pytest.fixture
def server(_server: ScriptedServer) -> ScriptedServer:
    _server.reset()
    return _server


@pytest.fixture
def sleeps() -> list[float]:
    return []


def make_conn(server: ScriptedServer, **kw: Any) -> client.APIClient:
    kw.setdefault("timeout", 5.0)
    return client.connect(server.url, auth_type="basic", username=USER, password=PASSWORD, **kw)


def policy(sleeps: list[float], **kw: Any) -> client.RetryPolicy:
    kw.setdefault("jitter", False)
    return client.RetryPolicy(sleep=sleeps.append, **kw)


@pytest.fixture
def refused_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


# ---------------------------------------------------------------------------------------------
# Construction and factories


def test_constructor_rules_match_upstream() -> None:
    with pytest.raises(ValueError, match=r"^Username and password must be specified\.$"):
        client.connect("http://x", auth_type="basic", username="u")
    # The credential check runs before the auth type is validated.
    with pytest.raises(ValueError, match=r"^Username and password must be specified\.$"):
        client.connect("http://x", auth_type="bogus")
    with pytest.raises(ValueError, match=r"^Unsupported auth_type bogus$"):
        client.connect("http://x", auth_type="bogus", username="u", password="p")
    anon = client.connect("http://x/")
    assert anon.api_root == "http://x" and not anon.is_authed and anon.root == "http://x/"
    authed = client.connect("http://x/", "digest", "u", "p")
    assert authed.api_root == "http://x/a" and authed.is_authed
    assert isinstance(authed.session.auth, requests.auth.HTTPDigestAuth)
    assert authed.timeout == 30.0 and authed.retry is None


def test_get_client_names_and_connection_required() -> None:
    conn = client.connect("http://x")
    assert isinstance(client.get_client("change", connection=conn), ChangeClient)
    assert client.get_client("account", connection=conn).api_path == "/accounts/"
    assert client.get_client("server", connection=conn).api_path == "/config/server/"
    for resource, version in (("project", "v1"), ("nope", "v1"), ("change", "v2")):
        with pytest.raises(ValueError) as info:
            client.get_client(resource, version=version, connection=conn)
        assert str(info.value) == (
            f'Cannot load API client for "{resource}" in the API version "{version}".'
        )
    with pytest.raises(ValueError, match=r"connect\("):
        client.get_client("change")
    with pytest.raises(ValueError, match=r"connect\("):
        ChangeClient()


def test_connect_from_env_is_explicit() -> None:
    conn = client.connect_from_env(
        {
            "GERRIT_URL": "http://g",
            "GERRIT_AUTH_TYPE": "basic",
            "GERRIT_USERNAME": "u",
            "GERRIT_PASSWORD": "p",
        }
    )
    assert conn.api_root == "http://g/a"
    with pytest.raises(ValueError, match="GERRIT_URL"):
        client.connect_from_env({})


# ---------------------------------------------------------------------------------------------
# Decoding


def test_decode_xssi_json_and_no_trailing_newline(server: ScriptedServer) -> None:
    conn = make_conn(server)
    server.script(
        jreply({"a": [1, 2]}),
        Reply(200, ')]}\'\n{"a": "b}"}', JSON_TYPE),  # no trailing newline: upstream fails here
        Reply(200, ')]}\'\n["x]"]', JSON_TYPE),
        Reply(200, '{"plain": true}\n', JSON_TYPE),  # no guard at all: tolerated
        jreply(""),
    )
    assert conn.get_request("/x") == {"a": [1, 2]}
    assert conn.get_request("/x") == {"a": "b}"}
    assert conn.get_request("/x") == ["x]"]
    assert conn.get_request("/x") == {"plain": True}
    assert conn.get_request("/x") == ""


def test_decode_204_text_and_missing_content_type(server: ScriptedServer) -> None:
    conn = make_conn(server)
    server.script(
        Reply(204, b"", None),
        treply("3.13.1\n"),
        Reply(200, ')]}\'\n{"k": 1}\n', None),
        Reply(200, "hello\n", None),
    )
    assert conn.get_request("/x") == {}
    assert conn.get_request("/x") == "3.13.1\n"
    assert conn.get_request("/x") == {"k": 1}
    assert conn.get_request("/x") == "hello\n"


@pytest.mark.parametrize(
    ("reply", "fragment"),
    [
        (Reply(200, "<html><body>Sign in\nplease</body></html>", "text/html"), "text/html"),
        (Reply(200, ')]}\'\n{"a": [1, 2', JSON_TYPE), "invalid JSON"),
        (Reply(200, "", JSON_TYPE), "invalid JSON"),
    ],
)
def test_non_json_body_raises_bad_data(server: ScriptedServer, reply: Reply, fragment: str) -> None:
    conn = make_conn(server)
    server.script(reply)
    with pytest.raises(error.BadDataException) as info:
        conn.get_request("/changes/?q=status:open")
    message = info.value.message
    assert isinstance(info.value, error.GerritClientException)
    assert "\n" not in message
    assert "HTTP 200" in message and fragment in message
    assert f"{server.url}/a/changes/?q=status:open" in message
    body = reply.body if isinstance(reply.body, str) else reply.body.decode()
    assert repr(body[:80]) in message


def test_long_html_body_is_cut_to_80_chars(server: ScriptedServer) -> None:
    conn = make_conn(server)
    server.script(Reply(200, "<html>" + "x" * 500, "text/html"))
    with pytest.raises(error.BadDataException) as info:
        conn.get_request("/x")
    assert "x" * 74 in info.value.message and "x" * 75 not in info.value.message


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("status", "reason", "cls", "kind"),
    [
        (400, "Bad Request", error.BadRequest, "Client"),
        (401, "Unauthorized", error.AuthError, "Client"),
        (403, "Forbidden", error.AuthError, "Client"),
        (404, "Not Found", error.NotFound, "Client"),
        (409, "Conflict", error.Conflict, "Client"),
        (422, "Unprocessable Entity", error.HTTPError, "Client"),
        (429, "Too Many Requests", error.RateLimited, "Client"),
        (500, "Internal Server Error", error.ServerError, "Server"),
        (503, "Service Unavailable", error.ServerError, "Server"),
    ],
)
def test_http_error_mapping_and_message(
    server: ScriptedServer, status: int, reason: str, cls: type, kind: str
) -> None:
    conn = make_conn(server)
    server.script(treply("Not found: 999\n", status, headers={"X-Gerrit-Trace": "t-1"}))
    with pytest.raises(error.HTTPError) as info:
        conn.get_request("/changes/999/")
    exc = info.value
    assert type(exc) is cls
    url = f"{server.url}/a/changes/999/"
    assert exc.message == f"{status} {kind} Error: {reason} for url: {url} (Not found: 999\n)"
    assert str(exc) == exc.message
    assert exc.status_code == status and exc.body == "Not found: 999\n"
    assert exc.url == url and exc.method == "GET" and exc.trace_id == "t-1"
    assert exc.response is not None and exc.response.status_code == status
    assert isinstance(exc.__cause__, requests.exceptions.HTTPError)


def test_http_error_json_message_key_and_post(server: ScriptedServer) -> None:
    conn = make_conn(server)
    server.script(Reply(400, '{"message": "bad input"}', JSON_TYPE))
    with pytest.raises(error.BadRequest) as info:
        conn.post_request("/changes/1/revisions/current/review", json_data={"message": "m"})
    assert info.value.message.endswith("(bad input)")
    assert info.value.method == "POST"


def test_connection_refused_is_wrapped(refused_url: str) -> None:
    conn = client.connect(refused_url, "basic", USER, PASSWORD, timeout=2)
    with pytest.raises(error.ConnectionError) as info:
        conn.get_request("/accounts/self")
    exc = info.value
    assert isinstance(exc, error.GerritClientException)
    assert isinstance(exc, requests.exceptions.ConnectionError)
    assert isinstance(exc, requests.exceptions.RequestException)
    assert "GET" in exc.message and "/a/accounts/self" in exc.message
    assert isinstance(exc.__cause__, requests.exceptions.ConnectionError)


def test_read_timeout_is_wrapped(server: ScriptedServer) -> None:
    conn = make_conn(server, timeout=0.2)
    server.script(Reply(200, ")]}'\n{}\n", delay=1.0))
    with pytest.raises(error.Timeout) as info:
        conn.get_request("/slow")
    assert isinstance(info.value, requests.exceptions.Timeout)
    assert isinstance(info.value, error.GerritClientException)
    assert "timed out" in info.value.message


# ---------------------------------------------------------------------------------------------
# Retries


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 408])
def test_get_retried_on_transient_status(
    server: ScriptedServer, sleeps: list[float], status: int
) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(treply("busy\n", status), jreply({"ok": True}))
    assert conn.get_request("/x") == {"ok": True}
    assert len(server.seen) == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 412, 422])
def test_get_not_retried_on_client_errors(
    server: ScriptedServer, sleeps: list[float], status: int
) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(treply("no\n", status), jreply({"ok": True}))
    with pytest.raises(error.HTTPError) as info:
        conn.get_request("/x")
    assert info.value.status_code == status
    assert len(server.seen) == 1 and sleeps == []


def test_408_retried_at_most_once(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(treply("late\n", 408), treply("late\n", 408), jreply({}))
    with pytest.raises(error.HTTPError) as info:
        conn.get_request("/x")
    assert info.value.status_code == 408
    assert len(server.seen) == 2 and len(sleeps) == 1


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writes_never_retried(server: ScriptedServer, sleeps: list[float], method: str) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(treply("down\n", 503), jreply({}))
    with pytest.raises(error.ServerError):
        getattr(conn, f"{method}_request")("/changes/1/revisions/1/review", json_data={}) if (
            method != "delete"
        ) else conn.delete_request("/changes/1/topic", data={})
    assert len(server.seen) == 1 and sleeps == []


def test_post_not_retried_on_connection_error(refused_url: str, sleeps: list[float]) -> None:
    conn = client.connect(refused_url, "basic", USER, PASSWORD, retry=policy(sleeps))
    with pytest.raises(error.ConnectionError):
        conn.post_request("/changes/1/revisions/1/review", json_data={"message": "x"})
    assert sleeps == []


def test_connection_refused_retried_until_exhausted(refused_url: str, sleeps: list[float]) -> None:
    conn = client.connect(
        refused_url, "basic", USER, PASSWORD, retry=policy(sleeps, max_attempts=4)
    )
    with pytest.raises(error.ConnectionError):
        conn.get_request("/x")
    assert sleeps == [0.5, 1.0, 2.0]


def test_timeout_retried_then_succeeds(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, timeout=0.2, retry=policy(sleeps))
    server.script(Reply(200, ")]}'\n{}\n", delay=1.0), jreply({"ok": 1}))
    assert conn.get_request("/x") == {"ok": 1}
    assert len(sleeps) == 1


def test_dropped_connection_retried(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(Reply(drop=True), jreply([1]))
    assert conn.get_request("/x") == [1]
    assert len(sleeps) == 1


def test_retries_exhausted_raise_last_status(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, retry=policy(sleeps, max_attempts=3))
    server.script(*[treply("down\n", 503) for _ in range(5)])
    with pytest.raises(error.ServerError):
        conn.get_request("/x")
    assert len(server.seen) == 3 and sleeps == [0.5, 1.0]


def test_backoff_growth_and_cap(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, retry=policy(sleeps, max_attempts=6, backoff=1.0, cap=5.0))
    server.script(*[treply("down\n", 502) for _ in range(5)], jreply({}))
    assert conn.get_request("/x") == {}
    assert sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_full_jitter_stays_within_ceiling() -> None:
    pol = client.RetryPolicy(backoff=1.0, cap=5.0, jitter=True)
    assert pol.compute_delay(3, rng=lambda: 0.5) == 2.0
    assert pol.compute_delay(10, rng=lambda: 0.999) <= 5.0
    assert pol.compute_delay(1, rng=lambda: 0.0) == 0.0
    for n in range(1, 12):
        assert 0.0 <= pol.compute_delay(n) <= min(5.0, 2 ** (n - 1))


def test_retry_after_is_honoured(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(treply("Quota limit reached\n", 429, headers={"Retry-After": "3"}), jreply({}))
    assert conn.get_request("/x") == {}
    assert sleeps == [3.0]


def test_retry_after_beyond_cap_gives_up(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, retry=policy(sleeps, cap=10.0))
    server.script(treply("Quota limit reached\n", 429, headers={"Retry-After": "120"}), jreply({}))
    with pytest.raises(error.RateLimited) as info:
        conn.get_request("/x")
    assert info.value.retry_after == 120.0
    assert len(server.seen) == 1 and sleeps == []


def test_on_error_sees_every_failed_attempt(
    server: ScriptedServer, refused_url: str, sleeps: list[float]
) -> None:
    conn = make_conn(server, timeout=0.2, retry=policy(sleeps, max_attempts=3))
    seen: list[int | str] = []
    conn.on_error = seen.append
    server.script(treply("down\n", 503), treply("slow\n", 429), jreply({}))
    assert conn.get_request("/x") == {}
    assert seen == [503, 429]
    seen.clear()
    server.script(*[treply("down\n", 502) for _ in range(3)])
    with pytest.raises(error.ServerError):
        conn.get_request("/x")
    assert seen == [502, 502, 502]
    seen.clear()
    server.script(treply("no\n", 404), treply("down\n", 503))
    with pytest.raises(error.NotFound):
        conn.get_request("/x")
    with pytest.raises(error.ServerError):
        conn.post_request("/x", json_data={})
    assert seen == [404, 503]
    seen.clear()
    server.script(*[Reply(200, ")]}'\n{}\n", delay=1.0) for _ in range(3)])
    with pytest.raises(error.Timeout):
        conn.get_request("/slow")
    assert seen == ["timeout", "timeout", "timeout"]
    refused = client.connect(refused_url, retry=policy(sleeps, max_attempts=2))
    refused.on_error = seen.append
    seen.clear()
    with pytest.raises(error.ConnectionError):
        refused.get_request("/x")
    assert seen == ["connection", "connection"]


def test_on_error_observer_failure_does_not_break_the_request(
    server: ScriptedServer, sleeps: list[float]
) -> None:
    conn = make_conn(server, retry=policy(sleeps))

    def broken(status: int | str) -> None:
        raise RuntimeError("observer bug")

    conn.on_error = broken
    server.script(treply("down\n", 503), jreply({"ok": True}))
    assert conn.get_request("/x") == {"ok": True}


def test_exhausted_read_timeout_is_a_timeout(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, timeout=0.2, retry=policy(sleeps, max_attempts=2))
    server.script(*[Reply(200, ")]}'\n{}\n", delay=1.0) for _ in range(2)])
    with pytest.raises(error.Timeout) as info:
        conn.get_request("/slow")
    assert "timed out" in info.value.message
    assert isinstance(info.value.__cause__, requests.exceptions.Timeout)
    assert len(sleeps) == 1
    # requests' shape for a read timeout a Retry gave up on is mapped back as well.
    reason = urllib3.exceptions.ReadTimeoutError(None, "/slow", "Read timed out.")
    gave_up = requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, "/slow", reason)
    )
    assert isinstance(conn._wrap_network_error(gave_up, "GET", server.url), error.Timeout)


def test_retry_after_only_counts_on_429_and_503(
    server: ScriptedServer, sleeps: list[float]
) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(
        treply("big\n", 413, headers={"Retry-After": "1"}),
        treply("oops\n", 500, headers={"Retry-After": "7"}),
        jreply({}),
        treply("busy\n", 503, headers={"Retry-After": "not a number"}),
        jreply({}),
    )
    with pytest.raises(error.HTTPError) as info:
        conn.get_request("/x")
    assert info.value.status_code == 413
    assert conn.get_request("/x") == {}
    assert conn.get_request("/x") == {}
    assert sleeps == [0.5, 0.5]


def test_head_retried_other_methods_sent_once(server: ScriptedServer, sleeps: list[float]) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    empty_503 = Reply(503, b"", None)
    server.script(empty_503, Reply(200, b"", None), empty_503, Reply(200, b"", None))
    assert conn.request("HEAD", "/x").status_code == 200
    assert conn.request("PUT", "/x").status_code == 503
    assert [s.method for s in server.seen] == ["HEAD", "HEAD", "PUT"]
    assert sleeps == [0.5]


def test_no_retry_without_policy(server: ScriptedServer) -> None:
    conn = make_conn(server)
    server.script(treply("down\n", 503), jreply({}))
    with pytest.raises(error.ServerError):
        conn.get_request("/x")
    assert len(server.seen) == 1


def test_retry_logs_one_warning_per_retry(
    server: ScriptedServer, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    conn = make_conn(server, retry=policy(sleeps))
    server.script(treply("down\n", 503), treply("slow\n", 429), jreply({}))
    with caplog.at_level(logging.WARNING, logger="bot.gerrit"):
        conn.get_request("/changes/", params={"q": "owner:me", "access_token": "tok"})
    records = [r for r in caplog.records if r.name == "bot.gerrit"]
    assert len(records) == 2
    assert all(r.levelno == logging.WARNING for r in records)
    text = [r.getMessage() for r in records]
    assert "GET /a/changes/" in text[0] and "HTTP 503" in text[0]
    assert "HTTP 429" in text[1]
    assert all("owner" not in t and "tok" not in t and "\n" not in t for t in text)


# ---------------------------------------------------------------------------------------------
# Secrets


def test_password_never_leaks(
    server: ScriptedServer, refused_url: str, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    encoded = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    conn = make_conn(server, retry=policy(sleeps, max_attempts=2))
    texts.append(repr(conn))
    # The server echoes the secret back in an error body and in a bad 2xx body.
    server.script(
        treply(f"bad token {PASSWORD}\n", 401),
        Reply(200, f"<html>{PASSWORD}</html>", "text/html"),
        treply("down\n", 503),
        treply("down\n", 503),
    )
    for _ in range(3):
        with pytest.raises(error.GerritClientException) as info:
            conn.get_request("/accounts/self")
        exc = info.value
        texts += [
            str(exc),
            repr(exc),
            exc.message,
            str(getattr(exc, "url", "")),
            str(getattr(exc, "body", "")),
        ]
    # Credentials inside the URL are scrubbed as well.
    quoted = quote(PASSWORD, safe="")
    for url in (
        refused_url.replace("http://", f"http://{USER}:{PASSWORD}@"),  # unparsable
        refused_url.replace("http://", f"http://{USER}:{quoted}@"),
        refused_url,
    ):
        bad = client.connect(url, "basic", USER, PASSWORD, retry=policy(sleeps, max_attempts=2))
        texts.append(repr(bad))
        with pytest.raises(error.GerritClientException) as cinfo:
            bad.get_request("/accounts/self")
        assert cinfo.value.__cause__ is None or "s3cr3t" not in str(cinfo.value.__cause__)
        texts += [str(cinfo.value), repr(cinfo.value)]
    texts += [r.getMessage() for r in caplog.records]
    assert texts
    for text in texts:
        assert PASSWORD not in text
        assert encoded not in text
        assert "s3cr3t" not in text


# ---------------------------------------------------------------------------------------------
# Request building


def test_headers_per_request_and_user_agent(server: ScriptedServer) -> None:
    conn = make_conn(server)
    before = dict(conn.session.headers)
    server.script(jreply({}), jreply({}), jreply({}))
    conn.post_request_raw("/x", data=b"raw", content_type="text/plain")
    conn.get_request("/y")
    assert dict(conn.session.headers) == before
    post, get = server.seen
    assert post.headers["Content-Type"] == "text/plain"
    assert get.headers["Content-Type"] == "application/json"
    assert get.headers["Accept"] == "application/json"
    assert get.headers["User-Agent"] == f"gerrit-security-bot/{__version__}"
    assert get.headers["Authorization"].startswith("Basic ")
    other = make_conn(server, user_agent="custom/1")
    other.get_request("/z")
    assert server.seen[-1].headers["User-Agent"] == "custom/1"


def test_booleans_rendered_lowercase(server: ScriptedServer) -> None:
    changes = ChangeClient(make_conn(server))
    server.script(jreply({}), jreply("patch"), jreply([]))
    changes.get_file_diff("1", "a/b.py", intraline=True, context=3)
    changes.get_patch("1", download=True)
    changes.connection.get_request("/x", params={"flag": False, "o": ["A", "B"], "none": None})
    diff, patch, plain = server.seen
    assert diff.path == "/a/changes/1/revisions/current/files/a%2Fb.py/diff"
    assert sorted(diff.query) == [("context", "3"), ("intraline", "true")]
    assert patch.query == [("download", "true")]
    assert plain.query == [("flag", "false"), ("o", "A"), ("o", "B")]


def test_int_ids_and_string_query(server: ScriptedServer) -> None:
    changes = ChangeClient(make_conn(server))
    server.script(jreply({}), jreply([]), jreply([[], []]), jreply({}))
    changes.get_by_id(12345)
    changes.get_all("status:open+-is:wip", options=["CURRENT_REVISION"], limit=5)
    changes.get_all(["status:open", "is:merged"])
    changes.get_message(12345, 77)
    by_id, single, double, message = server.seen
    assert by_id.path == "/a/changes/12345/"
    assert single.path == "/a/changes/"
    assert sorted(single.query) == [
        ("n", "5"),
        ("o", "CURRENT_REVISION"),
        ("q", "status:open -is:wip"),
    ]
    assert [v for k, v in double.query if k == "q"] == ["status:open", "is:merged"]
    assert message.path == "/a/changes/12345/messages/77"


def test_set_review_body_and_extras(server: ScriptedServer) -> None:
    changes = ChangeClient(make_conn(server))
    server.script(jreply({"labels": {}}), jreply({}))
    changes.set_review("proj/x~3", "abc", message="m", tag="autogenerated:security-bot")
    changes.set_review(
        3,
        2,
        comments={"f.py": [{"line": 1, "message": "x"}]},
        notify="OWNER",
        omit_duplicate_comments=True,
        drafts="KEEP",
        notify_details={"TO": {"accounts": [1]}},
        add_to_attention_set=[{"user": "1", "reason": "r"}],
        remove_from_attention_set=[],
        response_format_options=("CURRENT_REVISION",),
    )
    first, second = server.seen
    assert first.method == "POST"
    assert first.path == "/a/changes/proj%2Fx~3/revisions/abc/review"
    assert json.loads(first.body) == {"message": "m", "tag": "autogenerated:security-bot"}
    assert first.headers["Content-Type"] == "application/json"
    assert json.loads(second.body) == {
        "comments": {"f.py": [{"line": 1, "message": "x"}]},
        "notify": "OWNER",
        "omit_duplicate_comments": True,
        "drafts": "KEEP",
        "notify_details": {"TO": {"accounts": [1]}},
        "add_to_attention_set": [{"user": "1", "reason": "r"}],
        "remove_from_attention_set": [],
        "response_format_options": ["CURRENT_REVISION"],
    }


def test_iter_all_pages_and_dedupes(server: ScriptedServer) -> None:
    changes = ChangeClient(make_conn(server))
    c1 = {"_number": 1, "current_revision": "a"}
    c2 = {"_number": 2, "current_revision": "b"}
    c3 = {"_number": 3, "current_revision": "c"}
    c2_new = {"_number": 2, "current_revision": "b2"}
    server.script(
        jreply([c1, {**c2, "_more_changes": True}]),
        jreply([c2, {**c3, "_more_changes": True}]),
        jreply([c2_new]),
    )
    got = list(changes.iter_all("status:open", options=["CURRENT_REVISION"], page_size=2))
    assert [(c["_number"], c["current_revision"]) for c in got] == [
        (1, "a"),
        (2, "b"),
        (3, "c"),
        (2, "b2"),
    ]
    skips = [dict(s.query)["S"] for s in server.seen]
    assert skips == ["0", "2", "4"]
    assert all(dict(s.query)["n"] == "2" for s in server.seen)


def test_iter_all_empty(server: ScriptedServer) -> None:
    server.script(jreply([]))
    assert list(ChangeClient(make_conn(server)).iter_all("status:open")) == []
    assert len(server.seen) == 1


def test_file_content_bytes_asks_for_base64(server: ScriptedServer) -> None:
    changes = ChangeClient(make_conn(server))
    payload = b"\x00\xffbinary\n"
    server.script(
        Reply(
            200,
            base64.b64encode(payload),
            "text/plain; charset=ISO-8859-1",
            headers={"X-FYI-Content-Encoding": "base64"},
        ),
        jreply("text only\n"),
        jreply("as json"),
    )
    assert changes.get_file_content_bytes(5, "dir/a.bin", revision_id=2) == payload
    assert changes.get_file_content_bytes(5, "a.txt") == b"text only\n"
    assert changes.get_file_content(5, "a.txt") == "as json"
    first, _, compat = server.seen
    assert first.path == "/a/changes/5/revisions/2/files/dir%2Fa.bin/content"
    assert first.headers["Accept"] != "application/json"
    assert compat.headers["Accept"] == "application/json"


def test_other_change_endpoints(server: ScriptedServer) -> None:
    changes = ChangeClient(make_conn(server))
    server.script(*[jreply({}) for _ in range(12)])
    changes.get_comments(7)
    changes.get_comments(7, comment_type="drafts")
    changes.get_revision_files(7, "3", base=1)
    changes.get_revision(7)
    changes.add_reviewer(7, "jane", state="CC")
    changes.delete_reviewer(7, 1000)
    changes.set_work_in_progress(7)
    changes.set_ready_for_review(7, message="ready")
    changes.set_hashtags(7, add=["sec"])
    changes.abandon(7)
    changes.get_related_changes(7, 2)
    changes.get_reviewer(7, "jane@example.com")
    got = [(s.method, s.path, s.query, s.body and json.loads(s.body)) for s in server.seen]
    assert got == [
        ("GET", "/a/changes/7/comments", [], b""),
        ("GET", "/a/changes/7/drafts", [], b""),
        ("GET", "/a/changes/7/revisions/3/files", [("base", "1")], b""),
        ("GET", "/a/changes/7/revisions/current", [], b""),
        ("POST", "/a/changes/7/reviewers", [], {"reviewer": "jane", "state": "CC"}),
        ("DELETE", "/a/changes/7/reviewers/1000", [], {}),
        ("POST", "/a/changes/7/wip", [], {}),
        ("POST", "/a/changes/7/ready", [], {"message": "ready"}),
        ("POST", "/a/changes/7/hashtags", [], {"add": ["sec"]}),
        ("POST", "/a/changes/7/abandon", [], {}),
        ("GET", "/a/changes/7/revisions/2/related", [], b""),
        ("GET", "/a/changes/7/reviewers/jane%40example.com", [], b""),
    ]


def test_account_and_server_clients(server: ScriptedServer) -> None:
    conn = make_conn(server)
    server.script(jreply({"_account_id": 1}), jreply({}), jreply("3.13.1"), jreply({}))
    accounts = client.get_client("account", connection=conn)
    assert accounts.get_by_id("self") == {"_account_id": 1}
    accounts.get_by_id(1000096, detailed=True)
    srv = client.get_client("server", connection=conn)
    assert srv.get_version() == "3.13.1"
    srv.get_config()
    assert [s.path for s in server.seen] == [
        "/a/accounts/self/",
        "/a/accounts/1000096/detail",
        "/a/config/server/version",
        "/a/config/server/info",
    ]


def test_anonymous_connection_uses_plain_root(server: ScriptedServer) -> None:
    conn = client.connect(server.url)
    server.script(jreply("3.13.1"))
    assert client.get_client("server", connection=conn).get_version() == "3.13.1"
    assert server.seen[0].path == "/config/server/version"
    assert "Authorization" not in server.seen[0].headers


def test_render_params_and_retry_after_parsing() -> None:
    assert client.render_params(None) is None
    assert client.render_params({"a": True, "b": [1, None, False], "c": None}) == [
        ("a", "true"),
        ("b", 1),
        ("b", "false"),
    ]
    assert client.parse_retry_after("5") == 5.0
    assert client.parse_retry_after("junk") is None
    assert client.parse_retry_after(None) is None
    assert client.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
