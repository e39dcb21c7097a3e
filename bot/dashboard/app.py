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

The pages live in :mod:`~bot.dashboard.pages`, their JSON twins in
:mod:`~bot.dashboard.api` (both over :mod:`~bot.dashboard.views`), login and the
access check in :mod:`~bot.dashboard.auth`, the actions and probes in
:mod:`~bot.dashboard.operations`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from bot import __version__, metrics
from bot.config import Config
from bot.dashboard import api, auth, operations, pages, views
from bot.dashboard import security as sec
from bot.dashboard.data import HealthProvider, StoreStats
from bot.store import Store

log = logging.getLogger("bot.dashboard")


def create_app(store: Store, config: Config, *, health: HealthProvider | None = None) -> Flask:
    """The dashboard over ``store``.

    ``health`` returns the running bot's state (a dict, or ``bot.service.Health``)
    with ``started_at``, ``last_poll_ok``, ``last_poll_error``, ``gerrit_version``,
    ``credentials_ok`` and ``scheduler_alive``; without it the dashboard can only
    say whether the store answers.
    """
    # Package-relative folders: found the same in a checkout and in an installed wheel.
    app = Flask("bot.dashboard", template_folder="templates", static_folder="static")
    app.secret_key = sec.session_key(config.dashboard.admin_token)
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
    for blueprint in (auth.bp, pages.bp, api.bp, operations.bp):
        app.register_blueprint(blueprint)
    app.after_request(sec.add_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    metrics.watch_store(StoreStats(store))  # counts from job_counts, not the jobs table
    if not config.dashboard.admin_token:
        log.warning(
            "dashboard: no administrator token configured (SECURITY_BOT_ADMIN_TOKEN); "
            "nobody can log in%s",
            "" if config.dashboard.public_read else " and nobody can read it",
        )
    return app


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
