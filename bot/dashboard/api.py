"""The JSON API: each page's twin under ``/api/``, answering the same view's data."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from bot.dashboard import views

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/overview")
def overview() -> Response:
    return jsonify(views.overview().data)


@bp.get("/changes")
def changes() -> Response:
    return jsonify(views.changes().data)


@bp.get("/changes/<int:job_id>")
def detail(job_id: int) -> Response:
    return jsonify(views.detail(job_id).data)


@bp.get("/rules")
def rules() -> Response:
    return jsonify(views.rules().data)
