"""The store: jobs with leases, reviews, findings and poll cursors.

Every public method runs its own short transaction on a pooled connection,
so one :class:`Store` is shared by the poller, all worker threads and the
dashboard.  Writes on SQLite begin with ``BEGIN IMMEDIATE`` (they wait for
the write lock up to the busy timeout instead of failing half-way); on
PostgreSQL a claim locks its candidate row with ``FOR UPDATE SKIP LOCKED``,
so several bot processes can share one database.  Either way the state
change itself is a conditional ``UPDATE`` whose row count says whether it
won, so a job is claimed, extended or completed by one worker only.

Why a queue of our own rather than a task-queue library (Celery, RQ, APScheduler's job
stores): the queue row *is* the bot's record of the patch set. Claiming it, renewing its
lease, and recording the review, its findings and the job's final state happen in one
transaction on the same tables the dashboard reads, on SQLite (one file, no broker) and on
PostgreSQL (several processes). That is what makes posting exactly-once and loses nothing
when a process dies; a broker would put a second source of truth beside the database.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Insert,
    Table,
    and_,
    case,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, CursorResult, RowMapping
from sqlalchemy.exc import IntegrityError

from bot.analysis.model import Finding, Severity
from bot.store import migrate as migrations
from bot.store.db import DEFAULT_URL, IMMEDIATE, create_engine, normalise_url
from bot.store.records import (
    FindingRow,
    Job,
    JobEvent,
    JobKind,
    JobSpec,
    JobStatus,
    ReviewRecord,
    ReviewRow,
)
from bot.store.schema import (
    FindingModel,
    JobEventModel,
    JobModel,
    PollCursorModel,
    ReviewModel,
    to_utc,
)

JOBS = cast(Table, JobModel.__table__)
EVENTS = cast(Table, JobEventModel.__table__)
REVIEWS = cast(Table, ReviewModel.__table__)
FINDINGS = cast(Table, FindingModel.__table__)
CURSORS = cast(Table, PollCursorModel.__table__)

_FINAL = (JobStatus.POSTED, JobStatus.CARRIED, JobStatus.SKIPPED, JobStatus.FAILED)
_REQUEUEABLE = (JobStatus.FAILED.value, JobStatus.SKIPPED.value)
log = logging.getLogger(__name__)

# A claim that loses a race (another worker updated the row between our
# SELECT and UPDATE) simply tries the next candidate, a bounded number of times.
_CLAIM_TRIES = 8


def _utc(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else to_utc(now)


def _opt_utc(value: datetime | None) -> datetime | None:
    return None if value is None else to_utc(value)


class Store:
    """The bot's single source of truth (see the module docstring)."""

    def __init__(self, url: str | URL = DEFAULT_URL, *, migrate: bool = True) -> None:
        self.url = normalise_url(url)
        self.engine: Engine = create_engine(self.url)
        self._dialect = self.engine.dialect.name
        if migrate:
            try:
                migrations.upgrade(self.engine)
            except BaseException:
                self.engine.dispose()
                raise

    # -- lifecycle ----------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite); commits on success."""
        with (
            self.engine.connect().execution_options(**{IMMEDIATE: True}) as conn,
            conn.begin(),
        ):
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # -- jobs: writing ------------------------------------------------------

    def enqueue(self, spec: JobSpec, *, now: datetime | None = None) -> Job | None:
        """Add a job; None when a job with the same ``trigger_key`` exists already.

        Duplicate detection relies on the unique constraint (an
        ``INSERT … ON CONFLICT DO NOTHING``), so concurrent pollers cannot both
        insert.  A spec with a final status (e.g. SKIPPED) is recorded as
        finished right away.
        """
        if spec.status is JobStatus.RUNNING:
            raise ValueError("a job cannot be enqueued as running; claim it instead")
        at = _utc(now)
        status = JobStatus(spec.status)
        values: dict[str, Any] = {
            "trigger_key": spec.trigger_key,
            "kind": JobKind(spec.kind).value,
            "project": spec.project,
            "change": int(spec.change),
            "patchset": int(spec.patchset),
            "revision": spec.revision,
            "subject": spec.subject,
            "owner": spec.owner,
            "branch": spec.branch,
            "requested_by": spec.requested_by,
            "status": status.value,
            "reason": spec.reason,
            "reply": spec.reply,
            "attempts": 0,
            "run_marker": uuid.uuid4().hex,
            "lease_owner": None,
            "lease_expires": None,
            "not_before": None,
            "created_at": at,
            "updated_at": at,
            "uploaded_at": _opt_utc(spec.uploaded_at),
            "finished_at": at if status in _FINAL else None,
        }
        with self._write() as conn:
            job_id = self._insert_job(conn, values)
            if job_id is None:
                return None
            event = "enqueued" if status is JobStatus.PENDING else f"recorded-{status.value}"
            detail = spec.reason or f"kind={values['kind']}"
            if spec.requested_by:
                detail += f" requested_by={spec.requested_by}"
            self._event(conn, job_id, event, detail, at)
            return self._job_in(conn, job_id)

    def _insert_job(self, conn: Connection, values: dict[str, Any]) -> int | None:
        stmt: Insert
        if self._dialect == "postgresql":
            stmt = (
                pg_dialect.insert(JOBS)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["trigger_key"])
                .returning(JOBS.c.id)
            )
        elif self._dialect == "sqlite":
            stmt = (
                sqlite_dialect.insert(JOBS)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["trigger_key"])
                .returning(JOBS.c.id)
            )
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            try:
                with conn.begin_nested():
                    result = conn.execute(insert(JOBS).values(**values))
            except IntegrityError:
                return None
            return _inserted_id(result)
        job_id = conn.execute(stmt).scalar_one_or_none()
        return None if job_id is None else int(job_id)

    def claim(
        self,
        worker_id: str,
        lease_seconds: float,
        *,
        max_attempts: int | None = None,
        now: datetime | None = None,
    ) -> Job | None:
        """Take the oldest claimable job for ``worker_id``, or None when there is none.

        Claimable: PENDING and due (``not_before`` unset or reached), or
        RUNNING with an expired lease (its worker died).  The job becomes
        RUNNING with a fresh lease and one more attempt.

        ``max_attempts`` is enforced here, whoever held the job: a job whose lease ran
        out after its last allowed attempt (a worker killed, or a job that outlives its
        lease every time) is marked FAILED instead of being claimed again, so no job
        loops forever between workers.
        """
        at = _utc(now)
        claimable = self._claimable(at)
        if self._dialect == "sqlite" and not self._any_claimable(claimable):
            # Idle workers poll often; checking first under a plain read keeps
            # them from taking SQLite's single write lock for nothing.  The
            # claim below re-checks everything under the lock.
            return None
        return self._claim_first(claimable, worker_id, lease_seconds, at, max_attempts)

    def claim_job(
        self,
        job_id: int,
        worker_id: str,
        lease_seconds: float,
        *,
        max_attempts: int | None = None,
        now: datetime | None = None,
    ) -> Job | None:
        """Take exactly job ``job_id`` if it is claimable, else None (another worker has it).

        ``security-bot review`` uses it: the job it has just queued is processed at
        once, whatever backlog is queued before it.
        """
        at = _utc(now)
        claimable = and_(JOBS.c.id == job_id, self._claimable(at))
        return self._claim_first(claimable, worker_id, lease_seconds, at, max_attempts)

    def _claim_first(
        self,
        claimable: ColumnElement[bool],
        worker_id: str,
        lease_seconds: float,
        at: datetime,
        max_attempts: int | None = None,
    ) -> Job | None:
        """Claim the oldest job matching ``claimable``, re-checked under the write lock."""
        expires = at + timedelta(seconds=lease_seconds)
        for _ in range(_CLAIM_TRIES):
            with self._write() as conn:
                query = (
                    select(JOBS.c.id, JOBS.c.status, JOBS.c.lease_owner, JOBS.c.attempts)
                    .where(claimable)
                    .order_by(JOBS.c.created_at, JOBS.c.id)
                    .limit(1)
                )
                if self._dialect == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                row = conn.execute(query).first()
                if row is None:
                    return None
                if (
                    max_attempts is not None
                    and row.status == JobStatus.RUNNING.value
                    and row.attempts >= max_attempts
                ):
                    self._give_up(conn, row.id, row.attempts, row.lease_owner, claimable, at)
                    continue
                result = conn.execute(
                    update(JOBS)
                    .where(JOBS.c.id == row.id, claimable)
                    .values(
                        status=JobStatus.RUNNING.value,
                        lease_owner=worker_id,
                        lease_expires=expires,
                        attempts=JOBS.c.attempts + 1,
                        updated_at=at,
                    )
                )
                if result.rowcount != 1:
                    continue  # lost the race for this row; look again
                if row.status == JobStatus.RUNNING.value:
                    self._event(
                        conn, row.id, "lease-expired", f"previous worker={row.lease_owner}", at
                    )
                self._event(
                    conn, row.id, "claimed", f"worker={worker_id} attempt={row.attempts + 1}", at
                )
                return self._job_in(conn, row.id)
        return None

    def _give_up(
        self,
        conn: Any,
        job_id: int,
        attempts: int,
        owner: str | None,
        claimable: ColumnElement[bool],
        at: datetime,
    ) -> None:
        """FAILED: the lease of the job's last allowed attempt ran out."""
        reason = (
            f"gave up after {attempts} attempts: the lease of the last one expired "
            f"(worker {owner} died, or the job outlived its lease)"
        )
        result = conn.execute(
            update(JOBS)
            .where(JOBS.c.id == job_id, claimable)
            .values(**_final_values(JobStatus.FAILED, reason, at))
        )
        if result.rowcount == 1:
            log.error("job %s: %s", job_id, reason)
            self._event(conn, job_id, JobStatus.FAILED.value, reason, at)

    def _any_claimable(self, claimable: ColumnElement[bool]) -> bool:
        with self._read() as conn:
            return conn.execute(select(JOBS.c.id).where(claimable).limit(1)).first() is not None

    @staticmethod
    def _claimable(at: datetime) -> ColumnElement[bool]:
        return or_(
            and_(
                JOBS.c.status == JobStatus.PENDING.value,
                or_(JOBS.c.not_before.is_(None), JOBS.c.not_before <= at),
            ),
            and_(JOBS.c.status == JobStatus.RUNNING.value, JOBS.c.lease_expires < at),
        )

    @staticmethod
    def _held_by(job_id: int, worker_id: str) -> ColumnElement[bool]:
        # "Still ours": running and leased to us.  A lease that ran out but was
        # not taken over yet is still ours; a takeover changes lease_owner (or
        # the status), which makes every later conditional UPDATE of ours miss.
        return and_(
            JOBS.c.id == job_id,
            JOBS.c.status == JobStatus.RUNNING.value,
            JOBS.c.lease_owner == worker_id,
        )

    def extend_lease(
        self, job_id: int, worker_id: str, lease_seconds: float, *, now: datetime | None = None
    ) -> bool:
        """Push the lease out to ``now + lease_seconds``; False when it is no longer ours."""
        at = _utc(now)
        with self._write() as conn:
            result = conn.execute(
                update(JOBS)
                .where(self._held_by(job_id, worker_id))
                .values(lease_expires=at + timedelta(seconds=lease_seconds), updated_at=at)
            )
            return result.rowcount == 1

    def complete(
        self,
        job_id: int,
        worker_id: str,
        status: JobStatus,
        *,
        reason: str = "",
        review: ReviewRecord | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Finish a job and record its review, all in one transaction.

        Returns False, writing nothing, when the lease is no longer ours.  If
        recording the review fails the job stays RUNNING (lease intact) and
        the exception propagates.
        """
        status = JobStatus(status)
        if status not in _FINAL:
            raise ValueError(f"complete() needs a final status, not {status.value!r}")
        at = _utc(now)
        with self._write() as conn:
            result = conn.execute(
                update(JOBS)
                .where(self._held_by(job_id, worker_id))
                .values(**_final_values(status, reason, at))
            )
            if result.rowcount != 1:
                return False
            if review is not None:
                job = conn.execute(
                    select(JOBS.c.project, JOBS.c.change, JOBS.c.patchset, JOBS.c.run_marker).where(
                        JOBS.c.id == job_id
                    )
                ).one()
                self._insert_review(conn, job_id, job, review, at)
            self._event(conn, job_id, status.value, reason, at)
            return True

    def _insert_review(
        self, conn: Connection, job_id: int, job: Any, review: ReviewRecord, at: datetime
    ) -> int:
        result = conn.execute(
            insert(REVIEWS).values(
                job_id=job_id,
                project=job.project,
                change=job.change,
                patchset=job.patchset,
                verdict=review.verdict,
                message=review.message,
                comments=dict(review.comments),
                carried_from=review.carried_from,
                files_analysed=review.files_analysed,
                lines_changed=review.lines_changed,
                rules_run=review.rules_run,
                duration_ms=float(review.duration_ms),
                timings=dict(review.timings),
                errors=list(review.errors),
                finding_count=len(review.findings),
                suppressed_count=len(review.suppressed),
                posted_at=at,
                run_marker=job.run_marker,
            )
        )
        review_id = _inserted_id(result)
        rows = [
            _finding_values(review_id, finding, posted_inline=posted, suppressed=False)
            for finding, posted in review.findings
        ]
        rows += [
            _finding_values(
                review_id, s.finding, posted_inline=False, suppressed=True, nosec=s.comment
            )
            for s in review.suppressed
        ]
        if rows:
            conn.execute(insert(FINDINGS), rows)
        return review_id

    def retry_later(
        self,
        job_id: int,
        worker_id: str,
        reason: str,
        delay_seconds: float,
        *,
        count_attempt: bool = True,
        now: datetime | None = None,
    ) -> bool:
        """Give the job back as PENDING, claimable again after ``delay_seconds``.

        ``count_attempt=False`` gives the claim's attempt back: waiting on Gerrit (down,
        throttling) is not a failure of the job and must not bring it to ``max_attempts``.
        """
        at = _utc(now)
        attempts = JOBS.c.attempts if count_attempt else JOBS.c.attempts - 1
        with self._write() as conn:
            result = conn.execute(
                update(JOBS)
                .where(self._held_by(job_id, worker_id))
                .values(
                    attempts=attempts,
                    status=JobStatus.PENDING.value,
                    reason=reason,
                    not_before=at + timedelta(seconds=delay_seconds),
                    lease_owner=None,
                    lease_expires=None,
                    updated_at=at,
                )
            )
            if result.rowcount != 1:
                return False
            self._event(conn, job_id, "retry", f"{reason} (again in {delay_seconds:g}s)", at)
            return True

    def requeue(self, job_id: int, *, reason: str = "", now: datetime | None = None) -> bool:
        """Put a FAILED or SKIPPED job back to PENDING (the dashboard's "retry").

        The attempt counter restarts, since an operator asked for it, but a job
        that ran before keeps one attempt on the counter: its next claim is then
        attempt 2, which makes the pipeline look for the (unchanged) run marker on
        Gerrit first, so a review that did reach Gerrit (say the POST timed out
        after Gerrit applied it, and the job failed) is not posted twice.
        """
        at = _utc(now)
        with self._write() as conn:
            result = conn.execute(
                update(JOBS)
                .where(JOBS.c.id == job_id, JOBS.c.status.in_(_REQUEUEABLE))
                .values(
                    status=JobStatus.PENDING.value,
                    reason=reason,
                    attempts=case((JOBS.c.attempts > 0, 1), else_=0),
                    not_before=None,
                    lease_owner=None,
                    lease_expires=None,
                    finished_at=None,
                    updated_at=at,
                )
            )
            if result.rowcount != 1:
                return False
            self._event(conn, job_id, "requeued", reason, at)
            return True

    def add_event(
        self, job_id: int, event: str, detail: str = "", *, now: datetime | None = None
    ) -> None:
        """Append to a job's history; KeyError when the job does not exist."""
        at = _utc(now)
        try:
            with self._write() as conn:
                self._event(conn, job_id, event, detail, at)
        except IntegrityError as exc:
            raise KeyError(job_id) from exc

    @staticmethod
    def _event(conn: Connection, job_id: int, event: str, detail: str, at: datetime) -> None:
        conn.execute(insert(EVENTS).values(job_id=job_id, at=at, event=event, detail=detail))

    # -- jobs: reading ------------------------------------------------------

    def _job_in(self, conn: Connection, job_id: int) -> Job | None:
        row = conn.execute(select(JOBS).where(JOBS.c.id == job_id)).mappings().first()
        return None if row is None else _job(row)

    def job(self, job_id: int) -> Job | None:
        with self._read() as conn:
            return self._job_in(conn, job_id)

    def job_by_key(self, trigger_key: str) -> Job | None:
        with self._read() as conn:
            row = (
                conn.execute(select(JOBS).where(JOBS.c.trigger_key == trigger_key))
                .mappings()
                .first()
            )
            return None if row is None else _job(row)

    def events(self, job_id: int) -> list[JobEvent]:
        """A job's history, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                select(EVENTS).where(EVENTS.c.job_id == job_id).order_by(EVENTS.c.id)
            ).mappings()
            return [
                JobEvent(
                    id=r["id"], job_id=r["job_id"], at=r["at"], event=r["event"], detail=r["detail"]
                )
                for r in rows
            ]

    def jobs(
        self,
        *,
        status: JobStatus | None = None,
        project: str | None = None,
        change: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Job]:
        """Jobs, newest first, optionally filtered."""
        query = select(JOBS).where(*self._job_filters(status, project, change))
        query = query.order_by(JOBS.c.created_at.desc(), JOBS.c.id.desc())
        query = query.limit(limit).offset(offset)
        with self._read() as conn:
            return [_job(r) for r in conn.execute(query).mappings()]

    def job_count(
        self,
        *,
        status: JobStatus | None = None,
        project: str | None = None,
        change: int | None = None,
    ) -> int:
        """How many jobs :meth:`jobs` would list without a limit (for paging)."""
        query = select(func.count()).select_from(JOBS)
        query = query.where(*self._job_filters(status, project, change))
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    @staticmethod
    def _job_filters(
        status: JobStatus | None, project: str | None, change: int | None
    ) -> list[ColumnElement[bool]]:
        filters: list[ColumnElement[bool]] = []
        if status is not None:
            filters.append(JOBS.c.status == JobStatus(status).value)
        if project is not None:
            filters.append(JOBS.c.project == project)
        if change is not None:
            filters.append(JOBS.c.change == change)
        return filters

    def counts(self) -> dict[str, int]:
        """Number of jobs per status; every status is present, zero when none."""
        counts = {s.value: 0 for s in JobStatus}
        with self._read() as conn:
            for status, number in conn.execute(
                select(JOBS.c.status, func.count()).group_by(JOBS.c.status)
            ):
                counts[status] = int(number)
        return counts

    def pending_count(self) -> int:
        """Jobs waiting for a worker (including those whose retry is not due yet)."""
        with self._read() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(JOBS)
                    .where(JOBS.c.status == JobStatus.PENDING.value)
                ).scalar_one()
            )

    # -- reviews and findings -----------------------------------------------

    def review_for(self, change: int, patchset: int) -> ReviewRow | None:
        """The latest review (posted or carried) of that patch set."""
        query = (
            select(REVIEWS)
            .where(REVIEWS.c.change == change, REVIEWS.c.patchset == patchset)
            .order_by(REVIEWS.c.posted_at.desc(), REVIEWS.c.id.desc())
            .limit(1)
        )
        return self._one_review(query)

    def latest_review_before(self, change: int, patchset: int) -> ReviewRow | None:
        """The latest review of the newest earlier patch set of the change that has one."""
        query = (
            select(REVIEWS)
            .where(REVIEWS.c.change == change, REVIEWS.c.patchset < patchset)
            .order_by(REVIEWS.c.patchset.desc(), REVIEWS.c.posted_at.desc(), REVIEWS.c.id.desc())
            .limit(1)
        )
        return self._one_review(query)

    def review_for_job(self, job_id: int) -> ReviewRow | None:
        """The review a job recorded, if any."""
        query = (
            select(REVIEWS).where(REVIEWS.c.job_id == job_id).order_by(REVIEWS.c.id.desc()).limit(1)
        )
        return self._one_review(query)

    def _one_review(self, query: Any) -> ReviewRow | None:
        with self._read() as conn:
            row = conn.execute(query).mappings().first()
            return None if row is None else _review(row)

    def findings_for_review(self, review_id: int) -> list[FindingRow]:
        """A review's findings, unsuppressed first, each group in file and line order."""
        query = (
            select(FINDINGS)
            .where(FINDINGS.c.review_id == review_id)
            .order_by(FINDINGS.c.suppressed, FINDINGS.c.path, FINDINGS.c.line, FINDINGS.c.id)
        )
        with self._read() as conn:
            return [_finding_row(r) for r in conn.execute(query).mappings()]

    def posted_fingerprints(self, change: int, before_patchset: int) -> set[str]:
        """Fingerprints posted inline on patch sets of ``change`` before ``before_patchset``."""
        query = (
            select(FINDINGS.c.fingerprint)
            .distinct()
            .join(REVIEWS, REVIEWS.c.id == FINDINGS.c.review_id)
            .where(
                REVIEWS.c.change == change,
                REVIEWS.c.patchset < before_patchset,
                FINDINGS.c.posted_inline.is_(True),
                FINDINGS.c.suppressed.is_(False),
            )
        )
        with self._read() as conn:
            return {fp for (fp,) in conn.execute(query)}

    # -- poll cursors -------------------------------------------------------

    def get_cursor(self, name: str) -> str | None:
        with self._read() as conn:
            value = conn.execute(
                select(CURSORS.c.value).where(CURSORS.c.name == name)
            ).scalar_one_or_none()
            return None if value is None else str(value)

    def set_cursor(self, name: str, value: str, *, now: datetime | None = None) -> None:
        at = _utc(now)
        with self._write() as conn:
            if self._dialect in ("postgresql", "sqlite"):
                dialect_insert = (
                    pg_dialect.insert if self._dialect == "postgresql" else sqlite_dialect.insert
                )
                stmt = dialect_insert(CURSORS).values(name=name, value=value, updated_at=at)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["name"],
                        set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
                    )
                )
                return
            result = conn.execute(  # pragma: no cover - other databases
                update(CURSORS).where(CURSORS.c.name == name).values(value=value, updated_at=at)
            )
            if result.rowcount == 0:  # pragma: no cover
                conn.execute(insert(CURSORS).values(name=name, value=value, updated_at=at))


# -- row conversion ---------------------------------------------------------


def _inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every table has an integer primary key
        raise RuntimeError("the database did not report the new row's id")
    return int(key[0])


def _job(r: RowMapping) -> Job:
    return Job(
        id=int(r["id"]),
        trigger_key=r["trigger_key"],
        kind=JobKind(r["kind"]),
        project=r["project"],
        change=int(r["change"]),
        patchset=int(r["patchset"]),
        revision=r["revision"],
        subject=r["subject"],
        owner=r["owner"],
        branch=r["branch"],
        requested_by=r["requested_by"],
        status=JobStatus(r["status"]),
        reason=r["reason"],
        reply=r["reply"],
        attempts=int(r["attempts"]),
        run_marker=r["run_marker"],
        lease_owner=r["lease_owner"],
        lease_expires=r["lease_expires"],
        not_before=r["not_before"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        uploaded_at=r["uploaded_at"],
        finished_at=r["finished_at"],
    )


def _final_values(status: JobStatus, reason: str, at: datetime) -> dict[str, Any]:
    """The columns of a job that ends with ``status``: no lease, no retry time, finished."""
    return {
        "status": status.value,
        "reason": reason,
        "finished_at": at,
        "lease_owner": None,
        "lease_expires": None,
        "not_before": None,
        "updated_at": at,
    }


def _review(r: RowMapping) -> ReviewRow:
    return ReviewRow(
        id=int(r["id"]),
        job_id=int(r["job_id"]),
        project=r["project"],
        change=int(r["change"]),
        patchset=int(r["patchset"]),
        verdict=r["verdict"],
        message=r["message"],
        comments=dict(r["comments"] or {}),
        carried_from=r["carried_from"],
        files_analysed=int(r["files_analysed"]),
        lines_changed=int(r["lines_changed"]),
        rules_run=int(r["rules_run"]),
        duration_ms=float(r["duration_ms"]),
        timings=dict(r["timings"] or {}),
        posted_at=r["posted_at"],
        run_marker=r["run_marker"],
        finding_count=int(r["finding_count"]),
        suppressed_count=int(r["suppressed_count"]),
        errors=tuple(r["errors"] or ()),
    )


def _finding_values(
    review_id: int,
    finding: Finding,
    *,
    posted_inline: bool,
    suppressed: bool,
    nosec: str = "",
) -> dict[str, Any]:
    return {
        "review_id": review_id,
        "rule": finding.rule,
        "cwe": finding.cwe,
        "cwe_name": finding.cwe_name,
        "pillars": list(finding.pillars),
        "severity": Severity(finding.severity).value,
        "confidence": finding.confidence,
        "path": finding.path,
        "line": finding.line,
        "end_line": finding.end_line,
        "message": finding.message,
        "recommendation": finding.recommendation,
        "code": finding.code,
        "fingerprint": finding.fingerprint,
        "function": finding.function,
        "title": finding.title,
        "suppressed": suppressed,
        "posted_inline": posted_inline,
        "nosec_comment": nosec,
    }


def _finding_row(r: RowMapping) -> FindingRow:
    pillars: Sequence[int] = r["pillars"] or ()
    return FindingRow(
        id=int(r["id"]),
        review_id=int(r["review_id"]),
        rule=r["rule"],
        cwe=int(r["cwe"]),
        cwe_name=r["cwe_name"],
        pillars=tuple(int(p) for p in pillars),
        severity=Severity(r["severity"]),
        confidence=r["confidence"],
        path=r["path"],
        line=int(r["line"]),
        end_line=int(r["end_line"]),
        message=r["message"],
        recommendation=r["recommendation"],
        code=r["code"],
        fingerprint=r["fingerprint"],
        function=r["function"],
        title=r["title"],
        suppressed=bool(r["suppressed"]),
        posted_inline=bool(r["posted_inline"]),
        nosec_comment=r["nosec_comment"],
    )
