"""What one Gerrit answer may cost: a total deadline and a size cap.

``requests`` has a connect and a *read* timeout, and the read timeout restarts with every
byte: an answer that trickles one byte every two seconds, in its headers or its body, holds
a thread forever, and an answer of 200 MB is read whole into memory before anyone looks
at it. Neither urllib3 nor requests offers a total deadline, so two small pieces live here.

* :class:`Deadline` is armed around one call of the client. Every socket the call uses
  (including those of urllib3's retries) registers with it from the connection classes
  below, in the calling thread; one watchdog thread shuts those sockets down when the
  deadline passes, which ends any blocked read at once — in the headers, in the body, over
  TLS or not. The caller then sees a broken connection and :attr:`Deadline.expired` tells
  it why. A socket is only ever shut down while its call still runs, so a connection back
  in the pool is never touched.
* :func:`read_capped` reads a streamed body in chunks and stops as soon as it grows past
  the cap (or its ``Content-Length`` says it will), so an oversized answer costs the cap
  and a chunk, not its size. The cap counts decoded bytes, so a gzip bomb stops too.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = [
    "CHUNK_BYTES",
    "Deadline",
    "DeadlineAdapter",
    "ResponseTooLargeError",
    "current_deadline",
    "deadline",
    "read_capped",
]

#: The size of one read of a streamed body.
CHUNK_BYTES = 64 * 1024

_local = threading.local()


class ResponseTooLargeError(Exception):
    """The answer is larger than the cap; ``size`` is what was known when reading stopped."""

    def __init__(self, size: int, declared: bool) -> None:
        super().__init__(size, declared)
        self.size = size
        self.declared = declared  # True when the Content-Length header alone said so


class Deadline:
    """The end of one call's time, and the sockets to shut down when it passes."""

    def __init__(self, seconds: float | None, max_bytes: int | None = None) -> None:
        self.seconds = seconds
        self.at = math.inf if seconds is None else time.monotonic() + seconds
        self.max_bytes = max_bytes  # the call's size cap, for the retry's decisions
        self.expired = False
        self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        """Shut ``sock`` down when the deadline passes (at once when it already has)."""
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            if self.expired:
                _shutdown(sock)
            elif sock not in self._sockets:
                self._sockets.append(sock)

    def fire(self) -> None:
        """Called by the watchdog: the time is up while the call still runs."""
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)
            self._sockets.clear()

    def finish(self) -> None:
        """The call is over: its sockets belong to the pool again."""
        with self._lock:
            self._done = True
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also for an SSLSocket: it ends a read blocked in
    # another thread without touching the TLS object that read is using.
    with contextlib.suppress(OSError):  # already closed: nothing is blocked on it
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread that fires the deadlines of every client in the process."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._counter = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, item: Deadline) -> None:
        with self._wake:
            heapq.heappush(self._heap, (item.at, next(self._counter), item))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="gerrit-deadlines", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._heap:
                    self._wake.wait()
                at, _, item = self._heap[0]
                wait = at - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
            item.fire()  # a finished call ignores it


_WATCHDOG = _Watchdog()


def current_deadline() -> Deadline | None:
    """The deadline of the call running in this thread, if any."""
    return getattr(_local, "deadline", None)


@contextmanager
def deadline(seconds: float | None, max_bytes: int | None = None) -> Iterator[Deadline]:
    """Arm a deadline of ``seconds`` for the requests made in this thread inside the block.

    ``seconds=None`` arms no watchdog (the call only carries its size cap); inside a block
    already armed, the outer deadline stays.
    """
    outer = current_deadline()
    if outer is not None:
        yield outer
        return
    item = Deadline(seconds, max_bytes)
    _local.deadline = item
    if seconds is not None:
        _WATCHDOG.arm(item)
    try:
        yield item
    finally:
        item.finish()
        _local.deadline = None


def _watch(sock: Any) -> None:
    item = current_deadline()
    if item is not None:
        item.watch(sock)


class _DeadlineHTTPConnection(HTTPConnection):
    """urllib3's connection, registering its socket with the calling thread's deadline."""

    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    def getresponse(self) -> Any:  # the urllib3 HTTPResponse
        _watch(self.sock)  # a kept-alive connection: connect() was not called this time
        return super().getresponse()


class _DeadlineHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    def getresponse(self) -> Any:
        _watch(self.sock)
        return super().getresponse()


class _DeadlineHTTPPool(HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


_POOLS = {"http": _DeadlineHTTPPool, "https": _DeadlineHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections honour :func:`deadline` (and proxies' too)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def small_enough_to_drain(headers: Any) -> bool:
    """Whether urllib3 may read an answer's body away to retry (it reads it whole).

    Only a body whose ``Content-Length`` is within the running call's cap: one of unknown
    or larger size is not retried in place but handed back, to be read with the cap.
    """
    item = current_deadline()
    if item is None or item.max_bytes is None:
        return True
    value = headers.get("Content-Length")
    if value is None or not str(value).strip().isdigit():
        return False
    return int(value) <= item.max_bytes


def read_capped(response: requests.Response, limit: int | None) -> bytes:
    """Read a streamed (``stream=True``) body, refusing one larger than ``limit`` bytes.

    Raises :class:`ResponseTooLargeError` (after closing the response, so its connection is
    dropped rather than drained) as soon as the ``Content-Length`` or the bytes read pass
    the limit. The body is also stored on the response, so ``.content`` and ``.text`` work.
    """
    if limit is not None:
        declared = _content_length(response)
        if declared is not None and declared > limit:
            response.close()
            raise ResponseTooLargeError(declared, declared=True)
    body = bytearray()
    for chunk in response.iter_content(CHUNK_BYTES):
        body += chunk
        if limit is not None and len(body) > limit:
            response.close()
            raise ResponseTooLargeError(len(body), declared=False)
    content = bytes(body)
    response._content = content  # what requests itself sets when it reads a body
    return content


def _content_length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)
