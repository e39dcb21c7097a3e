"""Who may do what on the dashboard, and the HTTP hardening every answer gets.

* The administrator proves themselves with the token from the configuration
  (``SECURITY_BOT_ADMIN_TOKEN`` or ``dashboard.admin_token_file``): once, through
  the login form, which sets a session cookie (HttpOnly, SameSite=Strict, Secure
  when the request came over HTTPS, directly or through a trusted proxy) signed
  with a random key (:mod:`~bot.dashboard.secret_key`), or on every request with
  an ``Authorization: Bearer`` header (scripts; no cookie, so no CSRF exposure).
* A session is live only while the store lists its id (:mod:`bot.store.sessions`):
  logging out ends it for every process.  Failed logins and bearer guesses are
  throttled per client (:class:`LoginThrottle`).
* Only the host names in ``dashboard.allowed_hosts`` are answered (DNS rebinding).
* Every state-changing request made with the session cookie carries the
  session's CSRF token (a hidden form field or the ``X-CSRF-Token`` header),
  compared in constant time; a cross-origin ``Origin`` header is refused too.
* Reading needs the login as well unless ``dashboard.public_read`` is set.
* The token itself is never stored in the session, shown, or logged.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, current_app, g, request, session
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

from bot.config import DashboardConfig, Secret

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_HOURS = 12
#: ``g`` attribute: this request is the administrator's (a live session or the bearer token)
ADMIN_FLAG = "security_bot_admin"
#: endpoints answered whatever the Host header says (probes and scrapers use addresses)
ANY_HOST_ENDPOINTS = frozenset({"operations.healthz", "operations.metrics"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def token_matches(token: Secret, offered: str) -> bool:
    """Constant-time comparison of ``offered`` with the configured token."""
    expected = token.reveal()
    if not expected or not offered:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), offered.encode("utf-8"))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked Secure whenever the request was HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


class EscapingJSONProvider(DefaultJSONProvider):
    """JSON whose text never contains ``<``, ``>``, ``&`` or ``'`` (still the same values).

    The API is served as ``application/json`` with ``nosniff`` already; escaping
    these characters as ``\\u003c``… also keeps the text inert if a browser or a
    careless consumer ever treats it as HTML.
    """

    ensure_ascii = True
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", True)
        text = json.dumps(obj, **kwargs)
        return (
            text.replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("'", "\\u0027")
        )


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:  # HTTPS seen directly or reported by a trusted proxy
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.mimetype == "text/html" or request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


# -- the session ------------------------------------------------------------------------------


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def bearer(req: Request) -> str:
    header = req.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def is_admin(token: Secret) -> bool:
    """True for a live administrator session or a request with the right bearer token.

    Decided once per request by :func:`bot.dashboard.auth.identify` (which checks the
    session against the store and throttles bearer guesses) and kept in ``g``.
    """
    return bool(token) and g.get(ADMIN_FLAG, False) is True


def token_tag(token: Secret) -> str:
    """A tag of the admin token under the cookie key: a new token ends the old sessions.

    Kept in the session at login and compared on every request, so rotating a leaked
    token logs everybody out; keyed by the random cookie key, so the cookie gives no
    offline test of token guesses.
    """
    key = current_app.secret_key
    secret = key if isinstance(key, bytes) else str(key).encode("utf-8")
    digest = hmac.new(secret, b"admin token:" + token.reveal().encode("utf-8"), "sha256")
    return digest.hexdigest()[:32]


def session_matches(token: Secret) -> bool:
    """The session was opened with the token configured now."""
    tag = session.get("tok")
    return isinstance(tag, str) and hmac.compare_digest(tag, token_tag(token))


def session_id() -> str:
    """The administrator session id the cookie carries ("" when none)."""
    value = session.get("sid")
    return value if isinstance(value, str) and session.get("admin") is True else ""


def via_bearer() -> bool:
    return bool(bearer(request))


def admin_name() -> str:
    name = session.get("name")
    return name if isinstance(name, str) and name else "dashboard"


def clean_name(raw: str) -> str:
    """A display name for the audit trail: printable, short, no markup worries later."""
    text = "".join(ch for ch in raw if ch.isprintable()).strip()
    return text[:64]


def csrf_ok() -> bool:
    """The POST carries this session's CSRF token and, if the browser says, our origin."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and origin.rstrip("/") != request.host_url.rstrip("/"):
        return False
    expected = session.get("csrf")
    offered = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(expected, str) or not expected or not offered:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), offered.encode("utf-8"))


def log_in(name: str, sid: str, token: Secret) -> None:
    """A fresh session for the administrator: ``sid`` is live in the store already."""
    session.clear()
    session.permanent = True
    session["admin"] = True
    session["sid"] = sid
    session["tok"] = token_tag(token)
    session["name"] = clean_name(name)
    session["csrf"] = secrets.token_urlsafe(32)  # a fresh token after login


def log_out() -> None:
    session.clear()


# -- the Host header --------------------------------------------------------------------------

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")  # noqa: S104 - names, nothing is bound here


def allowed_hosts(config: DashboardConfig) -> frozenset[str]:
    """The host names answered: ``allowed_hosts``, else the bind host and localhost."""
    names: Iterable[str] = config.allowed_hosts or (config.host, *LOCAL_HOSTS)
    return frozenset(_normal_host(name) for name in names if name.strip() not in WILDCARD_BINDS)


def _normal_host(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    return name[1:-1] if name.startswith("[") and name.endswith("]") else name


def host_name(header: str) -> str | None:
    """The host name of a ``Host`` header without its port; None when it is malformed."""
    if not header or any(ch in header for ch in "/\\@?# ") or not header.isprintable():
        return None
    try:
        parts = urlsplit(f"//{header}")
        name = parts.hostname
        _ = parts.port  # raises for a port that is not a number in range
    except ValueError:
        return None
    if not name:
        return None
    if ":" in name:  # an IPv6 literal: only in brackets, and a real address
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
    return name.rstrip(".")


def host_allowed(header: str, allowed: frozenset[str]) -> bool:
    """Whether ``header`` names one of ``allowed`` (a leading dot allows subdomains)."""
    name = host_name(header)
    if name is None:
        return False
    if name in allowed:
        return True
    return any(
        entry.startswith(".") and (name.endswith(entry) or name == entry[1:]) for entry in allowed
    )


class LoginThrottle:
    """Failed logins and bearer guesses per client: delays that grow, never a lockout.

    A client (an address as seen through the trusted proxies; an IPv6 client by its
    /64) has ``free`` failures within ``window`` seconds; after that each further
    attempt must wait ``base * 2 ** (failures - free)`` seconds after the last failure,
    at most ``cap`` seconds.  An attempt that comes too early is refused without
    looking at the token (429 with ``Retry-After``), so a guesser gets roughly ten
    tries in five minutes, while the administrator, even behind the same address,
    never waits more than ``cap`` seconds.  A success forgets the client's failures.
    """

    MAX_CLIENTS = 10_000

    def __init__(
        self, free: int = 5, window: float = 300.0, base: float = 1.0, cap: float = 60.0
    ) -> None:
        self.free = free
        self.window = window
        self.base = base
        self.cap = cap
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(client: str) -> str:
        """The throttled unit: the address, or for IPv6 its /64 (one host's usual share)."""
        try:
            found = ipaddress.ip_address(client)
        except ValueError:
            return client
        if isinstance(found, ipaddress.IPv6Address):
            if found.ipv4_mapped is not None:
                return str(found.ipv4_mapped)
            return str(ipaddress.IPv6Network(f"{found}/64", strict=False))
        return str(found)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        while failures and failures[0] < now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds ``client`` must wait before its next attempt (0: it may try now)."""
        with self._lock:
            at = time.monotonic() if now is None else now
            failures = self._recent(self.key(client), at)
            if len(failures) < self.free:
                return 0.0
            delay = min(self.cap, self.base * 2 ** (len(failures) - self.free))
            return max(0.0, failures[-1] + delay - at)

    def blocked(self, client: str) -> bool:
        return self.wait(client) > 0

    def failed(self, client: str, now: float | None = None) -> None:
        with self._lock:
            at = time.monotonic() if now is None else now
            key = self.key(client)
            failures = self._recent(key, at)
            failures.append(at)
            while len(failures) > 64:  # enough to reach the cap; bounded memory
                failures.popleft()
            self._failures[key] = failures
            self._failures.move_to_end(key)
            while len(self._failures) > self.MAX_CLIENTS:  # the longest quiet goes first
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(self.key(client), None)
