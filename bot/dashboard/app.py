"""The dashboard's app factory: configuration, hardening, and the four blueprints.

Routes (HTML ⇄ JSON):

* ``/`` ⇄ ``/api/overview`` — counts, verdicts, findings by pillar and rule,
  latency percentiles, throughput, last poll, current errors;
* ``/changes`` ⇄ ``/api/changes`` — processed patch sets, filtered, sorted, paged;
* ``/changes/<job>`` ⇄ ``/api/changes/<job>`` — one patch set job in detail;
* ``/rules`` ⇄ ``/api/rules`` — the catalogue with hit and suppression counts;
* ``POST /changes/<job>/rerun`` and ``…/retry`` (and the same under ``/api``) —
  administrator only, CSRF protected;
* ``/login``, ``POST /logout``, ``/healthz`` (no auth), ``/metrics`` (no auth).

In front of them: :class:`~bot.dashboard.proxies.TrustedProxies` (``X-Forwarded-*``
from the configured proxies only), the ``Host`` allow list (400 for any other name,
against DNS rebinding), and job ids bounded to 64 bits (a larger one is a 404, not a
database error).

The pages live in :mod:`~bot.dashboard.pages`, their JSON twins in
:mod:`~bot.dashboard.api` (both over :mod:`~bot.dashboard.views`), login and the
access check in :mod:`~bot.dashboard.auth`, the actions and probes in
:mod:`~bot.dashboard.operations`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from bot import __version__, metrics
from bot.config import Config
from bot.dashboard import api, auth, operations, pages, views
from bot.dashboard import security as sec
from bot.dashboard.data import HealthProvider, StoreStats
from bot.dashboard.database_health import database_unavailable
from bot.dashboard.proxies import TrustedProxies
from bot.dashboard.secret_key import secret_key
from bot.store import UNAVAILABLE, Store

log = logging.getLogger("bot.dashboard")

#: The largest id a job can have (a signed 64-bit column on both databases).
MAX_ID = 2**63 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: at most :data:`MAX_ID`, so a huge id is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(store: Store, config: Config, *, health: HealthProvider | None = None) -> Flask:
    """The dashboard over ``store``.

    ``health`` returns the running bot's state (a dict, or ``bot.service.Health``)
    with ``started_at``, ``last_poll_ok``, ``last_poll_error``, ``gerrit_version``,
    ``credentials_ok`` and ``scheduler_alive``; without it the dashboard can only
    say whether the store answers.
    """
    # Package-relative folders: found the same in a checkout and in an installed wheel.
    app = Flask("bot.dashboard", template_folder="templates", static_folder="static")
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.secret_key = secret_key(config.dashboard)
    app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
        app.wsgi_app, config.dashboard.trusted_proxies
    )
    app.config.update(
        SESSION_COOKIE_NAME="security_bot_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=False,  # set per request: Secure whenever it came over HTTPS
        PERMANENT_SESSION_LIFETIME=timedelta(hours=sec.SESSION_HOURS),
        MAX_CONTENT_LENGTH=64 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=300,
    )
    app.session_interface = sec.SessionInterface()
    app.json = sec.EscapingJSONProvider(app)
    app.jinja_env.autoescape = True  # every template, whatever its extension
    app.jinja_env.filters.update(pages.FILTERS)
    app.context_processor(_template_globals)
    app.extensions[views.EXTENSION] = views.Dashboard(store, config, health)
    allowed = sec.allowed_hosts(config.dashboard)
    app.before_request(lambda: _check_host(allowed))  # first, before any blueprint's hook
    for blueprint in (auth.bp, pages.bp, api.bp, operations.bp):
        app.register_blueprint(blueprint)
    app.after_request(sec.add_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    for away in UNAVAILABLE:  # the database going away: 503 and one line, no traceback
        app.register_error_handler(away, database_unavailable)
    metrics.watch_store(StoreStats(store))  # counts from job_counts, not the jobs table
    if not config.dashboard.allowed_hosts and config.dashboard.host.strip() in sec.WILDCARD_BINDS:
        log.warning(
            "dashboard: listening on %s but dashboard.allowed_hosts is empty: only "
            "localhost is answered (set the host names the dashboard is reached under)",
            config.dashboard.host or "every address",
        )
    if not config.dashboard.admin_token:
        log.warning(
            "dashboard: no administrator token configured (SECURITY_BOT_ADMIN_TOKEN); "
            "nobody can log in%s",
            "" if config.dashboard.public_read else " and nobody can read it",
        )
    return app


def _check_host(allowed: frozenset[str]) -> Response | None:
    """400 for a ``Host`` the dashboard is not served under (DNS rebinding)."""
    if request.endpoint in sec.ANY_HOST_ENDPOINTS:
        return None
    if sec.host_allowed(request.host, allowed):
        return None
    log.warning("dashboard: refused a request for host %r", request.host[:100])
    return views.error_response(400, "this dashboard is not served under that host name")


def _template_globals() -> dict[str, Any]:
    config = views.dashboard().config.dashboard
    return {
        "csrf_token": sec.csrf_token,
        "is_admin": sec.is_admin(config.admin_token),
        "admin_name": sec.admin_name(),
        "version": __version__,
        "public_read": config.public_read,
    }


def _http_error(exc: HTTPException) -> Response:
    return views.error_response(exc.code or 500, exc.description or exc.name)
