"""The HTML pages: each renders its :mod:`~bot.dashboard.views` function with its template.

Also the template filters that format numbers and times for people (the JSON
API keeps the raw values).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, render_template

from bot.dashboard import views

NO_VALUE = "\u2013"  # an en dash: "no value"

bp = Blueprint("pages", __name__)


def render(view: views.View) -> str:
    return render_template(view.template, view=view.data, page=view.page, **view.extras())


@bp.get("/")
def overview() -> str:
    return render(views.overview())


@bp.get("/changes")
def changes() -> str:
    return render(views.changes())


@bp.get("/changes/<int:job_id>")
def detail(job_id: int) -> str:
    return render(views.detail(job_id))


@bp.get("/rules")
def rules() -> str:
    return render(views.rules())


# -- template filters -------------------------------------------------------------------------


def duration(seconds: float | None) -> str:
    if seconds is None:
        return NO_VALUE
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 90:
        return f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def ms(value: float | None) -> str:
    return NO_VALUE if value is None else duration(value / 1000)


def when(value: str | datetime | None) -> str:
    if not value:
        return NO_VALUE
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


FILTERS = {"duration": duration, "when": when, "ms": ms}
