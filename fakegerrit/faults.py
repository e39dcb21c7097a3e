"""Switchable faults and the request record.

Besides the faults of a broken Gerrit (an error status, a slow or dropped answer, a cut or
non-JSON body, a proxy's HTML page), the fake can answer as a hostile or confused one:

* ``future``: every change record's ``updated`` is moved ``shift`` seconds ahead;
* ``malformed``: the first record of a list answer (or the object itself) gets the
  ``corrupt`` fields (wrong types, by default ``_number`` as a string);
* ``trickle``: the answer is sent ``size`` bytes every ``delay`` seconds (``part="all"``
  trickles the status line and headers too);
* ``huge``: the answer is padded with JSON whitespace to ``size`` bytes, streamed in chunks,
  with a ``Content-Length`` when ``declare`` is true, else delimited by closing the
  connection;
* ``ignore_skip``: the request's ``S``/``start`` is dropped, as by a Gerrit (or a proxy)
  that ignores ``S=``: every page is the first one, ``_more_changes`` and all;
* ``redirect``: the request is not served; the answer is ``status`` (307 by default) with
  ``Location: location``. It is a ``status`` fault with that header (and is recorded as
  one), so it takes the place of an error status, before authentication.
"""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from .rest import Response
from .timefmt import format_ts

FAULT_KINDS = (
    "status",
    "delay",
    "drop",
    "truncate",
    "html",
    "not_json",
    "future",
    "malformed",
    "trickle",
    "huge",
    "redirect",
    "ignore_skip",
)
XSSI = b")]}'\n"

DEFAULT_BODIES = {
    400: "Bad request\n",
    401: "Unauthorized\n",
    403: "Forbidden\n",
    404: "Not found\n",
    408: "Request Timeout\n",
    409: "Conflict\n",
    429: "Quota limit reached\n",
    500: "Internal server error\n",
    501: "Not Implemented\n",
    502: "Bad Gateway\n",
    503: "Service Unavailable\n",
    504: "Gateway Timeout\n",
}


@dataclass
class Fault:
    """A fault applied to matching requests.

    kind: one of :data:`FAULT_KINDS` (see the module docstring for the hostile ones).
    """

    kind: str
    status: int = 500
    body: str | None = None
    delay: float = 0.0
    path: str | None = None
    method: str | None = None
    times: int | None = 1
    probability: float = 1.0
    headers: tuple[tuple[str, str], ...] = ()  # extra headers of a "status" answer (Retry-After)
    shift: float = 3 * 86400.0  # "future": seconds added to every ``updated``
    corrupt: tuple[tuple[str, Any], ...] = (("_number", "not-a-number"),)  # "malformed"
    size: int = 1  # "trickle": bytes per step; "huge": bytes of the whole answer
    part: str = "body"  # "trickle": "body" or "all" (status line and headers too)
    declare: bool = True  # "huge": send a Content-Length
    location: str = ""  # "redirect": where to

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        if self.kind == "html" and self.status == 500:
            self.status = 502
        if self.kind == "redirect":
            self.kind = "status"
            self.status = 307 if self.status == 500 else self.status
            self.headers = (("Location", self.location), *self.headers)
            if self.body is None:
                self.body = f"Moved to {self.location}\n"
        if self.part not in ("body", "all"):
            raise ValueError(f"trickle part must be 'body' or 'all', got {self.part!r}")

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None

    def status_body(self) -> str:
        if self.body is not None:
            return self.body
        return DEFAULT_BODIES.get(self.status, f"Error {self.status}\n")


class _Headers(dict[str, str]):
    """A plain dict whose look-ups ignore the case of the header name."""

    def _find(self, key: str) -> str:
        if not dict.__contains__(self, key):
            low = key.lower()
            for k in self.keys():
                if k.lower() == low:
                    return k
        return key

    def __getitem__(self, key: str) -> str:
        return dict.__getitem__(self, self._find(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and dict.__contains__(self, self._find(key))

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        real = self._find(key)
        return dict.__getitem__(self, real) if dict.__contains__(self, real) else default


def make_headers(items: list[tuple[str, str]]) -> dict[str, str]:
    out = _Headers()
    for k, v in items:
        existing = out.get(k)
        if existing is not None:
            dict.__setitem__(out, out._find(k), f"{existing}, {v}")
        else:
            dict.__setitem__(out, k, v)
    return out


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # raw, still percent-encoded, without the query
    query: list[tuple[str, str]]  # decoded pairs, in order
    headers: dict[str, str]  # name look-ups are case-insensitive
    body: bytes
    status: int  # 0 when the connection was dropped
    authenticated_as: str | None
    git: bool = field(default=False)  # a smart-HTTP git request
    fault: str | None = field(default=None)  # the kind of fault applied, if any


class FaultInjector:
    def __init__(self, seed: int | None = None) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pick(self, method: str, path: str) -> list[Fault]:
        """The faults to apply to this request (at most one per kind), consuming ``times``."""
        chosen: list[Fault] = []
        with self._lock:
            for fault in list(self._faults):
                if any(f.kind == fault.kind for f in chosen) or not fault.matches(method, path):
                    continue
                if fault.probability < 1.0 and self._random.random() >= fault.probability:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                chosen.append(fault)
        return chosen


class Recorder:
    def __init__(self) -> None:
        self._items: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def add(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def all(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# -- hostile answers ------------------------------------------------------------------------


class Handler(Protocol):
    """What the hostile senders need of the request handler."""

    wfile: Any
    connection: socket.socket
    close_connection: bool

    def send_response(self, code: int, message: str | None = None) -> None: ...

    def send_header(self, keyword: str, value: str) -> None: ...

    def end_headers(self) -> None: ...

    def date_time_string(self, timestamp: float | None = None) -> str: ...


def rewrite_query(
    faults: Mapping[str, Fault], query: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The request's query as the REST layer sees it: without ``S`` under ``ignore_skip``."""
    if "ignore_skip" not in faults:
        return query
    return [(k, v) for k, v in query if k not in ("S", "start")]


def rewrite(faults: Mapping[str, Fault], resp: Response, now: datetime) -> Response:
    """Apply the ``future`` and ``malformed`` faults to a JSON answer (others pass)."""
    if not ({"future", "malformed"} & faults.keys()) or not resp.body.startswith(XSSI):
        return resp
    try:
        data = json.loads(resp.body[len(XSSI) :])
    except ValueError:
        return resp
    records = data if isinstance(data, list) else [data]
    records = [r for r in records if isinstance(r, dict)]
    if "future" in faults:
        later = format_ts(now + timedelta(seconds=faults["future"].shift))
        for record in records:
            if "updated" in record:
                record["updated"] = later
    if "malformed" in faults and records:
        records[0].update(dict(faults["malformed"].corrupt))
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return Response(resp.status, XSSI + text.encode("utf-8") + b"\n", list(resp.headers))


def send_hostile(
    h: Handler, faults: Mapping[str, Fault], resp: Response, record: Callable[[int], None]
) -> bool:
    """Send ``resp`` the ``trickle`` or ``huge`` way; False when neither fault applies."""
    if "huge" in faults:
        _send_huge(h, faults["huge"], resp, record)
        return True
    if "trickle" in faults:
        _send_trickle(h, faults["trickle"], resp, record)
        return True
    return False


def _head(resp: Response, length: int | None, date: str) -> bytes:
    lines = [f"HTTP/1.1 {resp.status} Hostile", f"Date: {date}"]
    lines += [
        f"{k}: {v}"
        for k, v in resp.headers
        if k.lower() not in ("content-length", "connection", "transfer-encoding", "date")
    ]
    lines.append(f"Content-Length: {length}" if length is not None else "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send_trickle(h: Handler, fault: Fault, resp: Response, record: Callable[[int], None]) -> None:
    record(resp.status)
    head = _head(resp, len(resp.body), h.date_time_string())
    fast, slow = (b"", head + resp.body) if fault.part == "all" else (head, resp.body)
    step = max(1, fault.size)
    try:
        h.wfile.write(fast)
        h.wfile.flush()
        for i in range(0, len(slow), step):
            time.sleep(fault.delay)
            h.wfile.write(slow[i : i + step])
            h.wfile.flush()
    except OSError:
        pass  # the client gave up: that is the point
    h.close_connection = True


def _send_huge(h: Handler, fault: Fault, resp: Response, record: Callable[[int], None]) -> None:
    record(resp.status)
    body = resp.body
    xssi = XSSI if body.startswith(XSSI) else b""
    padding = max(0, fault.size - len(body))
    head = _head(resp, len(body) + padding if fault.declare else None, h.date_time_string())
    chunk = b" " * (256 * 1024)
    try:
        h.wfile.write(head + xssi)
        left = padding
        while left > 0:
            piece = chunk if left >= len(chunk) else chunk[:left]
            h.wfile.write(piece)
            left -= len(piece)
        h.wfile.write(body[len(xssi) :])
        h.wfile.flush()
    except OSError:
        pass  # the client stopped reading at its cap
    h.close_connection = True
