"""What operators and their tools call: re-run / retry (form and API), ``/healthz``, ``/metrics``.

The actions need a logged-in administrator with the session's CSRF token, or a
bearer token (scripts, no cookie).  The form posts redirect to the job's page
with a flash message; the API answers ``202`` with the job id.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, url_for
from werkzeug.wrappers import Response

from bot import metrics
from bot.dashboard import data, views
from bot.dashboard import security as sec
from bot.dashboard.database_health import with_database_outage
from bot.store import JobKind, JobSpec, rerun_key

log = logging.getLogger("bot.dashboard")

bp = Blueprint("operations", __name__)


def require_admin() -> None:
    """Actions: an administrator, and the CSRF token unless authenticated by bearer."""
    if not sec.is_admin(views.dashboard().config.dashboard.admin_token):
        abort(403, "only a logged-in administrator may do this")
    if not sec.via_bearer() and not sec.csrf_ok():
        abort(403, "the form's CSRF token is missing or wrong; reload the page and retry")


def rerun(job_id: int) -> tuple[int, str]:
    """Queue a new ``rerun`` job for the patch set of job ``job_id``: (new job id, message)."""
    require_admin()
    store = views.dashboard().store
    job = store.job(job_id)
    if job is None:
        abort(404, f"there is no job {job_id}")
    who = sec.admin_name()
    new = store.enqueue(
        JobSpec(
            trigger_key=rerun_key(),
            kind=JobKind.RERUN,
            project=job.project,
            change=job.change,
            patchset=job.patchset,
            revision=job.revision,
            subject=job.subject,
            owner=job.owner,
            branch=job.branch,
            uploaded_at=job.uploaded_at,
            requested_by=who,
            reason=f"re-run of job {job.id} requested on the dashboard",
        )
    )
    if new is None:  # pragma: no cover - the key is fresh
        abort(409, "the re-run could not be queued")
    log.info(
        "dashboard: %s queued a re-run of change %s patch set %s (job %s)",
        who,
        job.change,
        job.patchset,
        new.id,
    )
    return new.id, f"Re-run of change {job.change} patch set {job.patchset} queued."


def retry(job_id: int) -> tuple[int, str]:
    """Put failed or skipped job ``job_id`` back in the queue: (its id, message)."""
    require_admin()
    store = views.dashboard().store
    job = store.job(job_id)
    if job is None:
        abort(404, f"there is no job {job_id}")
    who = sec.admin_name()
    if not store.requeue(job_id, reason=f"retry requested by {who} on the dashboard"):
        abort(409, f"job {job_id} is {job.status.value}; only failed or skipped jobs retry")
    log.info("dashboard: %s requeued job %s", who, job_id)
    return job_id, f"Job {job_id} is queued again."


def _form_answer(job_id: int, message: str) -> Response:
    flash(message, "ok")
    return redirect(url_for("pages.detail", job_id=job_id), code=303)


def _api_answer(job_id: int, message: str) -> Response:
    response = jsonify({"job_id": job_id, "message": message})
    response.status_code = 202
    return response


@bp.post("/changes/<int:job_id>/rerun")
def rerun_form(job_id: int) -> Response:
    return _form_answer(*rerun(job_id))


@bp.post("/changes/<int:job_id>/retry")
def retry_form(job_id: int) -> Response:
    return _form_answer(*retry(job_id))


@bp.post("/api/changes/<int:job_id>/rerun")
def api_rerun(job_id: int) -> Response:
    return _api_answer(*rerun(job_id))


@bp.post("/api/changes/<int:job_id>/retry")
def api_retry(job_id: int) -> Response:
    return _api_answer(*retry(job_id))


@bp.get("/healthz")
def healthz() -> Response:
    d = views.dashboard()
    result = data.health_checks(d.store, d.config, d.health)
    _poll_progress_check(result, d.health, d.config.poll.stall_window)
    result = with_database_outage(result, d.health)
    response = jsonify(result)
    response.status_code = 200 if result["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _poll_progress_check(
    result: dict[str, Any], provider: data.HealthProvider | None, window: float
) -> None:
    """Fail when the polls stayed behind the activity Gerrit shows for over ``window`` s.

    The poller records it (``poll_progress`` of the bot's health); the check also shows the
    change records skipped because they did not validate, and the polls cut short.
    """
    try:
        health = data.health_snapshot(provider) or {}
    except Exception:  # the "bot" check already says the provider failed
        return
    progress = health.get("poll_progress")
    if not isinstance(progress, dict) or health.get("polling") is False:
        return
    check: dict[str, Any] = {
        "ok": True,
        "stall_window_seconds": window,
        "invalid_records": progress.get("invalid_records", 0),
        "future_records": progress.get("future_records", 0),
        "truncated_polls": progress.get("truncated_polls", 0),
    }
    since = progress.get("behind_since")
    if isinstance(since, datetime):
        behind = (datetime.now(UTC) - since).total_seconds()
        check["behind_seconds"] = round(behind, 1)
        if behind > window:
            check["ok"] = False
            check["detail"] = (
                f"polls behind Gerrit for {behind:.0f} s: {progress.get('behind_reason', '')}"
            )
            result["failing"].append("poll_progress")
            result["status"] = "failing"
    result["checks"]["poll_progress"] = check


@bp.get("/favicon.ico")
def favicon() -> Response:
    return Response(status=204)


@bp.get("/metrics", endpoint="metrics")
def metrics_endpoint() -> Response:
    return Response(metrics.render(), mimetype=metrics.CONTENT_TYPE)
