"""The database part of ``/healthz``: failing, with the reason, while the bot's database is away.

The dashboard's own ping (``store`` in :func:`bot.dashboard.data.health_checks`) sees a
database that does not answer the dashboard. The running bot knows more: since when its
workers, poll and poller election have met the database away (or SQLite locked by a
writer for longer than the busy timeout, which a read does not notice). While that lasts
the ``store`` check fails and says so, with the outage's age; the reason is a fixed
sentence, never the driver's message (which names hosts and ports).

A page or API call that meets the database away answers 503 with a plain sentence and
``Retry-After``, logging one line without a traceback (:func:`database_unavailable`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import request
from werkzeug.wrappers import Response

from bot.dashboard import views
from bot.dashboard.data import HealthProvider, health_snapshot
from bot.store.outage import describe

log = logging.getLogger("bot.dashboard")

#: What a page or API call says when it met the database away (no driver message).
PAGE_DETAIL = (
    "The bot's database is not answering right now (restarting or unreachable). Nothing is "
    "lost: jobs wait and work resumes by itself. Try again in a moment."
)

OUTAGE_DETAIL = (
    "the bot cannot use its database for {seconds:.0f} s; jobs wait (none is marked "
    "failed) and work resumes by itself when the database answers"
)


def with_database_outage(
    result: dict[str, Any], provider: HealthProvider | None, *, now: datetime | None = None
) -> dict[str, Any]:
    """``result`` of ``health_checks`` with the bot's database outage (if any) folded in."""
    try:
        health = health_snapshot(provider)
    except Exception:  # reported as the "bot" check by health_checks already
        return result
    since = _as_utc((health or {}).get("database_down_since"))
    if since is None:
        return result
    seconds = round(max(0.0, ((now or datetime.now(UTC)) - since).total_seconds()), 1)
    store = result["checks"].setdefault("store", {})
    store["ok"] = False
    store["down_seconds"] = seconds
    store["detail"] = OUTAGE_DETAIL.format(seconds=seconds)
    failing = [name for name, check in result["checks"].items() if not check.get("ok")]
    result["failing"] = failing
    result["status"] = "failing" if failing else "ok"
    return result


def _as_utc(value: Any) -> datetime | None:
    if isinstance(value, str) and value:
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def database_unavailable(exc: Exception) -> Response:
    """The error handler for :data:`bot.store.UNAVAILABLE` raised by a page or API call."""
    log.info(
        "dashboard: %s %s answered 503, database unavailable (%s)",
        request.method,
        request.path,
        describe(exc),
    )
    response = views.error_response(503, PAGE_DETAIL)
    response.headers["Retry-After"] = "30"
    response.headers["Cache-Control"] = "no-store"
    return response
