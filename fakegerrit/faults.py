"""Switchable faults and the request record."""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field

FAULT_KINDS = ("status", "delay", "drop", "truncate", "html", "not_json")

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

    kind: "status" | "delay" | "drop" | "truncate" | "html" | "not_json".
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

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        if self.kind == "html" and self.status == 500:
            self.status = 502

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
