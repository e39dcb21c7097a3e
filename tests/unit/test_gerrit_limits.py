"""The client's limits against a hostile server on loopback (issue 17 #9 and #15).

A tiny raw-socket server answers as the fake Gerrit cannot: a status line and headers
trickled one byte at a time, a body delimited by closing the connection, 200 MB sent
without a length, a gzip bomb, redirects to a second server that records whatever reaches
it. Every attack goes through the real client over real HTTP.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.gerrit import error
from bot.gerrit.client import APIClient, RetryPolicy
from tests.support import RecordingServer, recording_server

Script = Callable[[socket.socket], None]


class RawServer:
    """Accepts connections and runs ``script(conn)`` for each, after reading the request."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                piece = conn.recv(65536)
                if not piece:
                    return
                data += piece
            self.requests.append(data)
            with contextlib.suppress(OSError):  # the client hung up: what the limits are for
                self.script(conn)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Script], RawServer]]:
    servers: list[RawServer] = []

    def start(script: Script) -> RawServer:
        server = RawServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def trickle(data: bytes, every: float) -> Script:
    def script(conn: socket.socket) -> None:
        for i in range(len(data)):
            conn.sendall(data[i : i + 1])
            time.sleep(every)

    return script


JSON_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


def client(url: str, **options: Any) -> APIClient:
    options.setdefault("timeout", 5.0)  # each read waits less than this: only the deadline ends it
    return APIClient(url, **options)


def test_a_trickling_body_is_cut_at_the_deadline(serve: Callable[[Script], RawServer]) -> None:
    body = b")]}'\n" + b"[" + b" " * 500 + b"]"
    head = JSON_HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode()

    def script(conn: socket.socket) -> None:
        conn.sendall(head)
        trickle(body, 0.1)(conn)

    server = serve(script)
    started = time.monotonic()
    with pytest.raises(error.DeadlineExceeded, match=r"gerrit.deadline \(1.5 s\)") as caught:
        client(server.url, deadline=1.5).get_request("/changes/")
    elapsed = time.monotonic() - started
    assert 1.4 <= elapsed < 3.0
    assert isinstance(caught.value, error.Timeout)  # the worker waits and tries again


def test_trickling_headers_are_cut_at_the_deadline(serve: Callable[[Script], RawServer]) -> None:
    server = serve(trickle(JSON_HEAD + b"X-Slow: " + b"a" * 400 + b"\r\n\r\n[]", 0.1))
    started = time.monotonic()
    with pytest.raises(error.DeadlineExceeded):
        client(server.url, deadline=1.0).get_request("/changes/")
    assert time.monotonic() - started < 2.5


def test_a_body_ended_by_the_deadline_is_no_answer(serve: Callable[[Script], RawServer]) -> None:
    """Without a length, a body ends where the connection closes: the deadline's shutdown
    must not pass for the end of a (truncated) answer."""

    def script(conn: socket.socket) -> None:
        conn.sendall(JSON_HEAD + b"Connection: close\r\n\r\n)]}'\n[")
        trickle(b'{"_number": 1}' * 40, 0.05)(conn)

    server = serve(script)
    with pytest.raises(error.DeadlineExceeded):
        client(server.url, deadline=1.0).get_request("/changes/")


def test_retries_stop_at_the_deadline(serve: Callable[[Script], RawServer]) -> None:
    answer = b"HTTP/1.1 503 Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n"
    server = serve(lambda conn: conn.sendall(answer))
    policy = RetryPolicy(max_attempts=50, backoff=0.0, cap=5.0)
    started = time.monotonic()
    with pytest.raises(error.ServerError):
        client(server.url, deadline=2.5, retry=policy).get_request("/changes/")
    assert time.monotonic() - started < 4.0
    assert 2 <= len(server.requests) <= 4  # not 50: no retry is planned past the deadline


def test_a_finished_call_leaves_its_pooled_connection_alone(
    serve: Callable[[Script], RawServer],
) -> None:
    """The deadline of a call that ended must never shut the kept-alive connection."""
    body = b")]}'\n[]"
    answer = JSON_HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body

    def script(conn: socket.socket) -> None:
        for _ in range(2):  # two requests on one kept-alive connection
            conn.sendall(answer)
            data = b""
            while b"\r\n\r\n" not in data:
                piece = conn.recv(65536)
                if not piece:
                    return
                data += piece

    server = serve(script)
    api = client(server.url, deadline=0.5)
    assert api.get_request("/changes/") == []
    time.sleep(0.8)  # past the first call's deadline
    assert api.get_request("/changes/") == []
    assert len(server.requests) == 1  # the second went over the same connection


def _huge(declare: bool, size: int = 200 * 1024 * 1024) -> Script:
    def script(conn: socket.socket) -> None:
        length = f"Content-Length: {size}\r\n" if declare else "Connection: close\r\n"
        conn.sendall(JSON_HEAD + length.encode() + b"\r\n)]}'\n")
        chunk = b" " * (1024 * 1024)
        for _ in range(size // len(chunk)):
            conn.sendall(chunk)

    return script


def test_a_200_mb_answer_costs_the_cap_not_its_size(serve: Callable[[Script], RawServer]) -> None:
    server = serve(_huge(declare=False))
    tracemalloc.start()
    try:
        with pytest.raises(error.ResponseTooLarge, match=r"gerrit\.max_response_bytes"):
            client(server.url).get_request("/changes/")  # the default cap, 32 MiB
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 80 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"


def test_a_huge_error_answer_is_not_read_whole_to_retry(
    serve: Callable[[Script], RawServer],
) -> None:
    """urllib3 reads a retried answer's body away whole: a 503 of unknown size is handed
    back instead, and read with the cap."""

    def script(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 503 Unavailable\r\nRetry-After: 0\r\nConnection: close\r\n\r\n")
        chunk = b"x" * (1024 * 1024)
        for _ in range(200):
            conn.sendall(chunk)

    server = serve(script)
    policy = RetryPolicy(max_attempts=5, backoff=0.0, cap=1.0)
    tracemalloc.start()
    try:
        with pytest.raises(error.ResponseTooLarge):
            client(server.url, retry=policy).get_request("/changes/")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 80 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    assert len(server.requests) == 1


def test_a_declared_huge_answer_is_refused_before_reading(
    serve: Callable[[Script], RawServer],
) -> None:
    server = serve(_huge(declare=True))
    started = time.monotonic()
    with pytest.raises(error.ResponseTooLarge, match="declares 209,715,200 bytes"):
        client(server.url, max_response_bytes=1024 * 1024).get_request("/changes/")
    assert time.monotonic() - started < 2.0


def test_a_gzip_bomb_stops_at_the_cap(serve: Callable[[Script], RawServer]) -> None:
    bomb = gzip.compress(b")]}'\n[" + b" " * (64 * 1024 * 1024) + b"]")
    head = JSON_HEAD + f"Content-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n\r\n".encode()
    server = serve(lambda conn: conn.sendall(head + bomb))
    with pytest.raises(error.ResponseTooLarge, match="holds more than 1,048,576 bytes"):
        client(server.url, max_response_bytes=1024 * 1024).get_request("/changes/")


# -- redirects (#15) ----------------------------------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


def _redirect(status: int, location: str) -> Script:
    answer = (
        f"HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
    ).encode()
    return lambda conn: conn.sendall(answer)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_review_post_follows_no_redirect(
    serve: Callable[[Script], RawServer], elsewhere: RecordingServer, status: int
) -> None:
    server = serve(_redirect(status, f"{elsewhere.url}/a/changes/1/revisions/abc/review"))
    api = client(server.url, auth_type="basic", username="security-bot", password="hunter2")
    with pytest.raises(error.Redirected) as caught:
        api.post_request("/changes/1/revisions/abc/review", json_data={"message": "review"})
    assert elsewhere.seen == []  # not re-sent anywhere
    assert caught.value.status_code == status
    assert "the request was not sent again" in str(caught.value)
    assert "hunter2" not in str(caught.value)
    assert len(server.requests) == 1


def test_a_post_redirected_to_the_same_server_is_refused_too(
    serve: Callable[[Script], RawServer],
) -> None:
    server = serve(_redirect(307, "/a/other/review"))
    with pytest.raises(error.Redirected, match="a POST follows no redirect"):
        client(server.url).post_request("/changes/1/revisions/abc/review", json_data={})
    assert len(server.requests) == 1


def test_a_get_follows_no_redirect_to_another_origin(
    serve: Callable[[Script], RawServer], elsewhere: RecordingServer
) -> None:
    server = serve(_redirect(302, f"http://bot:secret@{elsewhere.url[7:]}/changes/"))
    api = client(server.url, auth_type="basic", username="security-bot", password="hunter2")
    with pytest.raises(error.Redirected, match="off the configured Gerrit") as caught:
        api.get_request("/changes/")
    assert elsewhere.seen == []
    assert "secret" not in str(caught.value) and "hunter2" not in str(caught.value)


def test_a_get_follows_a_redirect_on_the_same_origin(serve: Callable[[Script], RawServer]) -> None:
    """The configured server may move a read elsewhere on itself (Gerrit behind a proxy)."""
    moved = b"HTTP/1.1 302 Found\r\nLocation: /moved/changes/\r\nContent-Length: 0\r\n\r\n"
    body = b")]}'\n[]"
    found = JSON_HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body

    def script(conn: socket.socket) -> None:
        conn.sendall(moved)
        data = b""
        while b"\r\n\r\n" not in data:  # the followed request, on the kept-alive connection
            piece = conn.recv(65536)
            if not piece:
                return
            data += piece
        assert data.startswith(b"GET /moved/changes/ ")
        conn.sendall(found)

    server = serve(script)
    assert client(server.url).get_request("/changes/") == []
