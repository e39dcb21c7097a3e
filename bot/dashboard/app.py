"""The dashboard's Flask app: pages, JSON API, actions, ``/healthz`` and ``/metrics``.

Routes (HTML ⇄ JSON):

* ``/`` ⇄ ``/api/overview`` — counts, verdicts, findings by pillar and rule,
  latency percentiles, throughput, last poll, current errors;
* ``/changes`` ⇄ ``/api/changes`` — processed patch sets, filtered, sorted, paged;
* ``/changes/<job>`` ⇄ ``/api/changes/<job>`` — one patch set job in detail;
* ``/rules`` ⇄ ``/api/rules`` — the catalogue with hit and suppression counts;
* ``POST /changes/<job>/rerun`` and ``…/retry`` (and the same under ``/api``) —
  administrator only, CSRF protected;
* ``/login``, ``POST /logout``, ``/healthz`` (no auth), ``/metrics`` (no auth).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from bot import __version__, metrics
from bot.config import Config
from bot.dashboard import data
from bot.dashboard import security as sec
from bot.resources import data_dir
from bot.store import JobKind, JobSpec, Store, rerun_key
from bot.store import queries as q

log = logging.getLogger("bot.dashboard")

PER_PAGE_DEFAULT = 50
NO_VALUE = "\u2013"  # an en dash: "no value"
PER_PAGE_MAX = 200
_PUBLIC_ENDPOINTS = frozenset(
    {"static", "favicon", "healthz", "metrics_endpoint", "login", "logout"}
)


def create_app(store: Store, config: Config, *, health: Callable[[], Any] | None = None) -> Flask:
    """The dashboard over ``store``.

    ``health`` returns the running bot's state (a dict, or ``bot.service.Health``)
    with ``started_at``, ``last_poll_ok``, ``last_poll_error``, ``gerrit_version``,
    ``credentials_ok`` and ``scheduler_alive``; without it the dashboard can only
    say whether the store answers.
    """
    templates = data_dir("templates") / "dashboard"
    app = Flask(
        "bot.dashboard",
        template_folder=str(templates),
        static_folder=str(templates / "static"),
        static_url_path="/static",
    )
    token = config.dashboard.admin_token
    app.secret_key = sec.session_key(token)
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
    app.extensions["security_bot"] = {"store": store, "config": config, "health": health}
    throttle = sec.LoginThrottle()
    metrics.watch_store(store)
    if not token:
        log.warning(
            "dashboard: no administrator token configured (SECURITY_BOT_ADMIN_TOKEN); "
            "nobody can log in%s",
            "" if config.dashboard.public_read else " and nobody can read it",
        )

    # -- access control, headers, template helpers ------------------------------------------

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.before_request
    def require_reader() -> Response | None:
        if request.endpoint in _PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if config.dashboard.public_read or sec.is_admin(token):
            return None
        if wants_json() or request.method != "GET":
            return _error(401, "log in as the administrator first")
        return redirect(url_for("login", next=request.full_path.rstrip("?")))

    @app.after_request
    def harden(response: Response) -> Response:
        return sec.add_security_headers(response)

    @app.context_processor
    def template_globals() -> dict[str, Any]:
        return {
            "csrf_token": sec.csrf_token,
            "is_admin": sec.is_admin(token),
            "admin_name": sec.admin_name(),
            "version": __version__,
            "public_read": config.dashboard.public_read,
        }

    app.add_template_filter(_duration, "duration")
    app.add_template_filter(_when, "when")
    app.add_template_filter(_ms, "ms")

    def _error(status: int, message: str) -> Response:
        if wants_json():
            response = jsonify({"error": message, "status": status})
        else:
            response = app.make_response(
                (render_template("error.html", status=status, message=message), status)
            )
        response.status_code = status
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return _error(exc.code or 500, exc.description or exc.name)

    def require_admin() -> None:
        """Actions: an administrator, and the CSRF token unless authenticated by bearer."""
        if not sec.is_admin(token):
            abort(403, "only a logged-in administrator may do this")
        if not sec.via_bearer() and not sec.csrf_ok():
            abort(403, "the form's CSRF token is missing or wrong; reload the page and retry")

    # -- pages and their JSON ------------------------------------------------------------------

    @app.get("/")
    def overview() -> str:
        view = data.overview(store, config, health)
        return render_template(
            "overview.html", view=view, chart=data.chart(view["throughput"]), page="overview"
        )

    @app.get("/api/overview")
    def api_overview() -> Response:
        return jsonify(data.overview(store, config, health))

    @app.get("/changes")
    def changes() -> str:
        flt, page, per_page = _listing_args()
        view = data.changes(store, config, flt, page=page, per_page=per_page)
        return render_template(
            "changes.html",
            view=view,
            projects=q.projects(store),
            verdicts=q.verdicts(store),
            statuses=q.status_values(),
            sort_keys=q.SORT_KEYS,
            page="changes",
            sort_url=lambda key: _sort_url(flt, key),
            page_url=lambda n: _page_url(n),
        )

    @app.get("/api/changes")
    def api_changes() -> Response:
        flt, page, per_page = _listing_args()
        return jsonify(data.changes(store, config, flt, page=page, per_page=per_page))

    @app.get("/changes/<int:job_id>")
    def detail(job_id: int) -> str:
        view = data.detail(store, config, job_id)
        if view is None:
            abort(404, f"there is no job {job_id}")
        return render_template("detail.html", view=view, page="changes")

    @app.get("/api/changes/<int:job_id>")
    def api_detail(job_id: int) -> Response:
        view = data.detail(store, config, job_id)
        if view is None:
            abort(404, f"there is no job {job_id}")
        return jsonify(view)

    @app.get("/rules")
    def rules() -> str:
        return render_template("rules.html", view=data.rules(store), page="rules")

    @app.get("/api/rules")
    def api_rules() -> Response:
        return jsonify(data.rules(store))

    # -- actions ----------------------------------------------------------------------------

    def rerun(job_id: int) -> tuple[int, str]:
        require_admin()
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
        if new is None:  # pragma: no cover - the key is a fresh uuid
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
        require_admin()
        job = store.job(job_id)
        if job is None:
            abort(404, f"there is no job {job_id}")
        who = sec.admin_name()
        if not store.requeue(job_id, reason=f"retry requested by {who} on the dashboard"):
            abort(409, f"job {job_id} is {job.status.value}; only failed or skipped jobs retry")
        log.info("dashboard: %s requeued job %s", who, job_id)
        return job_id, f"Job {job_id} is queued again."

    @app.post("/changes/<int:job_id>/rerun")
    def rerun_form(job_id: int) -> Response:
        new_id, message = rerun(job_id)
        flash(message, "ok")
        return redirect(url_for("detail", job_id=new_id), code=303)

    @app.post("/changes/<int:job_id>/retry")
    def retry_form(job_id: int) -> Response:
        same_id, message = retry(job_id)
        flash(message, "ok")
        return redirect(url_for("detail", job_id=same_id), code=303)

    @app.post("/api/changes/<int:job_id>/rerun")
    def api_rerun(job_id: int) -> Response:
        new_id, message = rerun(job_id)
        response = jsonify({"job_id": new_id, "message": message})
        response.status_code = 202
        return response

    @app.post("/api/changes/<int:job_id>/retry")
    def api_retry(job_id: int) -> Response:
        same_id, message = retry(job_id)
        response = jsonify({"job_id": same_id, "message": message})
        response.status_code = 202
        return response

    # -- login ------------------------------------------------------------------------------

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Response | tuple[str, int] | str:
        target = _safe_next(request.values.get("next", ""))
        if request.method == "GET":
            return render_template(
                "login.html", next=target, configured=bool(token), page="login", error=""
            )
        client = request.remote_addr or "?"
        if not sec.csrf_ok():
            return _login_failed(target, "The form expired; please try again.", 403)
        if throttle.blocked(client):
            log.warning("dashboard: too many failed logins from %s", client)
            return _login_failed(target, "Too many failed attempts; wait a few minutes.", 429)
        if not sec.token_matches(token, request.form.get("token", "")):
            throttle.failed(client)
            log.warning("dashboard: failed administrator login from %s", client)
            return _login_failed(target, "That token is not right.", 401)
        throttle.succeeded(client)
        sec.log_in(request.form.get("name", ""))
        log.info("dashboard: administrator %s logged in from %s", sec.admin_name(), client)
        return redirect(target, code=303)

    def _login_failed(target: str, message: str, status: int) -> tuple[str, int]:
        page = render_template(
            "login.html", next=target, configured=bool(token), page="login", error=message
        )
        return page, status

    @app.post("/logout")
    def logout() -> Response:
        if sec.csrf_ok():
            sec.log_out()
        return redirect(url_for("login"), code=303)

    # -- operations -------------------------------------------------------------------------

    @app.get("/healthz")
    def healthz() -> Response:
        result = data.health_checks(store, config, health)
        response = jsonify(result)
        response.status_code = 200 if result["status"] == "ok" else 503
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.get("/metrics")
    def metrics_endpoint() -> Response:
        return Response(metrics.render(), mimetype=metrics.CONTENT_TYPE)

    return app


# -- request arguments ------------------------------------------------------------------------


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, value))


def _listing_args() -> tuple[q.ChangeFilter, int, int]:
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


def _sort_url(flt: q.ChangeFilter, key: str) -> str:
    args: dict[str, Any] = {
        k: v for k, v in request.args.items() if k not in ("sort", "dir", "page")
    }
    descending = not (flt.sort == key and flt.descending)
    if flt.sort != key:
        descending = key in ("when", "findings", "duration", "change")
    args.update(sort=key, dir="desc" if descending else "asc")
    return url_for("changes", **args)


def _page_url(number: int) -> str:
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    args["page"] = number
    return url_for("changes", **args)


def _safe_next(target: str) -> str:
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


# -- template filters -------------------------------------------------------------------------


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return NO_VALUE
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 90:
        return f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _ms(value: float | None) -> str:
    return NO_VALUE if value is None else _duration(value / 1000)


def _when(value: str | datetime | None) -> str:
    if not value:
        return NO_VALUE
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
