"""What each page shows, as plain JSON-ready dicts.

The HTML views render these dicts and the JSON API returns them unchanged,
so both always agree.  Values from Gerrit (subjects, names, paths, code) are
passed through as text; escaping is the template's and the JSON encoder's job.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from bot.analysis import all_rules, cwe_name
from bot.config import Config
from bot.store import FindingRow, Job, JobEvent, ReviewRow, Store
from bot.store import queries as q
from bot.store.retention import pruned_event

FINAL_STATUSES = ("posted", "carried", "skipped", "failed")
HealthProvider = Callable[[], Any]


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def gerrit_link(config: Config, project: str, change: int, patchset: int) -> str | None:
    base = config.gerrit.url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        return None
    return f"{base}/c/{quote(project, safe='/')}/+/{int(change)}/{int(patchset)}"


def trigger_text(kind: str, requested_by: str) -> str:
    if kind == "new":
        return "new upload"
    label = {"recheck": "recheck", "rerun": "re-run"}.get(kind, kind)
    return f"{label} by {requested_by}" if requested_by else label


# -- health -----------------------------------------------------------------------------------


def health_snapshot(provider: HealthProvider | None) -> dict[str, Any] | None:
    """The provider's answer as a dict (a dataclass such as ``bot.service.Health`` works too)."""
    if provider is None:
        return None
    value = provider()
    if value is None:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if not isinstance(value, Mapping):
        raise TypeError("the dashboard's health provider must return a dict")
    return dict(value)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def health_checks(
    store: Store, config: Config, provider: HealthProvider | None, *, now: datetime | None = None
) -> dict[str, Any]:
    """The checks behind ``/healthz``: store reachable, scheduler alive, last poll recent.

    Without a health provider (a dashboard running apart from the bot) only
    the store is checked.  The answer names checks and ages, never error text.
    """
    now = now or datetime.now(UTC)
    checks: dict[str, dict[str, Any]] = {}
    try:
        q.ping(store)
        checks["store"] = {"ok": True}
    except Exception as exc:
        checks["store"] = {"ok": False, "detail": f"store unreachable ({type(exc).__name__})"}
    try:
        health = health_snapshot(provider)
    except Exception as exc:
        health = None
        checks["bot"] = {"ok": False, "detail": f"health provider failed ({type(exc).__name__})"}
    if health is not None:
        alive = health.get("scheduler_alive")
        if alive is not None:
            checks["scheduler"] = {"ok": bool(alive)}
            if not alive:
                checks["scheduler"]["detail"] = "the scheduler is not running"
        limit = 3 * config.poll.interval + 60
        last = _as_datetime(health.get("last_poll_ok"))
        started = _as_datetime(health.get("started_at"))
        poll: dict[str, Any] = {"max_age_seconds": limit}
        if health.get("polling") is False:
            # Several processes share one database and another one is the elected poller:
            # this one's health does not depend on a poll it does not run.
            poll["ok"] = True
            poll["detail"] = "standby: another process is the elected poller"
        elif last is not None:
            age = (now - last).total_seconds()
            poll["age_seconds"] = round(age, 1)
            poll["ok"] = age <= limit
        elif started is not None and (now - started).total_seconds() <= limit:
            poll["ok"] = True
            poll["detail"] = "starting: no poll finished yet"
        else:
            poll["ok"] = False
        if not poll["ok"]:
            poll["detail"] = "no successful poll within the allowed time"
        checks["poll"] = poll
    failing = [name for name, check in checks.items() if not check["ok"]]
    return {"status": "failing" if failing else "ok", "failing": failing, "checks": checks}


def current_errors(health: dict[str, Any] | None, config: Config) -> list[str]:
    """Operator-facing problems right now (Gerrit unreachable, credentials rejected…)."""
    if health is None:
        return []
    errors: list[str] = []
    if health.get("credentials_ok") is False:
        errors.append("Gerrit rejected the bot's credentials (HTTP 401): check the password/token.")
    last_error = str(health.get("last_poll_error") or "")
    if last_error and not (health.get("credentials_ok") is False and "401" in last_error):
        errors.append(f"The last poll failed: {last_error}")
    if health.get("scheduler_alive") is False:
        errors.append("The scheduler is not running: nothing is polled or reviewed.")
    last = _as_datetime(health.get("last_poll_ok"))
    limit = 3 * config.poll.interval + 60
    if last is not None and (datetime.now(UTC) - last).total_seconds() > limit:
        errors.append("No successful poll for a while: Gerrit may be unreachable.")
    return errors


class StoreStats:
    """What ``/metrics`` asks the store at scrape time (:class:`bot.metrics.StoreStats`),
    answered from ``job_counts`` rather than by counting the jobs table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def pending_count(self) -> int:
        return self.store.pending_count()  # one index range: the queue is short

    def counts(self) -> dict[str, int]:
        return q.status_counts(self.store)


# -- overview ---------------------------------------------------------------------------------


def overview(
    store: Store, config: Config, provider: HealthProvider | None, *, hours: int = 24
) -> dict[str, Any]:
    counts = q.status_counts(store)
    tallies = q.finding_tallies(store)
    latency = q.review_latency(store)
    rule_titles = {r.id: r.title for r in all_rules()}
    try:
        health = health_snapshot(provider)
    except Exception:
        health = None
    last_poll = _as_datetime(health.get("last_poll_ok")) if health else None
    if health is None:
        last_poll = q.last_cursor_update(store)
    return {
        "counts": {
            "reviewed": counts["posted"] + counts["carried"],
            "posted": counts["posted"],
            "carried": counts["carried"],
            "skipped": counts["skipped"],
            "failed": counts["failed"],
            "queued": counts["pending"] + counts["running"],
            "pending": counts["pending"],
            "running": counts["running"],
        },
        "verdicts": q.verdict_counts(store),
        "findings_by_pillar": [
            {"id": pid, "cwe": f"CWE-{pid}" if pid else "", "name": name, "count": n}
            for pid, name, n in q.findings_by_pillar(store, tallies)
        ],
        "findings_by_rule": [
            {
                "rule": r.rule,
                "title": rule_titles.get(r.rule, ""),
                "hits": r.hits,
                "suppressed": r.suppressed,
            }
            for r in q.findings_by_rule(store, tallies)
        ],
        "latency": {
            "window_days": 7,
            "count": latency.count,
            "p50_seconds": latency.p50,
            "p95_seconds": latency.p95,
            "max_seconds": latency.max,
        },
        "throughput": [
            {
                "hour": iso(b.start),
                **{s: b.counts.get(s, 0) for s in FINAL_STATUSES},
                "total": b.total,
            }
            for b in q.throughput(store, hours=hours)
        ],
        "last_poll_ok": iso(last_poll),
        "retention": retention_json(config),
        "health": _health_json(health),
        "errors": current_errors(health, config),
    }


def retention_json(config: Config) -> dict[str, Any]:
    """What the store keeps: ``days`` of details (0: everything, for good)."""
    days = config.store.retention_days
    return {
        "days": days,
        "keeps_everything": days == 0,
        "text": (
            "Everything is kept (store.retention_days = 0)."
            if days == 0
            else f"Details of jobs finished more than {days} days ago (history, posted "
            "message and comments, finding texts) are pruned; verdicts and the findings' "
            "fingerprints are kept."
        ),
    }


def _health_json(health: dict[str, Any] | None) -> dict[str, Any] | None:
    if health is None:
        return None
    out: dict[str, Any] = {}
    for key in (
        "started_at",
        "last_poll_ok",
        "last_poll_error",
        "gerrit_version",
        "credentials_ok",
        "scheduler_alive",
    ):
        value = health.get(key)
        out[key] = iso(value) if isinstance(value, datetime) else value
    return out


# -- changes ----------------------------------------------------------------------------------


def change_item(config: Config, row: q.ChangeRow) -> dict[str, Any]:
    return {
        "job_id": row.job_id,
        "kind": row.kind,
        "trigger": trigger_text(row.kind, row.requested_by),
        "requested_by": row.requested_by,
        "project": row.project,
        "change": row.change,
        "patchset": row.patchset,
        "subject": row.subject,
        "owner": row.owner,
        "branch": row.branch,
        "status": row.status,
        "reason": row.reason,
        "attempts": row.attempts,
        "verdict": row.verdict,
        "finding_count": row.finding_count,
        "suppressed_count": row.suppressed_count,
        "duration_ms": row.duration_ms,
        "created_at": iso(row.created_at),
        "finished_at": iso(row.finished_at),
        "uploaded_at": iso(row.uploaded_at),
        "posted_at": iso(row.posted_at),
        "gerrit_url": gerrit_link(config, row.project, row.change, row.patchset),
    }


def changes(
    store: Store,
    config: Config,
    flt: q.ChangeFilter,
    *,
    page: int,
    per_page: int,
    after: int | None = None,
    before: int | None = None,
) -> dict[str, Any]:
    """One page of the change list.

    Pages are reached by seeking from a job (``after`` / ``before``: the ``next`` and
    ``prev`` fields), never by offset; ``page`` is only carried along to number them,
    and is 1 again whenever the list's top is reached.  ``total`` is exact when
    ``total_exact``, else a lower bound (``pages`` is then None).
    """
    result = q.list_changes(store, flt, limit=per_page, after=after, before=before)
    if result.before is None:  # the top of the list
        page = 1
    pages = max(1, math.ceil(result.total / per_page)) if result.exact else None
    if pages is not None:
        page = min(page, pages)
    return {
        "total": result.total,
        "total_exact": result.exact,
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "next": result.after,
        "prev": result.before,
        "search_too_short": result.search_too_short,
        "filters": {
            "project": flt.project,
            "verdict": flt.verdict,
            "status": flt.status,
            "q": flt.text,
            "sort": flt.sort,
            "dir": "desc" if flt.descending else "asc",
        },
        "items": [change_item(config, r) for r in result.rows],
    }


# -- detail -----------------------------------------------------------------------------------


def _job_json(config: Config, job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind.value,
        "trigger": trigger_text(job.kind.value, job.requested_by),
        "requested_by": job.requested_by,
        "project": job.project,
        "change": job.change,
        "patchset": job.patchset,
        "revision": job.revision,
        "subject": job.subject,
        "owner": job.owner,
        "branch": job.branch,
        "status": job.status.value,
        "reason": job.reason,
        "attempts": job.attempts,
        "lease_owner": job.lease_owner,
        "created_at": iso(job.created_at),
        "updated_at": iso(job.updated_at),
        "uploaded_at": iso(job.uploaded_at),
        "finished_at": iso(job.finished_at),
        "gerrit_url": gerrit_link(config, job.project, job.change, job.patchset),
    }


def _review_json(review: ReviewRow) -> dict[str, Any]:
    return {
        "id": review.id,
        "verdict": review.verdict,
        "message": review.message,
        "comments": review.comments,
        "carried_from": review.carried_from,
        "files_analysed": review.files_analysed,
        "lines_changed": review.lines_changed,
        "rules_run": review.rules_run,
        "duration_ms": review.duration_ms,
        "timings": review.timings,
        "posted_at": iso(review.posted_at),
        "finding_count": review.finding_count,
        "suppressed_count": review.suppressed_count,
        "errors": list(review.errors),
    }


def _finding_json(f: FindingRow) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "title": f.title,
        "cwe": f.cwe,
        "cwe_name": f.cwe_name,
        "pillars": [{"id": p, "name": _pillar_name(p)} for p in f.pillars],
        "severity": f.severity.value,
        "confidence": f.confidence,
        "path": f.path,
        "line": f.line,
        "end_line": f.end_line,
        "message": f.message,
        "recommendation": f.recommendation,
        "code": f.code,
        "function": f.function,
        "fingerprint": f.fingerprint,
        "posted_inline": f.posted_inline,
        "suppressed": f.suppressed,
        "nosec_comment": f.nosec_comment,
    }


def _pillar_name(pillar: int) -> str:
    try:
        return cwe_name(pillar)
    except KeyError:
        return ""


def _event_json(e: JobEvent) -> dict[str, Any]:
    return {"at": iso(e.at), "event": e.event, "detail": e.detail}


#: Findings (and, apart, suppressed findings) shown per page of one patch set.
FINDINGS_PER_PAGE = 100
#: Inline comments shown of one review (the rest is counted, not rendered).
COMMENTS_SHOWN = 200


def _pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def _findings_section(
    store: Store, review: ReviewRow | None, *, suppressed: bool, page: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    total = (
        0 if review is None else (review.suppressed_count if suppressed else review.finding_count)
    )
    pages = _pages(total, FINDINGS_PER_PAGE)
    page = max(1, min(page, pages))
    rows = (
        q.findings_page(
            store,
            review.id,
            suppressed=suppressed,
            limit=FINDINGS_PER_PAGE,
            offset=(page - 1) * FINDINGS_PER_PAGE,
        )
        if review is not None and total
        else []
    )
    return [_finding_json(f) for f in rows], {
        "page": page,
        "pages": pages,
        "per_page": FINDINGS_PER_PAGE,
        "total": total,
    }


def _shown_comments(comments: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """The first :data:`COMMENTS_SHOWN` inline comments, and how many there are in all."""
    shown: dict[str, Any] = {}
    total = budget = 0
    for path, items in comments.items():
        items = list(items) if isinstance(items, list) else [items]
        total += len(items)
        room = COMMENTS_SHOWN - budget
        if room > 0:
            shown[path] = items[:room]
            budget += len(shown[path])
    return shown, total


def detail(
    store: Store, config: Config, job_id: int, *, findings_page: int = 1, suppressed_page: int = 1
) -> dict[str, Any] | None:
    job = store.job(job_id)
    if job is None:
        return None
    review = store.review_for_job(job_id)
    findings, findings_pages = _findings_section(
        store, review, suppressed=False, page=findings_page
    )
    suppressed, suppressed_pages = _findings_section(
        store, review, suppressed=True, page=suppressed_page
    )
    runs = q.jobs_of_patchset(store, job.change, job.patchset)
    events = store.events(job_id)
    pruned = pruned_event(events)
    review_json = _review_json(review) if review else None
    if review_json is not None:
        review_json["comments"], review_json["comments_total"] = _shown_comments(
            review_json["comments"] or {}
        )
        review_json["comments_shown"] = min(COMMENTS_SHOWN, review_json["comments_total"])
    return {
        "job": _job_json(config, job),
        "review": review_json,
        "findings": findings,
        "findings_page": findings_pages,
        "suppressed": suppressed,
        "suppressed_page": suppressed_pages,
        "events": [_event_json(e) for e in events],
        "pruned": None if pruned is None else _event_json(pruned),
        "runs": [change_item(config, r) for r in runs],
        "can_retry": job.status.value in ("failed", "skipped"),
        "can_rerun": job.status.value not in ("pending", "running"),
    }


# -- rules ------------------------------------------------------------------------------------


def rules(store: Store) -> dict[str, Any]:
    counts = {r.rule: r for r in q.findings_by_rule(store, q.finding_tallies(store))}
    items = []
    for rule in all_rules():
        hit = counts.pop(rule.id, None)
        items.append(
            {
                "id": rule.id,
                "title": rule.title,
                "family": rule.family,
                "cwe": rule.cwe,
                "cwe_name": rule.cwe_name,
                "pillars": [{"id": p, "name": _pillar_name(p)} for p in rule.pillars],
                "severity_test": rule.severity_test.value,
                "severity_other": rule.severity_other.value,
                "bandit_ids": list(rule.bandit_ids),
                "hits": hit.hits if hit else 0,
                "suppressed": hit.suppressed if hit else 0,
                "in_catalogue": True,
            }
        )
    for leftover in counts.values():  # rules that have findings but left the catalogue
        items.append(
            {
                "id": leftover.rule,
                "title": "",
                "family": "",
                "cwe": leftover.cwe,
                "cwe_name": "",
                "pillars": [],
                "severity_test": "",
                "severity_other": "",
                "bandit_ids": [],
                "hits": leftover.hits,
                "suppressed": leftover.suppressed,
                "in_catalogue": False,
            }
        )
    return {
        "rules": items,
        "total_hits": sum(i["hits"] for i in items),
        "total_suppressed": sum(i["suppressed"] for i in items),
    }


# -- the throughput chart ---------------------------------------------------------------------

CHART_W, CHART_H, CHART_LEFT, CHART_BOTTOM, CHART_TOP = 960, 200, 40, 26, 10


def _nice_ceiling(value: int) -> int:
    """The smallest ``4 * step`` >= value, step being 1, 2 or 5 times a power of ten."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if 4 * step * magnitude >= value:
                return 4 * step * magnitude
        magnitude *= 10


def chart(throughput: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of a stacked bar chart (one bar per hour) for server-side SVG."""
    top = _nice_ceiling(max((b["total"] for b in throughput), default=0))
    plot_w = CHART_W - CHART_LEFT - 8
    plot_h = CHART_H - CHART_BOTTOM - CHART_TOP
    slot = plot_w / max(1, len(throughput))
    bar_w = max(2.0, slot * 0.7)
    bars, labels = [], []
    for i, bucket in enumerate(throughput):
        x = CHART_LEFT + i * slot + (slot - bar_w) / 2
        base = CHART_TOP + plot_h
        start = datetime.fromisoformat(bucket["hour"])
        when = (
            start.strftime("%Y-%m-%d %H:00")
            + "\u2013"
            + (start + timedelta(hours=1)).strftime("%H:00")
        )
        for status in FINAL_STATUSES:
            n = bucket[status]
            if not n:
                continue
            h = plot_h * n / top
            base -= h
            bars.append(
                {
                    "x": round(x, 1),
                    "y": round(base, 1),
                    "w": round(bar_w, 1),
                    "h": round(h, 1),
                    "status": status,
                    "title": f"{when} UTC: {n} {status}",
                }
            )
        if i % 3 == 0:
            labels.append({"x": round(x + bar_w / 2, 1), "text": start.strftime("%H:00")})
    grid = [
        {"y": round(CHART_TOP + plot_h - plot_h * k / 4, 1), "value": top * k // 4}
        for k in range(5)
    ]
    return {
        "width": CHART_W,
        "height": CHART_H,
        "left": CHART_LEFT,
        "right": CHART_W - 8,
        "label_y": CHART_H - 8,
        "bars": bars,
        "labels": labels,
        "grid": grid,
        "empty": not bars,
        "statuses": FINAL_STATUSES,
    }
