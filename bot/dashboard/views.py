"""The view functions the HTML pages and the JSON API share, and the error answer.

Each page has one function here returning a :class:`View`: ``data`` is exactly
what its JSON twin answers and what its template calls ``view``; ``extras`` adds
the template-only values (chart geometry, filter choices, sort links) and is
only computed when HTML is rendered.  The blueprints in ``pages`` and ``api``
merely render or serialise it, so the two forms cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, jsonify, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.config import Config
from bot.dashboard import data
from bot.dashboard.security import LoginThrottle
from bot.store import Store
from bot.store import queries as q

EXTENSION = "security_bot"
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200


@dataclass(frozen=True)
class Dashboard:
    """What the views need from the app: kept in ``app.extensions["security_bot"]``."""

    store: Store
    config: Config
    health: data.HealthProvider | None
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


def dashboard() -> Dashboard:
    """The running app's :class:`Dashboard` (inside a request)."""
    found: Dashboard = current_app.extensions[EXTENSION]
    return found


@dataclass(frozen=True)
class View:
    """One page's answer: ``data`` for both forms, ``extras()`` for the template only."""

    data: dict[str, Any]
    template: str
    page: str  # the navigation entry to mark current
    extras: Callable[[], dict[str, Any]] = dict


# -- errors -----------------------------------------------------------------------------------


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str) -> Response:
    """The error as JSON under ``/api/``, as the error page everywhere else."""
    if wants_json():
        response = jsonify({"error": message, "status": status})
    else:
        response = current_app.make_response(
            (render_template("error.html", status=status, message=message), status)
        )
    response.status_code = status
    return response


# -- the pages --------------------------------------------------------------------------------


def overview() -> View:
    d = dashboard()
    view = data.overview(d.store, d.config, d.health)
    return View(
        view, "overview.html", "overview", lambda: {"chart": data.chart(view["throughput"])}
    )


def changes() -> View:
    d = dashboard()
    flt, page, per_page = listing_args()
    after, before = _cursor_arg("after"), _cursor_arg("before")

    def extras() -> dict[str, Any]:
        return {
            "projects": q.projects(d.store),
            "verdicts": q.verdicts(d.store),
            "statuses": q.status_values(),
            "sort_keys": q.SORT_KEYS,
            "sort_url": lambda key: sort_url(flt, key),
            "page_url": page_url,
        }

    view = data.changes(
        d.store, d.config, flt, page=page, per_page=per_page, after=after, before=before
    )
    return View(view, "changes.html", "changes", extras)


def detail(job_id: int) -> View:
    d = dashboard()
    view = data.detail(
        d.store,
        d.config,
        job_id,
        findings_page=_int_arg("findings_page", 1, 1, 1_000_000),
        suppressed_page=_int_arg("suppressed_page", 1, 1, 1_000_000),
    )
    if view is None:
        abort(404, f"there is no job {job_id}")

    def findings_url(name: str, number: int) -> str:
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k != name}
        args[name] = number
        return url_for("pages.detail", job_id=job_id, **args)

    return View(view, "detail.html", "changes", lambda: {"findings_url": findings_url})


def rules() -> View:
    return View(data.rules(dashboard().store), "rules.html", "rules")


# -- request arguments and the links built from them ------------------------------------------


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, value))


def listing_args() -> tuple[q.ChangeFilter, int, int]:
    """The change list's filter, page and page size from the query string (clamped)."""
    args = request.args
    sort = args.get("sort", "when")
    status = args.get("status", "")
    flt = q.ChangeFilter(
        project=args.get("project", "")[:255],
        verdict=args.get("verdict", "")[:32],
        status=status if status in q.status_values() else "",
        text=args.get("q", "")[:200],
        sort=sort if sort in q.SORT_KEYS else "when",
        descending=args.get("dir", "desc") != "asc",
    )
    per_page = _int_arg("per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX)
    page = _int_arg("page", 1, 1, 1_000_000)
    return flt, page, per_page


def sort_url(flt: q.ChangeFilter, key: str) -> str:
    """This listing sorted by ``key``: the other direction if it already is, page 1."""
    args: dict[str, Any] = {
        k: v for k, v in request.args.items() if k not in ("sort", "dir", "page", "after", "before")
    }
    descending = not (flt.sort == key and flt.descending)
    if flt.sort != key:
        descending = key in ("when", "findings", "duration", "change")
    args.update(sort=key, dir="desc" if descending else "asc")
    return url_for("pages.changes", **args)


def _cursor_arg(name: str) -> int | None:
    """A page link's anchor: a job id, or None when absent or not one."""
    value = request.args.get(name, "")
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def page_url(number: int, *, after: int | None = None, before: int | None = None) -> str:
    """This listing's page ``number``, seeking from a job: below ``after`` or above
    ``before`` (neither: the first page)."""
    args: dict[str, Any] = {
        k: v for k, v in request.args.items() if k not in ("page", "after", "before")
    }
    if after is not None:
        args["after"] = after
    elif before is not None:
        args["before"] = before
    if after is not None or before is not None:
        args["page"] = number
    return url_for("pages.changes", **args)
