"""The database going away under a running bot (issue 17 #21), on a real PostgreSQL server.

A private cluster (its own data directory and port, see :mod:`bot.demo.pgcluster`) is
started for this module, because the tests stop and restart it. The bot runs as it does
in production: APScheduler with the poll, the recheck poll and two workers, the poller
elected by advisory lock, against the fake Gerrit over real HTTP, with its dashboard
served on loopback. While it works through a stream of uploads the database is (a)
restarted, (b) stopped for 30 s, (c) stopped for 5 minutes, each time with two reviews in
flight (their POST to Gerrit slowed down) and more uploads queued. Each time:

* the log has one warning when the outage starts and one line when it ends, and no
  traceback, no error;
* ``/healthz`` fails with the reason while the database is away, and is green again after;
  the dashboard's pages and API answer 503 with a plain sentence meanwhile;
* no job is marked failed, work resumes by itself, and every patch set has exactly one
  review (none lost, none posted twice);
* the scheduler's jobs are alive afterwards and the poller lock is held again.

And ``security-bot run`` started while the database is down waits for it (one line), then
reviews.

Skipped with the reason only when PostgreSQL's server binaries are missing and ``CI`` is
unset; under CI that is a failure.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.demo import harness as demo_harness
from bot.demo.pgcluster import ClusterUnavailable, PrivateCluster, find_bindir
from bot.service import Service
from fakegerrit import FakeGerrit, Fault
from tests.support import BOT_PASSWORD, PROJECT, bot_reviews, make_harness

pytestmark = pytest.mark.postgres

CLEAN = "def test_ok_{n}():\n    assert {n} == {n}\n"
DEFECTIVE = (
    "import subprocess\n\n\ndef test_shell_{n}(name):\n"
    "    subprocess.call('ls ' + name, shell=True)\n"
)
#: The bot's settings here: a fast poll and short idle sleeps, so a run takes seconds.
SETTINGS: dict[str, dict[str, Any]] = {
    "poll": {"interval": 1.0},
    "worker": {"threads": 2, "idle_sleep": 0.2, "lease_seconds": 15.0},
    "dashboard": {"public_read": True},  # the pages are read during the outage
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    if find_bindir() is None:
        _unavailable("PostgreSQL's initdb/pg_ctl are not installed: no private cluster")
    try:
        built = PrivateCluster()
    except ClusterUnavailable as exc:
        _unavailable(str(exc))
    try:
        built.start()  # a failure to start is a failure, not a skip
        yield built
    finally:
        built.close()


@dataclass
class Run:
    """One bot on a fresh database of the private cluster, its dashboard, and the uploads."""

    cluster: PrivateCluster
    fake: FakeGerrit
    service: Service
    dashboard_url: str
    changes: list[int] = field(default_factory=list)
    uploaded: int = 0

    def upload(self, count: int) -> None:
        for _ in range(count):
            n = self.uploaded
            self.uploaded += 1
            body = (DEFECTIVE if n % 4 == 3 else CLEAN).format(n=n)
            self.changes.append(
                self.fake.create_change(
                    PROJECT, {f"sample/tests/test_outage_{n}.py": body}, f"Outage test {n}"
                )
            )

    def reviews(self) -> dict[int, int]:
        return {change: len(bot_reviews(self.fake, change)) for change in self.changes}

    def healthz(self) -> tuple[int, dict[str, Any]]:
        status, body, _ = self.get("/healthz")
        return status, json.loads(body)

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        try:
            with urllib.request.urlopen(f"{self.dashboard_url}{path}", timeout=20) as answer:
                return answer.status, answer.read().decode(), dict(answer.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), dict(exc.headers)


@pytest.fixture
def run(cluster: PrivateCluster, tmp_path: Path) -> Iterator[Run]:
    if not cluster.running:  # a failed test may have left it stopped
        cluster.start()
    url = cluster.create_database(f"bot_{uuid.uuid4().hex[:12]}")
    with make_harness(tmp_path) as harness:
        config = harness.config(**demo_harness.merge_sections(SETTINGS, {"store": {"url": url}}))
        service = harness.service(config)
        server = demo_harness.serve_dashboard(service, config)
        try:
            yield Run(cluster, harness.fake, service, server.url)
        finally:
            server.stop()
            service.stop()


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)


def _all_reviewed_once(r: Run) -> bool:
    return all(n >= 1 for n in r.reviews().values()) and _queue_empty(r)


def _queue_empty(r: Run) -> bool:
    try:
        counts = r.service.store.counts()
    except Exception:
        return False
    return counts["pending"] == 0 and counts["running"] == 0


def _outage_lines(caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[str]]:
    messages = [rec.getMessage() for rec in caplog.records]
    return (
        [m for m in messages if m.startswith("database unavailable")],
        [m for m in messages if m.startswith("database available again")],
    )


def _through_an_outage(
    run: Run, caplog: pytest.LogCaptureFixture, take_away: Callable[[Run], None]
) -> None:
    """Reviews flowing, the database taken away by ``take_away``, then everything checked."""
    caplog.set_level(logging.INFO)
    run.upload(4)
    run.service.start()
    _wait_for(lambda: _all_reviewed_once(run), 120, "the first reviews")
    assert run.healthz()[0] == 200
    # Two reviews in flight when the database goes away: their POST is slow, so they
    # reach Gerrit while the database is away and are recorded only when it is back.
    run.fake.add_fault(Fault("delay", delay=3.0, path=r"/review$", method="POST", times=2))
    run.upload(3)
    _wait_for(lambda: run.service.store.counts()["running"] == 2, 60, "two jobs in flight")
    take_away(run)
    run.upload(3)  # uploaded after: picked up once the database is back
    _wait_for(lambda: _all_reviewed_once(run), 180, "every patch set reviewed after the outage")
    _wait_for(lambda: run.healthz()[0] == 200, 60, "/healthz green again")

    reviews = run.reviews()
    assert len(reviews) == 10
    assert {c: n for c, n in reviews.items() if n != 1} == {}, "lost or duplicated reviews"
    counts = run.service.store.counts()
    assert counts["failed"] == 0 and counts["posted"] == 10, counts
    assert run.service.scheduler_alive
    scheduler = run.service.scheduler
    assert scheduler is not None
    jobs = {job.id for job in scheduler.get_jobs()}
    assert {"poll", "recheck-poll", "worker-0", "worker-1"} <= jobs  # no scheduler job died
    assert run.service.election is not None
    _wait_for(run.service.election.is_leader, 30, "the poller lock taken again")
    tracebacks = [rec for rec in caplog.records if rec.exc_info or rec.levelno >= logging.ERROR]
    assert tracebacks == [], [rec.getMessage() for rec in tracebacks]


def _stopped_for(seconds: float) -> Callable[[Run], None]:
    def take_away(run: Run) -> None:
        run.cluster.stop("fast")
        started = time.monotonic()
        # /healthz fails, with the reason, while the database is away.
        _wait_for(
            lambda: "down_seconds" in run.healthz()[1]["checks"]["store"],
            min(seconds, 60),
            "/healthz to report the bot's outage",
        )
        status, body = run.healthz()
        assert status == 503 and "store" in body["failing"]
        detail = body["checks"]["store"]["detail"]
        assert "database" in detail and "none is marked failed" in detail, detail
        assert "127.0.0.1" not in json.dumps(body)  # a reason, not the driver's message
        assert run.service.health.database_down_since is not None
        # The pages and the API say so too: 503, a plain sentence, no traceback in the log.
        for path in ("/", "/api/changes"):
            status, text, headers = run.get(path)
            assert status == 503 and "not answering" in text and headers["Retry-After"], path
            assert "127.0.0.1" not in text and "Traceback" not in text
        for _ in range(3):  # scraped as Prometheus would: answered, the store reported down
            status, text, _ = run.get("/metrics")
            assert status == 200 and "security_bot_store_up 0.0" in text
        remaining = seconds - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        status, body = run.healthz()
        assert status == 503 and body["checks"]["store"]["down_seconds"] >= seconds - 5
        run.cluster.start()

    return take_away


def test_a_postgresql_restart_mid_run_loses_and_duplicates_nothing(
    run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    _through_an_outage(run, caplog, lambda r: r.cluster.restart("fast"))
    away, back = _outage_lines(caplog)
    # A restart may be too short for any tick to meet it; if one did, it is one line each.
    assert len(away) <= 1 and len(back) == len(away), (away, back)
    assert run.service.health.database_down_since is None


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_postgresql_stopped_for_30_seconds_is_one_log_line_and_a_failing_healthz(
    run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    _through_an_outage(run, caplog, _stopped_for(30))
    away, back = _outage_lines(caplog)
    assert len(away) == 1 and len(back) == 1, (away, back)
    assert "nothing is marked failed" in away[0]
    assert run.service.health.database_down_since is None
    scrapes = [m for m in caplog.messages if m.startswith("metrics: the store did not answer")]
    assert len(scrapes) == 1  # three scrapes in the outage, one line
    assert "security_bot_store_up 1.0" in run.get("/metrics")[1]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_postgresql_stopped_for_5_minutes_is_one_log_line_and_work_resumes(
    run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    # Longer than the lease (15 s), the poll's health limit and the retry backoff cap:
    # leases of jobs in flight run out meanwhile, and the poll check fails too.
    _through_an_outage(run, caplog, _stopped_for(300))
    away, back = _outage_lines(caplog)
    assert len(away) == 1 and len(back) == 1, (away, back)
    assert back[0].startswith("database available again after 3")  # 300-odd seconds


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_bot_started_while_postgresql_is_down_waits_for_it_then_reviews(
    cluster: PrivateCluster, tmp_path: Path
) -> None:
    """``security-bot run``, as deployed (environment only), started before its database."""
    if not cluster.running:
        cluster.start()
    url = cluster.create_database(f"bot_{uuid.uuid4().hex[:12]}")
    with make_harness(tmp_path / "h") as harness:
        change = harness.fake.create_change(
            PROJECT, {"sample/tests/test_late.py": CLEAN.format(n=1)}, "Late database"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("SECURITY_BOT_")}
        env.update(
            {
                "SECURITY_BOT_GERRIT__URL": harness.fake.url,
                "SECURITY_BOT_GERRIT__USERNAME": demo_harness.BOT_USER,
                "SECURITY_BOT_GERRIT_PASSWORD": BOT_PASSWORD,
                "SECURITY_BOT_STORE__URL": url,
                "SECURITY_BOT_SCM__CACHE_DIR": str(tmp_path / "mirrors"),
                "SECURITY_BOT_POLL__INTERVAL": "1",
                "SECURITY_BOT_WORKER__IDLE_SLEEP": "0.2",
                "SECURITY_BOT_DASHBOARD__ENABLED": "false",
            }
        )
        logfile = tmp_path / "bot.log"
        cluster.stop("fast")
        with logfile.open("wb") as out:
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"], env=env, stdout=out,
                stderr=subprocess.STDOUT, cwd=tmp_path,
            )  # fmt: skip
        try:
            _wait_for(
                lambda: "database unavailable" in logfile.read_text(), 120, "the waiting line"
            )
            time.sleep(3)
            assert bot.poll() is None, logfile.read_text()[-3000:]  # waiting, not exited
            cluster.start()
            _wait_for(
                lambda: len(bot_reviews(harness.fake, change)) == 1, 120, "the review"
            )
        finally:
            bot.terminate()
            bot.wait(timeout=60)
            if not cluster.running:
                cluster.start()
    text = logfile.read_text()
    assert text.count("database unavailable") == 1 and text.count("available again") == 1
    assert "Traceback" not in text
    assert len(bot_reviews(harness.fake, change)) == 1
