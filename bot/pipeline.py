"""Review one patch set, end to end: Gerrit → git → analysis → Markdown → Gerrit.

The pipeline is what a worker runs for a claimed job. It never writes the store
itself: it returns an :class:`Outcome` and the worker records it in one transaction
together with the job's new status. It raises the ``bot.gerrit.error`` exceptions
and :class:`~bot.scm.ScmError` as they come; the worker decides what is retried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.analysis import (
    FileResult,
    Finding,
    Suppression,
    TestPathMatcher,
    all_rules,
    analyze_source,
)
from bot.config import Config
from bot.gerrit import error as gerrit_error
from bot.gerrit.change import ChangeClient
from bot.recheck import REFUSED, refusal_text
from bot.report import RenderedReview, Renderer, ReviewContext, Unanalysed, find_run_marker
from bot.scm import ChangedFile, Mirrors, Revision
from bot.store import Job, JobKind, JobStatus, ReviewRecord, Store

log = logging.getLogger("bot.pipeline")

# Patch sets of these kinds carry their predecessor's verdict instead of a new review.
CARRY_KINDS = frozenset(
    {"TRIVIAL_REBASE", "TRIVIAL_REBASE_WITH_MESSAGE_UPDATE", "NO_CODE_CHANGE", "NO_CHANGE"}
)
CHANGE_OPTIONS = ["ALL_REVISIONS", "CURRENT_REVISION", "DETAILED_ACCOUNTS"]


class LeaseLost(RuntimeError):
    """Another worker took the job over; this one must stop without posting."""


class PostInFlight(RuntimeError):
    """The review POST timed out or lost its connection: Gerrit may still apply it.

    The next attempt must wait long enough for that request to finish, and then look
    for the run marker before posting.
    """


@dataclass
class Outcome:
    """How a job ended, with the review to record when there is one."""

    status: JobStatus
    reason: str = ""
    review: ReviewRecord | None = None
    rendered: RenderedReview | None = None  # for --dry-run and tests


@dataclass
class Analysis:
    """What the analysis of one patch set found, before rendering."""

    results: list[FileResult] = field(default_factory=list)
    unanalysed: list[Unanalysed] = field(default_factory=list)
    changed_paths: set[str] = field(default_factory=set)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def suppressed(self) -> list[Suppression]:
        return [s for r in self.results for s in r.suppressed]

    @property
    def lines_changed(self) -> int:
        return sum(r.changed_lines for r in self.results)


class Timer:
    """Wall-clock time of each pipeline stage, in milliseconds."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + (time.perf_counter() - start) * 1000


class ReviewPipeline:
    """Runs one job. Thread-safe: the client, mirrors and renderer are shared by workers."""

    def __init__(
        self,
        config: Config,
        changes: ChangeClient,
        mirrors: Mirrors,
        store: Store,
        *,
        renderer: Renderer | None = None,
    ) -> None:
        self.config = config
        self.changes = changes
        self.mirrors = mirrors
        self.store = store
        self.renderer = renderer or Renderer(config.review.templates_dir or None)
        self.matcher = TestPathMatcher(config.review.test_globs)
        self.rules = all_rules()
        self._git_base = config.gerrit.url.rstrip("/")
        self._authenticated = config.gerrit.auth_type != "none"

    # -- public -------------------------------------------------------------------------------

    def run(
        self,
        job: Job,
        *,
        heartbeat: Callable[[], bool] = lambda: True,
        dry_run: bool = False,
    ) -> Outcome:
        timer = Timer()
        started = time.perf_counter()
        change_id = f"{job.project}~{job.change}"
        with timer.stage("query"):
            info = self.changes.get_by_id(change_id, options=CHANGE_OPTIONS)
        # An earlier attempt may have posted and died before recording it. That must be
        # known before any other decision: a review that is on Gerrit is recorded as
        # posted even if the change has since moved on.
        posted_before = job.attempts > 1 and not dry_run and self._already_posted(change_id, job)
        if not posted_before:
            skip = self._skip_reason(job, info)
            if skip:
                return Outcome(JobStatus.SKIPPED, skip)
        revision = _revision_of(info, job.patchset)
        if revision is None:
            return Outcome(JobStatus.FAILED, f"patch set {job.patchset} not found on the change")
        sha, rev_info = revision
        if job.kind == JobKind.REFUSAL:
            return self._refuse(job, change_id, sha, heartbeat, posted_before=posted_before)
        kind = str(rev_info.get("kind", "REWORK"))
        if job.kind == JobKind.NEW and kind in CARRY_KINDS and not posted_before:
            carried = self._carry(job, kind)
            if carried is not None:
                return carried

        with timer.stage("fetch"):
            fetched = self.mirrors.fetch(
                job.project,
                self._git_url(job.project),
                rev_info["ref"],
                sha,
                also=lambda: self._waiting_refs(job),
            )
        _beat(heartbeat)
        with timer.stage("diff"):
            files = fetched.changed_files()
        with timer.stage("analysis"):
            analysis = self._analyse(fetched, files)
        _beat(heartbeat)

        full_review = job.kind in (JobKind.RECHECK, JobKind.RERUN)
        already = (
            frozenset()
            if full_review
            else frozenset(self.store.posted_fingerprints(job.change, job.patchset))
        )
        with timer.stage("render"):
            ctx = ReviewContext(
                project=job.project,
                change=job.change,
                patchset=job.patchset,
                findings=analysis.findings,
                run_marker=job.run_marker,
                files_analysed=sum(1 for r in analysis.results if r.analysed),
                lines_changed=analysis.lines_changed,
                rules_run=len(self.rules),
                duration_s=(time.perf_counter() - started),
                unanalysed=analysis.unanalysed,
                suppressed=len(analysis.suppressed),
                already_posted=already,
                full_review=full_review,
                recheck_by=job.requested_by if job.kind == JobKind.RECHECK else "",
                recheck_keyword=self.config.recheck.keyword,
                max_inline_comments=self.config.review.max_inline_comments,
                unresolved=self.config.review.unresolved,
                commentable_paths=frozenset(analysis.changed_paths),
            )
            rendered = self.renderer.render(ctx)
        record = ReviewRecord(
            verdict=rendered.verdict,
            message=rendered.message,
            comments=rendered.comments,
            files_analysed=ctx.files_analysed,
            lines_changed=ctx.lines_changed,
            rules_run=ctx.rules_run,
            findings=[(f, f in rendered.inline) for f in analysis.findings],
            suppressed=analysis.suppressed,
            errors=[f"{u.path}: {u.reason}" for u in analysis.unanalysed],
        )
        if dry_run:
            record.timings = timer.stages
            return Outcome(JobStatus.POSTED, "dry run: not posted", record, rendered)

        _beat(heartbeat)
        with timer.stage("post"):
            if posted_before or (job.attempts > 1 and self._already_posted(change_id, job)):
                reason = "review found on Gerrit from an earlier attempt; not posted again"
                log.info("change %s patch set %s: %s", job.change, job.patchset, reason)
            else:
                # The marker check above may have taken a while (it retries): make sure the
                # job is still ours right before the POST, so no other worker posts too.
                _beat(heartbeat)
                self._post(change_id, sha, rendered)
                reason = ""
        record.timings = timer.stages
        record.duration_ms = (time.perf_counter() - started) * 1000
        return Outcome(JobStatus.POSTED, reason, record, rendered)

    # -- stages -------------------------------------------------------------------------------

    def _refuse(
        self,
        job: Job,
        change_id: str,
        sha: str,
        heartbeat: Callable[[], bool],
        *,
        posted_before: bool,
    ) -> Outcome:
        """Reply to a refused recheck request, once, saying why."""
        reason = refusal_text(self.store, job.id)
        message = self.renderer.render_refusal(
            keyword=self.config.recheck.keyword,
            requester=job.requested_by,
            reason=reason,
            run_marker=job.run_marker,
        )
        _beat(heartbeat)
        if not (posted_before or (job.attempts > 1 and self._already_posted(change_id, job))):
            _beat(heartbeat)
            with _in_flight_guard():
                self.changes.set_review(
                    change_id,
                    revision_id=sha,
                    message=message,
                    tag=self.config.review.tag,
                    notify=self.config.review.notify,
                )
        return Outcome(JobStatus.SKIPPED, REFUSED + reason)

    def _skip_reason(self, job: Job, info: dict[str, Any]) -> str:
        status = info.get("status", "NEW")
        if status != "NEW":
            if job.kind in (JobKind.RECHECK, JobKind.REFUSAL):
                return f"change is {str(status).lower()}: recheck request ignored"
            return f"change is {str(status).lower()}"
        current = info.get("current_revision_number") or _current_number(info)
        superseded = current and job.patchset < int(current)
        if job.kind == JobKind.NEW and superseded and not self.config.review.review_superseded:
            return f"superseded by patch set {current}"
        return ""

    def _carry(self, job: Job, kind: str) -> Outcome | None:
        prior = self.store.latest_review_before(job.change, job.patchset)
        if prior is None:
            log.info(
                "change %s patch set %s is a %s, but no earlier patch set was reviewed: "
                "reviewing it",
                job.change,
                job.patchset,
                kind,
            )
            return None
        record = ReviewRecord(
            verdict=prior.verdict,
            carried_from=prior.carried_from or prior.patchset,
            files_analysed=prior.files_analysed,
            lines_changed=prior.lines_changed,
            rules_run=prior.rules_run,
        )
        reason = f"{kind}: verdict of patch set {record.carried_from} carried over"
        return Outcome(JobStatus.CARRIED, reason, record)

    def _waiting_refs(self, job: Job) -> list[tuple[str, str]]:
        """The next patch sets of the project in the queue, fetched in the same round trip.

        Workers claim the oldest jobs first, so the oldest waiting ones are the ones worth
        bringing along.
        """
        waiting = self.store.jobs(status=JobStatus.PENDING, project=job.project, limit=1000)
        waiting.sort(key=lambda j: j.id)
        return [
            (f"refs/changes/{j.change % 100:02d}/{j.change}/{j.patchset}", j.revision)
            for j in waiting
            if j.id != job.id and j.kind in (JobKind.NEW, JobKind.RECHECK, JobKind.RERUN)
        ][: self.mirrors.MAX_EXTRA_REFS * 2]

    def _git_url(self, project: str) -> str:
        # Built from the configured URL, never taken from Gerrit's answer, so credentials
        # are only ever sent to the server the operator configured.
        prefix = "/a" if self._authenticated else ""
        return f"{self._git_base}{prefix}/{project}"

    def _analyse(self, revision: Revision, files: list[ChangedFile]) -> Analysis:
        analysis = Analysis()
        for cf in files:
            if cf.status == "D":
                continue
            analysis.changed_paths.add(cf.path)
            if not cf.path.endswith(".py"):
                continue
            if cf.binary:
                analysis.unanalysed.append(Unanalysed(cf.path, "binary file"))
                log.info("not analysing %s: binary file", cf.path)
                continue
            if cf.too_large:
                limit = self.config.review.max_file_bytes
                analysis.unanalysed.append(
                    Unanalysed(cf.path, f"{cf.size} bytes, over the {limit}-byte limit")
                )
                log.info("not analysing %s: %d bytes is over the size limit", cf.path, cf.size)
                continue
            if not cf.added_lines:
                continue
            source = revision.read(cf)
            result = analyze_source(
                cf.path,
                source,
                changed_lines=cf.added_lines,
                is_test=self.matcher.is_test(cf.path),
                rules=self.rules,
            )
            if result.error:
                log.warning("could not analyse %s: %s", cf.path, result.error)
                analysis.unanalysed.append(Unanalysed(cf.path, result.error))
            analysis.results.append(result)
        return analysis

    def _already_posted(self, change_id: str, job: Job) -> bool:
        """Did an earlier attempt of this job post before it crashed? Look for its run marker."""
        for message in self.changes.get_messages(change_id):
            if message.get("tag", "").startswith(self.config.review.tag) and (
                find_run_marker(message.get("message", "")) == job.run_marker
            ):
                return True
        return False

    def _post(self, change_id: str, sha: str, rendered: RenderedReview) -> None:
        review = self.config.review
        labels = None
        if review.label:
            vote = review.label_clean if rendered.verdict == "clean" else review.label_defects
            labels = {review.label: vote}
        with _in_flight_guard():
            self.changes.set_review(
                change_id,
                revision_id=sha,
                message=rendered.message,
                labels=labels,
                comments=rendered.comments or None,
                tag=review.tag,
                notify=review.notify,
                omit_duplicate_comments=True,
            )


@contextmanager
def _in_flight_guard() -> Iterator[None]:
    """Turn a timeout or dropped connection while posting into :class:`PostInFlight`."""
    try:
        yield
    except (gerrit_error.Timeout, gerrit_error.ConnectionError) as exc:
        raise PostInFlight(f"posting to Gerrit: {exc}") from exc


def _beat(heartbeat: Callable[[], bool]) -> None:
    if not heartbeat():
        raise LeaseLost("the job's lease was taken over by another worker")


def _current_number(info: dict[str, Any]) -> int | None:
    current = info.get("current_revision")
    revisions = info.get("revisions") or {}
    if current and current in revisions:
        return int(revisions[current]["_number"])
    return None


def _revision_of(info: dict[str, Any], patchset: int) -> tuple[str, dict[str, Any]] | None:
    for sha, rev in (info.get("revisions") or {}).items():
        if rev.get("_number") == patchset:
            return sha, rev
    return None
