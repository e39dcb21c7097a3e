"""Logging in and out, and the access check in front of every request.

Reading needs the administrator (session or bearer token) unless
``dashboard.public_read`` is set; the endpoints in :data:`PUBLIC_ENDPOINTS`
(static files, the favicon, ``/healthz``, ``/metrics``, login, logout) never do.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.dashboard import security as sec
from bot.dashboard import views

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
    target = safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return _login_page(target, "")
    d = views.dashboard()
    client = request.remote_addr or "?"
    if not sec.csrf_ok():
        return _login_page(target, "The form expired; please try again."), 403
    if d.throttle.blocked(client):
        log.warning("dashboard: too many failed logins from %s", client)
        return _login_page(target, "Too many failed attempts; wait a few minutes."), 429
    if not sec.token_matches(d.config.dashboard.admin_token, request.form.get("token", "")):
        d.throttle.failed(client)
        log.warning("dashboard: failed administrator login from %s", client)
        return _login_page(target, "That token is not right."), 401
    d.throttle.succeeded(client)
    sec.log_in(request.form.get("name", ""))
    log.info("dashboard: administrator %s logged in from %s", sec.admin_name(), client)
    return redirect(target, code=303)


def _login_page(target: str, error: str) -> str:
    configured = bool(views.dashboard().config.dashboard.admin_token)
    return render_template(
        "login.html", next=target, configured=configured, page="login", error=error
    )


@bp.post("/logout")
def logout() -> Response:
    if sec.csrf_ok():
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
