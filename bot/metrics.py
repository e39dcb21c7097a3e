"""Prometheus metrics of the bot, on a registry of their own.

The worker calls :func:`record_outcome` when a job ends and the Gerrit client
calls :func:`record_gerrit_error` when a request fails; the dashboard serves
:func:`render` at ``/metrics``.  Queue depth and jobs per status are not
counted here but asked from the store at scrape time (:func:`watch_store`),
so they are right even when several bot processes share one database.

All metrics live on :data:`REGISTRY`, not on prometheus-client's global
default registry, so importing this module twice (tests, several apps in one
process) never collides.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from bot.analysis.model import Finding

log = logging.getLogger("bot.metrics")

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

#: Upload-to-posted latency buckets, in seconds (a few seconds up to a day).
LATENCY_BUCKETS = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400)

REVIEWS = Counter(
    "security_bot_reviews",
    "Jobs finished by the worker, by final status and review verdict.",
    ["status", "verdict"],
    registry=REGISTRY,
)
FINDINGS = Counter(
    "security_bot_findings",
    "Findings reported in recorded reviews, by rule and severity.",
    ["rule", "severity"],
    registry=REGISTRY,
)
FAILURES = Counter(
    "security_bot_failures",
    "Jobs that ended failed (given up after retries or refused by Gerrit).",
    registry=REGISTRY,
)
LATENCY = Histogram(
    "security_bot_review_latency_seconds",
    "Time from the patch set's upload to the bot's review being posted.",
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
GERRIT_ERRORS = Counter(
    "security_bot_gerrit_request_errors",
    "Failed requests to Gerrit, by HTTP status (or 'connection' / 'timeout').",
    ["status"],
    registry=REGISTRY,
)

INVALID_RECORDS = Counter(
    "security_bot_invalid_records",
    "Records from Gerrit skipped because they did not validate, by what they were.",
    ["kind"],
    registry=REGISTRY,
)
POLL_TRUNCATED = Counter(
    "security_bot_poll_truncated",
    "Polls that stopped paging at poll.max_pages (the cursor stayed).",
    registry=REGISTRY,
)


def _label(value: object, default: str = "none") -> str:
    text = str(value).strip() if value is not None else ""
    return text[:64] if text else default


def record_outcome(
    status: str,
    verdict: str,
    findings: Sequence[Finding],
    latency_seconds: float | None,
) -> None:
    """Count one finished job.

    ``status`` is the job's final status (posted, carried, skipped, failed),
    ``verdict`` the review's verdict ("" when there is no review),
    ``findings`` the unsuppressed findings of the review and
    ``latency_seconds`` the upload-to-posted time (None when unknown, e.g.
    for rechecks, skipped or failed jobs).
    """
    status = _label(status)
    REVIEWS.labels(status=status, verdict=_label(verdict)).inc()
    if status == "failed":
        FAILURES.inc()
    for finding in findings:
        FINDINGS.labels(rule=_label(finding.rule), severity=_label(finding.severity)).inc()
    if latency_seconds is not None and latency_seconds >= 0:
        LATENCY.observe(latency_seconds)


def record_gerrit_error(status: int | str) -> None:
    """Count one failed Gerrit request: an HTTP status, or a word like "timeout"."""
    GERRIT_ERRORS.labels(status=_label(status, "unknown")).inc()


def record_invalid_record(kind: str) -> None:
    """Count one record from Gerrit that was skipped because it did not validate."""
    INVALID_RECORDS.labels(kind=_label(kind)).inc()


def record_poll_truncated() -> None:
    """Count one poll that stopped paging at its page limit."""
    POLL_TRUNCATED.inc()


class StoreStats(Protocol):
    def pending_count(self) -> int: ...

    def counts(self) -> dict[str, int]: ...


class _StoreCollector(Collector):
    """Asks the watched store for the queue depth and jobs per status at scrape time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._source: Callable[[], StoreStats | None] = lambda: None
        self._store_down = False  # one log line per outage, not one per scrape

    def watch(self, source: Callable[[], StoreStats | None]) -> None:
        with self._lock:
            self._source = source

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())  # values depend on the store: describe nothing, collect at scrape

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self._lock:
            source = self._source
        store = source()
        if store is None:
            return
        up = GaugeMetricFamily("security_bot_store_up", "1 when the store answered the scrape.")
        try:
            pending = store.pending_count()
            counts = store.counts()
        except Exception as exc:  # a scrape must not fail because the database is down
            if not self._store_down:
                log.warning("metrics: the store did not answer: %s", type(exc).__name__)
            self._store_down = True
            up.add_metric([], 0)
            yield up
            return
        if self._store_down:
            log.info("metrics: the store answers again")
        self._store_down = False
        up.add_metric([], 1)
        yield up
        depth = GaugeMetricFamily(
            "security_bot_queue_depth", "Jobs waiting for a worker (pending, retries included)."
        )
        depth.add_metric([], pending)
        yield depth
        jobs = GaugeMetricFamily(
            "security_bot_jobs", "Jobs in the store by status.", labels=["status"]
        )
        for name, number in sorted(counts.items()):
            jobs.add_metric([name], number)
        yield jobs


_STORE_COLLECTOR = _StoreCollector()
REGISTRY.register(_STORE_COLLECTOR)


def watch_store(store: StoreStats | None) -> None:
    """Report ``store``'s queue at every scrape (None stops it)."""
    _STORE_COLLECTOR.watch(lambda: store)


def render() -> bytes:
    """The metrics in Prometheus' text exposition format."""
    return generate_latest(REGISTRY)
