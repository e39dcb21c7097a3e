"""Claim a job, run the pipeline, record how it ended.

This is where errors are sorted into "try again later" and "give up": Gerrit
outages, rate limits, timeouts and malformed answers are retried with backoff
until ``worker.max_attempts``; a 4xx that will not change by waiting ends the job
with its reason (409 "change is closed" is a skip, not a failure). Whatever
happens, the job is never lost: an exception here leaves the job leased, and the
lease expiring makes it claimable again.

Waiting on Gerrit is not a failure of the job: while Gerrit is unreachable or answers
429/502/503/504 the job goes back to pending with capped backoff (at least its
``Retry-After``) and the attempt is given back, so an outage of any length fails nothing.

Besides draining the queue, a worker runs one given job at once for
``security-bot review`` (:meth:`Worker.review_now`, :meth:`Worker.dry_run`): the job
goes through the queue like any other, claimed by its id.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from bot import metrics
from bot.config import WorkerConfig
from bot.gerrit import error as gerrit_error
from bot.gerrit.reporter import PostInFlight
from bot.review.pipeline import LeaseLost, Outcome, ReviewPipeline
from bot.scm import ScmError
from bot.store import UNAVAILABLE, Job, JobKind, JobSpec, JobStatus, Outage, Store

log = logging.getLogger("bot.worker")

# 4xx answers that waiting will not change.
PERMANENT_STATUSES = frozenset({400, 403, 404, 405, 412, 422})
# Answers that say "not now": Gerrit (or its proxy) is throttling, restarting or down.
# Waiting fixes them, so they keep the job pending without using up its attempts.
WAIT_STATUSES = frozenset({408, 429, 502, 503, 504})


def make_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class _LeaseKeeper:
    """Renews a job's lease from a thread while the job runs, whatever stage it is in.

    The pipeline also renews between stages, but one long stage (the first fetch of a big
    project, the analysis of a hostile push) used to outlive the lease: another worker took
    the job over and both started over, for ever. The keeper renews every third of the
    lease; when a renewal finds the job taken over it records that, and the pipeline's next
    heartbeat stops the job (``LeaseLost``) instead of posting.
    """

    def __init__(
        self,
        renew: Callable[[], bool],
        period: float,
        for_at_most: float,
        outage: Outage | None = None,
    ) -> None:
        self._renew = renew
        self._outage = outage
        self._period = max(0.05, period)
        self._until = time.monotonic() + for_at_most
        self._stop = threading.Event()
        self.lost = False
        self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)

    def __enter__(self) -> _LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._period):
            if time.monotonic() > self._until:
                log.warning("a job has run past worker.max_job_seconds: its lease may expire")
                return
            try:
                if not self._renew():
                    self.lost = True
                    return
            except UNAVAILABLE as exc:  # the database went away: the next renewal retries
                if self._outage is not None:
                    self._outage.failed(exc)  # one line per outage, not one per renewal
                else:
                    log.warning("could not renew a job's lease: %s", _one_line(exc))
            except Exception as exc:
                log.warning("could not renew a job's lease: %s", _one_line(exc))


class JobTaken(RuntimeError):
    """The job queued to be run now was claimed by another worker first (a running bot)."""


class Worker:
    """Processes queued jobs one at a time; several may run in threads over one store."""

    def __init__(
        self,
        store: Store,
        pipeline: ReviewPipeline,
        config: WorkerConfig,
        *,
        worker_id: str | None = None,
        on_outcome: Callable[[Job, Outcome], None] | None = None,
        in_flight_delay: float = 60.0,
        on_credentials_rejected: Callable[[], None] | None = None,
        outage: Outage | None = None,
    ) -> None:
        self.store = store
        self.outage = outage or Outage()
        self.pipeline = pipeline
        self.config = config
        self.worker_id = worker_id or make_worker_id()
        self.on_outcome = on_outcome
        # After a review POST timed out, Gerrit may still be applying it: the next attempt
        # waits this long (2 x gerrit.timeout) so that it sees the run marker.
        self.in_flight_delay = in_flight_delay
        self.on_credentials_rejected = on_credentials_rejected
        self._stop = threading.Event()
        self._renewed: dict[int, float] = {}  # job id -> when its lease was last set
        self._waits: dict[int, int] = {}  # job id -> times it waited on Gerrit in a row

    def stop(self) -> None:
        self._stop.set()

    def drain(self, max_jobs: int | None = None) -> int:
        """Process jobs until none is claimable (or ``max_jobs``); return how many ran."""
        done = 0
        while (max_jobs is None or done < max_jobs) and not self._stop.is_set():
            if not self.run_one():
                break
            done += 1
        return done

    def run_one(self) -> bool:
        try:
            job = self.store.claim(
                self.worker_id, self.config.lease_seconds, max_attempts=self.config.max_attempts
            )
        except UNAVAILABLE as exc:  # the database is away: wait for the next tick
            self.outage.failed(exc)
            return False
        if job is None:
            # On PostgreSQL the claim's transaction ran: the database answers. On SQLite it
            # may have been a read only, which says nothing of writes (a writer's lock).
            if self.store.engine.dialect.name != "sqlite":
                self.outage.ok()
            return False
        self.outage.ok()
        self._claimed(job)
        try:
            self.process(job)
        except UNAVAILABLE as exc:  # recording how the job ended met the database away
            self._database_away(job, exc)
        return True

    def review_now(self, spec: JobSpec) -> Job:
        """Queue ``spec`` and process exactly that job now; return the job as it ended.

        The job is claimed by its id, so a backlog queued before it does not hold it up.
        Raises :class:`JobTaken` when a running bot sharing the store claimed it first.
        """
        job = self._enqueue_and_claim(spec)
        self.process(job)
        done = self.store.job(job.id)
        assert done is not None  # jobs are never deleted
        return done

    def dry_run(self, spec: JobSpec) -> Outcome:
        """Queue ``spec`` and review it now without posting; the job is recorded as skipped.

        The outcome carries the rendered review (``rendered``) unless the job was skipped.
        Gerrit and git errors propagate; the job is recorded as skipped either way, so no
        other worker ever posts it.
        """
        job = self._enqueue_and_claim(spec)
        try:
            return self.pipeline.run(job, dry_run=True)
        finally:
            self.store.complete(job.id, self.worker_id, JobStatus.SKIPPED, reason="dry run")

    def _enqueue_and_claim(self, spec: JobSpec) -> Job:
        queued = self.store.enqueue(spec)
        if queued is None:
            raise ValueError(f"a job with key {spec.trigger_key!r} exists already")
        job = self.store.claim_job(
            queued.id,
            self.worker_id,
            self.config.lease_seconds,
            max_attempts=self.config.max_attempts,
        )
        if job is None:
            raise JobTaken(f"job {queued.id} was claimed by another worker first")
        self._claimed(job)
        return job

    def _claimed(self, job: Job) -> None:
        self._renewed = {job.id: time.monotonic()}  # the claim itself set a fresh lease
        log.info(
            "claimed job %s: change %s patch set %s (%s, attempt %s)",
            job.id,
            job.change,
            job.patchset,
            job.kind.value,
            job.attempts,
        )

    def process(self, job: Job) -> None:
        keeper = _LeaseKeeper(
            lambda: self._renew(job),
            self.config.lease_seconds / 3,
            self.config.max_job_seconds,
            self.outage,
        )
        try:
            with keeper:
                outcome = self.pipeline.run(
                    job, heartbeat=lambda: not keeper.lost and self._heartbeat(job)
                )
        except LeaseLost:
            log.warning("job %s: lease lost to another worker; leaving it to them", job.id)
            return
        except UNAVAILABLE as exc:
            self._database_away(job, exc)
            return
        except PostInFlight as exc:
            self._retry(
                job,
                f"review may not have reached Gerrit ({_one_line(exc)})",
                at_least=self.in_flight_delay,
            )
            return
        except gerrit_error.HTTPError as exc:
            self._http_error(job, exc)
            return
        except (gerrit_error.ConnectionError, gerrit_error.Timeout) as exc:
            self._wait(job, f"Gerrit unreachable: {_one_line(exc)}")
            return
        except gerrit_error.GerritClientException as exc:
            self._retry(job, f"unusable answer from Gerrit: {_one_line(exc)}")
            return
        except ScmError as exc:
            self._retry(job, f"git fetch failed: {_one_line(exc)}")
            return
        except Exception as exc:  # a bug: retried, then failed, never lost
            log.exception("job %s: unexpected error", job.id)
            self._retry(job, f"internal error: {type(exc).__name__}: {_one_line(exc)}")
            return
        try:
            self._finish(job, outcome)
        except UNAVAILABLE as exc:  # posted but not recorded: record it once the DB answers
            self._database_away(job, exc, lambda: self._finish(job, outcome))

    def _database_away(
        self, job: Job, exc: BaseException, record: Callable[[], None] | None = None
    ) -> None:
        """Not the job's failure: hold the job until the database answers, then give it back
        uncounted (or ``record`` how it ended, when it was posted but not recorded).

        The worker can do nothing else without the database anyway. Should the worker be
        stopped first, or another worker take the job once its lease ran out, the job is
        theirs: a review already posted is found by its run marker, never posted twice.
        """
        self.outage.failed(exc)
        pause = min(5.0, max(0.5, self.config.idle_sleep))
        while True:
            try:
                if record is not None:
                    record()
                else:
                    self.store.retry_later(
                        job.id, self.worker_id, "database unavailable", 0.0, count_attempt=False
                    )
            except UNAVAILABLE:
                if self._stop.wait(pause):
                    return  # stopping: the lease runs out and the job is claimable again
                continue
            self.outage.ok()
            return

    # -- outcomes -----------------------------------------------------------------------------

    def _finish(self, job: Job, outcome: Outcome) -> None:
        self._waits.pop(job.id, None)
        if (
            outcome.review is not None
            and outcome.review.duration_ms == 0
            and outcome.review.timings
        ):
            outcome.review.duration_ms = sum(outcome.review.timings.values())
        ok = self.store.complete(
            job.id, self.worker_id, outcome.status, reason=outcome.reason, review=outcome.review
        )
        if not ok:
            log.warning("job %s: finished but the lease had moved on; result not recorded", job.id)
            return
        verdict = outcome.review.verdict if outcome.review else ""
        _record_metrics(job, outcome, verdict)
        log.info(
            "job %s: change %s patch set %s %s%s%s",
            job.id,
            job.change,
            job.patchset,
            outcome.status.value,
            f" ({verdict})" if verdict else "",
            f": {outcome.reason}" if outcome.reason else "",
        )
        if self.on_outcome:
            self.on_outcome(job, outcome)

    def _http_error(self, job: Job, exc: gerrit_error.HTTPError) -> None:
        status = getattr(exc, "status_code", None)
        body = (getattr(exc, "body", "") or "").strip().splitlines()
        detail = f"HTTP {status}" + (f" {body[0][:200]}" if body else "")
        if status == 409:
            self._end(job, JobStatus.SKIPPED, f"Gerrit refused the review: {detail}")
        elif status in PERMANENT_STATUSES:
            self._end(job, JobStatus.FAILED, f"Gerrit refused the request: {detail}")
        elif status == 401:
            log.error(
                "Gerrit rejected the bot's credentials (HTTP 401); check the password or token "
                "(tokens expire on Gerrit 3.13+). Job %s will be retried.",
                job.id,
            )
            if self.on_credentials_rejected:
                self.on_credentials_rejected()
            self._retry(job, "credentials rejected by Gerrit (HTTP 401)")
        elif status in WAIT_STATUSES:
            # A proxy's 502/503/504 to the review POST may come after Gerrit applied it: that
            # attempt counts, so the next one looks for the run marker before posting.
            maybe_applied = _method(exc) == "POST" and status not in (408, 429)
            self._wait(
                job,
                f"Gerrit answered {detail}",
                retry_after=_retry_after(exc),
                count_attempt=maybe_applied,
            )
        else:
            self._retry(job, f"Gerrit error: {detail}")

    def _end(self, job: Job, status: JobStatus, reason: str) -> None:
        self._finish(job, Outcome(status, reason))

    def _retry(self, job: Job, reason: str, *, at_least: float = 0.0) -> None:
        if job.attempts >= self.config.max_attempts:
            log.error("job %s: giving up after %s attempts: %s", job.id, job.attempts, reason)
            self._end(job, JobStatus.FAILED, f"gave up after {job.attempts} attempts: {reason}")
            return
        delay = min(self.config.retry_cap, self.config.retry_backoff * 2 ** (job.attempts - 1))
        delay = max(delay * random.uniform(0.5, 1.0), at_least)
        log.warning("job %s: %s; retrying in %.0f s", job.id, reason, delay)
        self.store.retry_later(job.id, self.worker_id, reason, delay)

    def _wait(
        self,
        job: Job,
        reason: str,
        *,
        retry_after: float | None = None,
        count_attempt: bool = False,
    ) -> None:
        """Keep the job pending while Gerrit is unreachable or throttling: capped backoff
        (``worker.retry_backoff`` doubling up to ``worker.retry_cap``), at least what
        ``Retry-After`` asked (up to ``worker.max_retry_after``), and the attempt given back
        so that no outage, however long, fails the job."""
        waits = self._waits.get(job.id, 0) + 1
        self._waits[job.id] = waits
        delay = min(self.config.retry_cap, self.config.retry_backoff * 2 ** (waits - 1))
        delay *= random.uniform(0.5, 1.0)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.config.max_retry_after))
        log.warning(
            "job %s: %s; waiting %.0f s%s",
            job.id,
            reason,
            delay,
            "" if count_attempt else " (not counted as an attempt)",
        )
        self.store.retry_later(job.id, self.worker_id, reason, delay, count_attempt=count_attempt)

    def _heartbeat(self, job: Job) -> bool:
        """Renew the job's lease, unless at least two thirds of it is still left.

        While that much of the lease remains no other worker can have taken the job over
        (and lease_seconds >= 3 x gerrit.timeout leaves room for a POST), so the database
        write is skipped; a fast review then costs no lease writes at all.
        """
        now = time.monotonic()
        renewed = self._renewed.get(job.id)
        if renewed is not None and now - renewed < self.config.lease_seconds / 3:
            return True
        return self._renew(job, now)

    def _renew(self, job: Job, now: float | None = None) -> bool:
        ok = self.store.extend_lease(job.id, self.worker_id, self.config.lease_seconds)
        if ok:
            self._renewed[job.id] = time.monotonic() if now is None else now
        return ok


def _record_metrics(job: Job, outcome: Outcome, verdict: str) -> None:
    """Count the finished job for /metrics; latency is upload-to-posted for new patch sets."""
    review = outcome.review
    latency = None
    if (
        job.kind is JobKind.NEW
        and job.uploaded_at is not None
        and outcome.status in (JobStatus.POSTED, JobStatus.CARRIED)
    ):
        latency = (datetime.now(UTC) - job.uploaded_at).total_seconds()
    findings = [f for f, _ in review.findings] if review else []
    metrics.record_outcome(outcome.status.value, verdict, findings, latency)


def _method(exc: gerrit_error.HTTPError) -> str:
    response = getattr(exc, "response", None)
    request = getattr(response, "request", None)
    return str(getattr(request, "method", "") or "").upper()


def _retry_after(exc: gerrit_error.HTTPError) -> float | None:
    """Seconds asked by the answer's ``Retry-After`` (delta-seconds or an HTTP date)."""
    response = getattr(exc, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
