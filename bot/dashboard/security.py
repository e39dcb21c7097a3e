"""Who may do what on the dashboard, and the HTTP hardening every answer gets.

* The administrator proves themselves with the token from the configuration
  (``SECURITY_BOT_ADMIN_TOKEN`` or ``dashboard.admin_token_file``): once, through
  the login form, which sets a signed session cookie (HttpOnly, SameSite=Strict,
  Secure when the request came over HTTPS), or on every request with an
  ``Authorization: Bearer`` header (scripts; no cookie, so no CSRF exposure).
* Every state-changing request made with the session cookie carries the
  session's CSRF token (a hidden form field or the ``X-CSRF-Token`` header),
  compared in constant time; a cross-origin ``Origin`` header is refused too.
* Reading needs the login as well unless ``dashboard.public_read`` is set.
* The token itself is never stored in the session, shown, or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from typing import Any

from flask import Flask, Request, request, session
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

from bot.config import Secret

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_HOURS = 12

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


def session_key(token: Secret) -> bytes:
    """The key that signs session cookies.

    Derived from the admin token, so sessions survive a restart and every
    process behind one load balancer accepts them, and changing the token
    logs everybody out.  Without a token nobody can log in; a random key is
    used then.
    """
    if not token:
        return secrets.token_bytes(32)
    return hmac.new(
        token.reveal().encode("utf-8"), b"security-bot dashboard session v1", hashlib.sha256
    ).digest()


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
    if request.is_secure:
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
    """True for a logged-in administrator or a request with the right bearer token."""
    offered = bearer(request)
    if offered:
        return token_matches(token, offered)
    return bool(token) and session.get("admin") is True


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


def log_in(name: str) -> None:
    session.clear()
    session.permanent = True
    session["admin"] = True
    session["name"] = clean_name(name)
    session["csrf"] = secrets.token_urlsafe(32)  # a fresh token after login


def log_out() -> None:
    session.clear()


class LoginThrottle:
    """At most ``limit`` failed logins per client address in ``window`` seconds."""

    def __init__(self, limit: int = 10, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory under a spray of addresses
                self._failures.clear()

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
