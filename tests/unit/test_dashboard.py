"""The dashboard over a real SQLite store filled through the Store API, via Flask's test client."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.analysis import analyze_source
from bot.config import Config, DashboardConfig, GerritConfig, PollConfig, Secret
from bot.dashboard import create_app, data
from bot.store import JobKind, JobSpec, JobStatus, ReviewRecord, Store
from bot.store import queries as q

TOKEN = "admin-token-\u00e9-1234567890"
GERRIT = "https://review.example.org"
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"

SOURCE = (
    "import subprocess\n"
    "from unittest import mock\n\n\n"
    "def test_x():\n"
    "    m = mock.Mock()\n"
    "    m.called_once_with(1)\n"
    "    subprocess.check_output(\"ls %s\" % 'x', shell=True)\n"
    '    subprocess.call("ls", shell=True)  # nosec\n'
)
HOSTILE_PATH = "pkg/tests/<b>test_a</b>.py"


SECRET_KEY = "unit-test-cookie-signing-key-not-the-token"


def make_config(*, public_read: bool = False, token: str = TOKEN) -> Config:
    return Config(
        gerrit=GerritConfig(url=GERRIT),
        poll=PollConfig(interval=60.0),
        dashboard=DashboardConfig(
            public_read=public_read, admin_token=Secret(token), secret_key=Secret(SECRET_KEY)
        ),
    )


def spec(change: int, ps: int = 1, **kw: Any) -> JobSpec:
    values: dict[str, Any] = {
        "trigger_key": f"ps:openstack/nova:{change}:{ps}",
        "kind": JobKind.NEW,
        "project": "openstack/nova",
        "change": change,
        "patchset": ps,
        "revision": f"{change:040x}",
        "subject": f"Change number {change}",
        "owner": "alice",
        "branch": "master",
        "uploaded_at": datetime.now(UTC) - timedelta(seconds=30),
    }
    values.update(kw)
    return JobSpec(**values)


def finish(
    store: Store, job_spec: JobSpec, status: JobStatus, review: ReviewRecord | None = None
) -> int:
    job = store.enqueue(job_spec)
    assert job is not None
    claimed = store.claim("w1", 60)
    assert claimed is not None and claimed.id == job.id
    assert store.complete(job.id, "w1", status, reason="" if review else "test", review=review)
    return job.id


def defects_review() -> ReviewRecord:
    result = analyze_source(HOSTILE_PATH, SOURCE)
    assert result.findings and result.suppressed
    return ReviewRecord(
        verdict="defects",
        message=f"Defects found in {HOSTILE_SCRIPT}\nCWE-88 …",
        comments={HOSTILE_PATH: [{"line": 7, "message": f"inline {HOSTILE_IMG}"}]},
        files_analysed=1,
        lines_changed=9,
        rules_run=5,
        duration_ms=123.0,
        timings={"fetch": 50.0, "analyse": 73.0},
        findings=[(f, True) for f in result.findings],
        suppressed=list(result.suppressed),
    )


class Filled:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.clean = finish(
            store,
            spec(101, subject="Add unit tests", owner="alice"),
            JobStatus.POSTED,
            ReviewRecord(verdict="clean", message="No security defects are detected in the code."),
        )
        self.defects = finish(
            store,
            spec(102, subject=HOSTILE_SCRIPT, owner=HOSTILE_IMG),
            JobStatus.POSTED,
            defects_review(),
        )
        self.skipped = store.enqueue(
            spec(103, subject="Docs only", status=JobStatus.SKIPPED, reason="no test code")
        ).id  # type: ignore[union-attr]
        self.failed = finish(
            store, spec(104, project="openstack/neutron", subject="Broken"), JobStatus.FAILED
        )
        self.recheck = finish(
            store,
            spec(
                101,
                trigger_key="recheck:101:abc",
                kind=JobKind.RECHECK,
                requested_by="bob",
                subject="Add unit tests",
            ),
            JobStatus.POSTED,
            ReviewRecord(verdict="clean", message="No security defects are detected in the code."),
        )
        self.pending = store.enqueue(spec(105, subject="Waiting")).id  # type: ignore[union-attr]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    yield s
    s.close()


@pytest.fixture
def filled(store: Store) -> Filled:
    return Filled(store)


@pytest.fixture
def make_client(store: Store) -> Callable[..., Any]:
    def factory(*, public_read: bool = False, health: Any = None, token: str = TOKEN) -> Any:
        app = create_app(store, make_config(public_read=public_read, token=token), health=health)
        app.testing = True
        return app.test_client()

    return factory


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def login(client: Any, token: str = TOKEN, name: str = "Ops Olga") -> Any:
    page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login", data={"csrf_token": csrf_of(page), "token": token, "name": name, "next": "/"}
    )


@pytest.fixture
def admin(make_client: Callable[..., Any], filled: Filled) -> Any:
    client = make_client()
    assert login(client).status_code == 303
    return client


# -- pages and API ----------------------------------------------------------------------------


def test_every_page_and_api_route_answers_for_the_admin(admin: Any, filled: Filled) -> None:
    for path in (
        "/",
        "/changes",
        f"/changes/{filled.defects}",
        "/rules",
        "/api/overview",
        "/api/changes",
        f"/api/changes/{filled.defects}",
        "/api/rules",
        "/static/dashboard.css",
        "/static/dashboard.js",
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
    assert admin.get("/changes/9999").status_code == 404
    assert admin.get("/api/changes/9999").get_json()["status"] == 404


def test_overview_counts_verdicts_findings_latency_throughput(admin: Any, filled: Filled) -> None:
    view = admin.get("/api/overview").get_json()
    assert view["counts"] == {
        "reviewed": 3,
        "posted": 3,
        "carried": 0,
        "skipped": 1,
        "failed": 1,
        "queued": 1,
        "pending": 1,
        "running": 0,
    }
    assert view["verdicts"] == {"clean": 2, "defects": 1}
    rules = {r["rule"]: r for r in view["findings_by_rule"]}
    assert rules["shell-injection"]["hits"] == 1 and rules["shell-injection"]["suppressed"] == 1
    assert rules["mock-nonexistent-assertion"]["hits"] == 1
    assert sum(p["count"] for p in view["findings_by_pillar"]) >= 2
    assert all(p["cwe"].startswith("CWE-") for p in view["findings_by_pillar"])
    assert view["latency"]["count"] == 2  # new uploads with a review; the recheck is not
    assert 25 <= view["latency"]["p50_seconds"] <= 120
    assert len(view["throughput"]) == 24
    assert sum(b["total"] for b in view["throughput"]) == 5
    assert view["throughput"][-1]["posted"] == 3
    html = admin.get("/").get_data(as_text=True)
    assert 'id="throughput-chart"' in html and 'class="bar posted"' in html


def test_changes_filters_sorting_and_paging(admin: Any, filled: Filled) -> None:
    def items(query: str) -> list[dict[str, Any]]:
        return admin.get(f"/api/changes?{query}").get_json()["items"]

    assert len(items("")) == 6
    assert [i["change"] for i in items("project=openstack/neutron")] == [104]
    assert {i["change"] for i in items("verdict=clean")} == {101}
    assert [i["change"] for i in items("verdict=none&status=skipped")] == [103]
    assert [i["change"] for i in items("status=failed")] == [104]
    assert [i["change"] for i in items("q=docs")] == [103]
    assert [i["change"] for i in items("q=102")] == [102]
    assert items("q=%25") == []  # LIKE wildcards are searched literally
    assert [i["change"] for i in items("sort=change&dir=asc")][:2] == [101, 101]
    by_findings = items("sort=findings&dir=desc")
    assert by_findings[0]["change"] == 102 and by_findings[-1]["finding_count"] is None
    page1 = admin.get("/api/changes?per_page=4&sort=change&dir=asc").get_json()
    page2 = admin.get(
        f"/api/changes?per_page=4&sort=change&dir=asc&page=2&after={page1['next']}"
    ).get_json()
    assert (page1["total"], page1["pages"], len(page1["items"]), len(page2["items"])) == (
        6,
        2,
        4,
        2,
    )
    assert {i["job_id"] for i in page1["items"]}.isdisjoint(i["job_id"] for i in page2["items"])
    recheck = next(i for i in items("") if i["job_id"] == filled.recheck)
    assert recheck["trigger"] == "recheck by bob"
    first = next(i for i in items("") if i["job_id"] == filled.clean)
    assert first["trigger"] == "new upload"
    assert first["gerrit_url"] == f"{GERRIT}/c/openstack/nova/+/101/1"
    html = admin.get("/changes?status=failed").get_data(as_text=True)
    assert "Broken" in html and "Add unit tests" not in html
    html = admin.get("/changes?per_page=2").get_data(as_text=True)
    assert "page 1 of 3" in html and 'rel="next"' in html
    assert f'href="{GERRIT}/c/openstack/nova/+/101/1"' in html
    # nonsense arguments fall back to defaults instead of failing
    assert admin.get("/api/changes?page=x&per_page=-3&sort=evil&status=bogus").status_code == 200


def test_detail_shows_findings_code_posted_message_history_and_suppressed(
    admin: Any, filled: Filled
) -> None:
    view = admin.get(f"/api/changes/{filled.defects}").get_json()
    assert {f["rule"] for f in view["findings"]} >= {
        "mock-nonexistent-assertion",
        "shell-injection",
    }
    assert [f["rule"] for f in view["suppressed"]] == ["shell-injection"]
    assert view["suppressed"][0]["nosec_comment"] == "# nosec"
    assert any("called_once_with" in f["code"] for f in view["findings"])
    assert [e["event"] for e in view["events"]] == ["enqueued", "claimed", "posted"]
    assert view["review"]["message"].startswith("Defects found in")
    html = admin.get(f"/changes/{filled.defects}").get_data(as_text=True)
    assert "m.called_once_with(1)" in html
    assert "Suppressed findings" in html and "# nosec" in html
    assert 'id="rerun"' in html and 'id="retry"' not in html
    failed = admin.get(f"/changes/{filled.failed}").get_data(as_text=True)
    assert 'id="retry"' in failed


def test_rules_catalogue_has_hit_and_suppression_counts(admin: Any, filled: Filled) -> None:
    from bot.analysis import all_rules

    view = admin.get("/api/rules").get_json()
    by_id = {r["id"]: r for r in view["rules"]}
    assert set(by_id) >= {r.id for r in all_rules()}
    assert (by_id["shell-injection"]["hits"], by_id["shell-injection"]["suppressed"]) == (1, 1)
    assert by_id["shell-injection"]["pillars"]
    assert "shell-injection" in admin.get("/rules").get_data(as_text=True)


# -- escaping ---------------------------------------------------------------------------------


def test_hostile_values_are_escaped_in_html_and_json(admin: Any, filled: Filled) -> None:
    for path in ("/changes", f"/changes/{filled.defects}", "/changes?q=script"):
        html = admin.get(path).get_data(as_text=True)
        assert HOSTILE_SCRIPT not in html and HOSTILE_IMG not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, path
    detail_html = admin.get(f"/changes/{filled.defects}").get_data(as_text=True)
    assert "<b>test_a</b>" not in detail_html and "&lt;b&gt;test_a&lt;/b&gt;" in detail_html
    for path in ("/api/changes", f"/api/changes/{filled.defects}"):
        response = admin.get(path)
        raw = response.get_data(as_text=True)
        assert response.mimetype == "application/json"
        assert "<" not in raw and ">" not in raw, path
        assert HOSTILE_SCRIPT in json.dumps(response.get_json())  # same values once decoded
    item = next(
        i for i in admin.get("/api/changes").get_json()["items"] if i["job_id"] == filled.defects
    )
    assert (item["subject"], item["owner"]) == (HOSTILE_SCRIPT, HOSTILE_IMG)


# -- auth and CSRF ----------------------------------------------------------------------------


def test_reading_is_closed_by_default(make_client: Callable[..., Any], filled: Filled) -> None:
    client = make_client()
    for path in ("/", "/changes", f"/changes/{filled.clean}", "/rules"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for path in ("/api/overview", "/api/changes", f"/api/changes/{filled.clean}", "/api/rules"):
        assert client.get(path).status_code == 401, path
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_public_read_opens_reading_but_not_actions(
    make_client: Callable[..., Any], filled: Filled, store: Store
) -> None:
    client = make_client(public_read=True)
    assert client.get("/changes").status_code == 200
    assert client.get("/api/changes").status_code == 200
    html = client.get(f"/changes/{filled.defects}").get_data(as_text=True)
    assert 'id="rerun"' not in html and "Log in as administrator" in html
    before = store.job_count()
    response = client.post(f"/changes/{filled.defects}/rerun", data={"csrf_token": "x"})
    assert response.status_code in (401, 403)
    assert client.post(f"/api/changes/{filled.failed}/retry").status_code in (401, 403)
    assert store.job_count() == before
    assert store.job(filled.failed).status is JobStatus.FAILED  # type: ignore[union-attr]


def test_login_with_a_wrong_token_fails_and_the_token_never_shows(
    make_client: Callable[..., Any], filled: Filled, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client()
    response = login(client, token="wrong")
    assert response.status_code == 401
    assert client.get("/api/changes").status_code == 401
    assert login(client).status_code == 303
    cookie = client.get_cookie("security_bot_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    for path in ("/", "/changes", f"/changes/{filled.defects}", "/rules", "/api/overview"):
        assert TOKEN not in client.get(path).get_data(as_text=True)
    assert TOKEN not in caplog.text
    assert TOKEN not in cookie.value


def test_login_refuses_a_missing_csrf_token_and_an_open_redirect(
    make_client: Callable[..., Any], filled: Filled
) -> None:
    client = make_client()
    assert client.post("/login", data={"token": TOKEN}).status_code == 403
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login", data={"csrf_token": csrf_of(page), "token": TOKEN, "next": "//evil.example/x"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_no_token_configured_means_nobody_logs_in(
    make_client: Callable[..., Any], filled: Filled
) -> None:
    client = make_client(token="")
    assert login(client, token="").status_code == 401
    assert client.get("/api/changes").status_code == 401


def test_actions_refuse_a_missing_or_wrong_csrf_token(
    admin: Any, filled: Filled, store: Store
) -> None:
    before = store.job_count()
    assert admin.post(f"/changes/{filled.defects}/rerun").status_code == 403
    assert (
        admin.post(f"/changes/{filled.defects}/rerun", data={"csrf_token": "forged"}).status_code
        == 403
    )
    assert admin.post(f"/api/changes/{filled.failed}/retry").status_code == 403
    html = admin.get(f"/changes/{filled.defects}").get_data(as_text=True)
    response = admin.post(
        f"/changes/{filled.defects}/rerun",
        data={"csrf_token": csrf_of(html)},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert store.job_count() == before


def test_rerun_enqueues_exactly_one_rerun_job(admin: Any, filled: Filled, store: Store) -> None:
    original = store.job(filled.defects)
    assert original is not None
    html = admin.get(f"/changes/{filled.defects}").get_data(as_text=True)
    before = store.job_count()
    response = admin.post(f"/changes/{filled.defects}/rerun", data={"csrf_token": csrf_of(html)})
    assert response.status_code == 303
    assert store.job_count() == before + 1
    reruns = [j for j in store.jobs(change=102) if j.kind is JobKind.RERUN]
    assert len(reruns) == 1
    job = reruns[0]
    assert job.status is JobStatus.PENDING and job.trigger_key.startswith("rerun:")
    assert job.requested_by == "Ops Olga"
    assert (job.project, job.patchset, job.revision, job.subject) == (
        original.project,
        original.patchset,
        original.revision,
        original.subject,
    )
    assert response.headers["Location"].endswith(f"/changes/{job.id}")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "queued" in page and "re-run by Ops Olga" in page


def test_retry_requeues_a_failed_job(admin: Any, filled: Filled, store: Store) -> None:
    html = admin.get(f"/changes/{filled.failed}").get_data(as_text=True)
    response = admin.post(f"/changes/{filled.failed}/retry", data={"csrf_token": csrf_of(html)})
    assert response.status_code == 303
    job = store.job(filled.failed)
    assert job is not None and job.status is JobStatus.PENDING and job.attempts <= 1
    assert store.events(filled.failed)[-1].event == "requeued"
    # a posted job cannot be retried
    response = admin.post(f"/changes/{filled.clean}/retry", data={"csrf_token": csrf_of(html)})
    assert response.status_code == 409


def test_api_actions_with_bearer_token_need_no_csrf(
    make_client: Callable[..., Any], filled: Filled, store: Store
) -> None:
    client = make_client()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/changes", headers=headers).status_code == 200
    response = client.post(f"/api/changes/{filled.failed}/retry", headers=headers)
    assert response.status_code == 202 and response.get_json()["job_id"] == filled.failed
    response = client.post(f"/api/changes/{filled.clean}/rerun", headers=headers)
    assert response.status_code == 202
    new = store.job(response.get_json()["job_id"])
    assert new is not None and new.kind is JobKind.RERUN and new.requested_by == "dashboard"
    bad = {"Authorization": "Bearer nope"}
    assert client.post(f"/api/changes/{filled.clean}/rerun", headers=bad).status_code in (401, 403)


# -- headers, health, metrics -----------------------------------------------------------------


def test_security_headers_on_every_answer(admin: Any, filled: Filled) -> None:
    for path in ("/", "/changes", "/api/changes", "/healthz", "/login", "/static/dashboard.css"):
        headers = admin.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"]


def test_templates_have_no_inline_script_or_style(admin: Any, filled: Filled) -> None:
    for path in ("/", "/changes", f"/changes/{filled.defects}", "/rules", "/login"):
        html = admin.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all("src=" in s for s in scripts), path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"<[^>]*\son[a-z]+=", html), path


def health(**kw: Any) -> Callable[[], dict[str, Any]]:
    now = datetime.now(UTC)
    values = {
        "started_at": now - timedelta(hours=1),
        "last_poll_ok": now - timedelta(seconds=10),
        "last_poll_error": "",
        "gerrit_version": "3.10.1",
        "credentials_ok": True,
        "scheduler_alive": True,
    }
    values.update(kw)
    return lambda: values


def test_healthz_ok(make_client: Callable[..., Any], filled: Filled) -> None:
    response = make_client(health=health()).get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and set(body["checks"]) == {"store", "scheduler", "poll"}
    assert make_client().get("/healthz").status_code == 200  # no bot: only the store


@pytest.mark.parametrize(
    ("values", "failing"),
    [
        ({"scheduler_alive": False}, "scheduler"),
        ({"last_poll_ok": datetime.now(UTC) - timedelta(seconds=3 * 60 + 61)}, "poll"),
        (
            {"last_poll_ok": None, "started_at": datetime.now(UTC) - timedelta(hours=1)},
            "poll",
        ),
    ],
)
def test_healthz_503_names_the_failing_check(
    make_client: Callable[..., Any], filled: Filled, values: dict[str, Any], failing: str
) -> None:
    response = make_client(health=health(**values)).get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == [failing]


def test_healthz_503_when_the_store_is_unreachable(store: Store) -> None:
    app = create_app(store, make_config(), health=health())
    store.engine.dispose()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE poll_cursors")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["failing"] == ["store"]


def test_healthz_of_a_standby_process_does_not_depend_on_polling(
    make_client: Callable[..., Any], filled: Filled
) -> None:
    # Another process is the elected poller: this one never polls, and stays healthy.
    old = datetime.now(UTC) - timedelta(hours=1)
    client = make_client(health=health(last_poll_ok=None, started_at=old, polling=False))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "standby" in response.get_json()["checks"]["poll"]["detail"]


def test_healthz_gives_a_grace_period_at_start_up(
    make_client: Callable[..., Any], filled: Filled
) -> None:
    client = make_client(health=health(last_poll_ok=None, started_at=datetime.now(UTC)))
    assert client.get("/healthz").status_code == 200


def test_overview_shows_current_errors_from_health(
    make_client: Callable[..., Any], filled: Filled
) -> None:
    client = make_client(
        public_read=True,
        health=health(credentials_ok=False, last_poll_error="Gerrit answered HTTP 401"),
    )
    view = client.get("/api/overview").get_json()
    assert any("credentials" in e for e in view["errors"])
    assert any("HTTP 401" in e for e in view["errors"])
    html = client.get("/").get_data(as_text=True)
    assert "rejected" in html and "3.10.1" in html


def test_metrics_endpoint_lists_the_metric_names(
    make_client: Callable[..., Any], filled: Filled
) -> None:
    from bot import metrics

    result = analyze_source("pkg/tests/test_a.py", SOURCE)
    metrics.record_outcome("posted", "defects", result.findings, 12.5)
    metrics.record_outcome("failed", "", [], None)
    metrics.record_gerrit_error(503)
    metrics.record_gerrit_error("timeout")
    response = make_client().get("/metrics")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    for name in (
        "security_bot_reviews_total",
        "security_bot_findings_total",
        "security_bot_failures_total",
        "security_bot_review_latency_seconds_bucket",
        "security_bot_gerrit_request_errors_total",
        "security_bot_queue_depth",
        "security_bot_jobs",
        "security_bot_store_up 1.0",
    ):
        assert name in text, name
    assert 'security_bot_gerrit_request_errors_total{status="503"}' in text
    assert "security_bot_queue_depth 1.0" in text


# -- pure helpers -----------------------------------------------------------------------------


def test_percentile_interpolates() -> None:
    assert q.percentile([], 0.5) is None
    assert q.percentile([4.0], 0.95) == 4.0
    assert q.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert q.percentile([float(i) for i in range(101)], 0.95) == pytest.approx(95.0)


def test_gerrit_link_quotes_the_project() -> None:
    config = make_config()
    assert data.gerrit_link(config, "openstack/nova", 5, 2) == f"{GERRIT}/c/openstack/nova/+/5/2"
    assert data.gerrit_link(config, "a b?", 5, 2) == f"{GERRIT}/c/a%20b%3F/+/5/2"
    assert data.gerrit_link(Config(), "x", 1, 1) is None


def test_every_public_endpoint_exists(store: Store) -> None:
    from bot.dashboard.auth import PUBLIC_ENDPOINTS

    app = create_app(store, make_config())
    assert set(app.view_functions) >= PUBLIC_ENDPOINTS


def test_the_wsgi_server_settings_come_from_the_configuration() -> None:
    from bot.config import ConfigError, build_config

    assert (DashboardConfig().threads, DashboardConfig().channel_timeout) == (8, 60)
    env = {"SECURITY_BOT_DASHBOARD__THREADS": "4", "SECURITY_BOT_DASHBOARD__CHANNEL_TIMEOUT": "30"}
    config = build_config({}, env=env)
    assert (config.dashboard.threads, config.dashboard.channel_timeout) == (4, 30)
    for key in ("threads", "channel_timeout"):
        with pytest.raises(ConfigError, match=f"dashboard.{key}: must be greater than zero"):
            build_config({"dashboard": {key: 0}}, env={})
