"""Logging in and out, and the access check in front of every request.

Reading needs the administrator (session or bearer token) unless
``dashboard.public_read`` is set; the endpoints in :data:`PUBLIC_ENDPOINTS`
(static files, the favicon, ``/healthz``, ``/metrics``, login, logout) never do.

:func:`identify` runs first on every request and decides once whether it is the
administrator's: a bearer token is checked (and a wrong one counted by the same
throttle as failed form logins, per client address as seen through the trusted
proxies), a session cookie only counts while the store still lists its id.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, g, redirect, render_template, request, url_for
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from bot.dashboard import security as sec
from bot.dashboard import views
from bot.store import sessions

log = logging.getLogger("bot.dashboard")

bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "operations.favicon",
        "operations.healthz",
        "operations.metrics",
        "auth.login",
        "auth.logout",
    }
)
#: public endpoints that never show who is logged in
STATIC_ENDPOINTS = frozenset(
    {"static", "operations.favicon", "operations.healthz", "operations.metrics"}
)


def client() -> str:
    """The client's address: the peer, or what a trusted proxy says it is."""
    return request.remote_addr or "?"


def _too_many(wait: float) -> Response:
    response = views.error_response(429, "too many failed attempts; try again shortly")
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


@bp.before_app_request
def identify() -> Response | None:
    """Decide whether this request is the administrator's (kept in ``g``)."""
    d = views.dashboard()
    token = d.config.dashboard.admin_token
    g.setdefault(sec.ADMIN_FLAG, False)
    offered = sec.bearer(request)
    if offered:
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None  # nothing here needs it: not checked, not counted
        wait = d.throttle.wait(client())
        if wait > 0:
            log.warning("dashboard: bearer token refused, too many failures from %s", client())
            return _too_many(wait)
        if not sec.token_matches(token, offered):
            d.throttle.failed(client())
            log.warning("dashboard: wrong bearer token from %s", client())
            return views.error_response(401, "that bearer token is not right")
        d.throttle.succeeded(client())
        setattr(g, sec.ADMIN_FLAG, True)
        return None
    if request.endpoint in STATIC_ENDPOINTS:
        return None  # files and probes: no store query for them
    sid = sec.session_id()
    if token and sid and sec.session_matches(token):
        try:
            live = sessions.is_live(d.store, sid)
        except SQLAlchemyError as exc:
            log.warning("dashboard: cannot check the session (%s)", type(exc).__name__)
            live = False
        setattr(g, sec.ADMIN_FLAG, live)
    return None


@bp.before_app_request
def require_reader() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    config = views.dashboard().config.dashboard
    if config.public_read or sec.is_admin(config.admin_token):
        return None
    if views.wants_json() or request.method != "GET":
        return views.error_response(401, "log in as the administrator first")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    """The login form; a right token opens a session the store keeps."""
    target = safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return _login_page(target, "")
    d = views.dashboard()
    who = client()
    if not sec.csrf_ok():
        return _login_page(target, "The form expired; please try again."), 403
    wait = d.throttle.wait(who)
    if wait > 0:
        log.warning("dashboard: login refused, too many failed logins from %s", who)
        seconds = max(1, math.ceil(wait))
        page = _login_page(target, f"Too many failed attempts; try again in {seconds} s.")
        return Response(page, 429, {"Retry-After": str(seconds)}, mimetype="text/html")
    if not sec.token_matches(d.config.dashboard.admin_token, request.form.get("token", "")):
        d.throttle.failed(who)
        log.warning("dashboard: failed administrator login from %s", who)
        return _login_page(target, "That token is not right."), 401
    d.throttle.succeeded(who)
    sid = sessions.open_session(d.store, timedelta(hours=sec.SESSION_HOURS))
    sec.log_in(request.form.get("name", ""), sid, d.config.dashboard.admin_token)
    log.info("dashboard: administrator %s logged in from %s", sec.admin_name(), who)
    return redirect(target, code=303)


def _login_page(target: str, error: str) -> str:
    configured = bool(views.dashboard().config.dashboard.admin_token)
    return render_template(
        "login.html", next=target, configured=configured, page="login", error=error
    )


@bp.post("/logout")
def logout() -> Response:
    """End the session here and in the store: the old cookie no longer works anywhere."""
    if sec.csrf_ok():
        sid = sec.session_id()
        if sid:
            sessions.close_session(views.dashboard().store, sid)
        sec.log_out()
    return redirect(url_for("auth.login"), code=303)


def safe_next(target: str) -> str:
    """Only a local path is a valid place to go after login (no open redirect)."""
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or parts.scheme
        or parts.netloc
    ):
        return "/"
    return target
