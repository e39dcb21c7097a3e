"""Review one patch set, end to end: Gerrit → git → analysis → Markdown → Gerrit.

The pipeline is what a worker runs for a claimed job. It reads Gerrit only through
:class:`~bot.gerrit.source.GerritSource`, writes to it only through
:class:`~bot.gerrit.reporter.GerritReporter`, and never writes the store itself: it
returns an :class:`Outcome` and the worker records it in one transaction together
with the job's new status. It raises the ``bot.gerrit.error`` exceptions,
:class:`~bot.gerrit.reporter.PostInFlight` and :class:`~bot.scm.ScmError` as they
come; the worker decides what is retried.

Exactly-once posting rests on the order of :meth:`ReviewPipeline.run`: the run-marker
check comes before any skip or carry decision, the lease is renewed right before
each POST, and a job whose marker is already on the change records without posting.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from bot.analysis import (
    FileResult,
    Finding,
    ProjectModel,
    Suppression,
    all_rules,
)
from bot.config import Config
from bot.gerrit import error as gerrit_error
from bot.gerrit.models import ChangeInfo, RevisionInfo
from bot.gerrit.reporter import GerritReporter
from bot.gerrit.source import GerritSource, patchset_ref
from bot.markdown import md_text
from bot.projects import RevisionModels
from bot.review.decisions import Outcome, carried, carry_kind, skip_reason
from bot.review.project_settings import AppliedSettings, ProjectSettingsLoader
from bot.review.report import RenderedReview, Renderer, ReviewContext, Unanalysed, with_note
from bot.review.suggestions import fix_form
from bot.scm import ChangedFile, Mirrors, Revision
from bot.store import Job, JobKind, JobStatus, ReviewRecord, Store, refusal_reason
from bot.store.summaries import SummaryTable

__all__ = ["LeaseLost", "Outcome", "ReviewPipeline"]

log = logging.getLogger("bot.pipeline")


class LeaseLost(RuntimeError):
    """Another worker took the job over; this one must stop without posting."""


@dataclass
class Analysis:
    """What the analysis of one patch set found, before rendering."""

    results: list[FileResult] = field(default_factory=list)
    unanalysed: list[Unanalysed] = field(default_factory=list)
    changed_paths: set[str] = field(default_factory=set)
    settings: AppliedSettings | None = None
    capped: list[str] = field(default_factory=list)  # what a per-patch-set cap cut, in words

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
        self.started = time.perf_counter()
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + (time.perf_counter() - start) * 1000

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self.started


class ReviewPipeline:
    """Runs one job. Thread-safe: source, reporter, mirrors and renderer are shared."""

    def __init__(
        self,
        config: Config,
        source: GerritSource,
        reporter: GerritReporter,
        mirrors: Mirrors,
        store: Store,
        *,
        renderer: Renderer | None = None,
    ) -> None:
        self.config = config
        self.source = source
        self.reporter = reporter
        self.mirrors = mirrors
        self.store = store
        # the fix form is settled by the service once it knows the server's version
        self.renderer = renderer or Renderer(
            config.review.templates_dir or None, fixes=fix_form(config.review.fixes, None)
        )
        self.rules = all_rules()
        self.project_settings = ProjectSettingsLoader(
            mirrors,
            test_globs=config.review.test_globs,
            enabled=config.project_settings.enabled,
            max_age=config.project_settings.max_age_seconds,
        )
        # The project model (classes and set-up facts across files), per-blob summaries
        # cached in the store and in memory.
        self.models = RevisionModels(SummaryTable(store.engine))

    def run(
        self,
        job: Job,
        *,
        heartbeat: Callable[[], bool] = lambda: True,
        dry_run: bool = False,
    ) -> Outcome:
        timer = Timer()
        with timer.stage("query"):
            change = self.source.change(job.change, project=job.project, patchset=job.patchset)
        # An earlier attempt may have posted and died before recording it. That must be
        # known before any other decision: a review that is on Gerrit is recorded as
        # posted even if the change has since moved on.
        posted_before = job.attempts > 1 and not dry_run and self._marker_on(change, job)
        if not posted_before:
            skip = skip_reason(job, change, review_superseded=self.config.review.review_superseded)
            if skip:
                return Outcome(JobStatus.SKIPPED, skip)
        revision = change.revision(job.patchset)
        if revision is None:
            return Outcome(JobStatus.FAILED, f"patch set {job.patchset} not found on the change")
        if job.kind == JobKind.REFUSAL:
            return self._refuse(job, change, revision, heartbeat, posted_before=posted_before)
        kind = carry_kind(job, revision)
        if kind and not posted_before:
            prior = self.store.latest_review_before(job.change, job.patchset)
            outcome = carried(job, kind, prior)
            if outcome is not None:
                return outcome

        with timer.stage("fetch"):
            fetched = self._fetch(job, revision, heartbeat)
        with timer.stage("settings"):  # from the target branch, never from the patch set
            settings = self.project_settings.load(
                job.project, self.source.git_url(job.project), change.branch
            )
        _beat(heartbeat)
        with timer.stage("diff"):
            files = fetched.changed_files()
        with timer.stage("model"):
            project = self.models.for_revision(fetched)
        with timer.stage("analysis"):
            analysis = self._analyse(fetched, files, settings, project)
        _beat(heartbeat)
        already = self._already_reported(job)
        with timer.stage("render"):
            rendered, record = self._render(job, analysis, already, timer.elapsed_s)
        if dry_run:
            record.timings = timer.stages
            return Outcome(JobStatus.POSTED, "dry run: not posted", record, rendered)

        _beat(heartbeat)
        with timer.stage("post"):
            reason = self._post(job, change, revision, rendered, heartbeat, posted_before)
        record.timings = timer.stages
        record.duration_ms = timer.elapsed_s * 1000
        return Outcome(JobStatus.POSTED, reason, record, rendered)

    # -- posting, exactly once ----------------------------------------------------------------

    def _marker_on(self, change: ChangeInfo, job: Job) -> bool:
        """Did an earlier attempt of this job post before it crashed? Look for its run marker."""
        return self.reporter.already_posted(change, job.run_marker)

    def _post_once(
        self,
        job: Job,
        change: ChangeInfo,
        heartbeat: Callable[[], bool],
        posted_before: bool,
        post: Callable[[], None],
    ) -> bool:
        """Run ``post`` unless the job's marker is on the change already; True when it ran."""
        if posted_before or (job.attempts > 1 and self._marker_on(change, job)):
            return False
        # The marker check above may have taken a while (it retries): make sure the job is
        # still ours right before the POST, so no other worker posts too.
        _beat(heartbeat)
        post()
        return True

    def _post(
        self,
        job: Job,
        change: ChangeInfo,
        revision: RevisionInfo,
        rendered: RenderedReview,
        heartbeat: Callable[[], bool],
        posted_before: bool,
    ) -> str:
        refused: list[str] = []

        def post() -> None:
            message, comments = rendered.message, rendered.comments
            while True:
                try:
                    self.reporter.post_review(
                        change,
                        revision,
                        message=message,
                        comments=comments,
                        verdict=rendered.verdict,
                    )
                    return
                except gerrit_error.HTTPError as exc:
                    plain = _without_fixes(exc, comments)
                    if plain is not None:
                        # a refused fix costs the fix, never the comment
                        log.warning(
                            "change %s patch set %s: Gerrit refused the fix suggestions (%s); "
                            "posting the comments without them",
                            job.change,
                            job.patchset,
                            _first_line(exc.body or "") or f"HTTP {exc.status_code}",
                        )
                        comments = plain
                        _beat(heartbeat)
                        continue
                    kept = _without_refused(exc, comments)
                    if kept is None:
                        raise
                    # Gerrit validates a review before applying any of it: nothing was
                    # posted, so the summary goes again without what it refused.
                    dropped = _count(comments) - _count(kept)
                    reason = _first_line(exc.body or "") or f"HTTP {exc.status_code}"
                    log.warning(
                        "change %s patch set %s: Gerrit refused %d inline comment%s (%s); "
                        "posting the review without %s",
                        job.change,
                        job.patchset,
                        dropped,
                        _s(dropped),
                        reason,
                        "it" if dropped == 1 else "them",
                    )
                    refused.append(reason)
                    comments = kept
                    message = with_note(
                        rendered.message,
                        f"Gerrit refused {_count(rendered.comments) - _count(kept)} of the "
                        f"inline comments ({md_text(reason)}); the findings are all listed "
                        "above.",
                    )
                    _beat(heartbeat)

        if self._post_once(job, change, heartbeat, posted_before, post):
            return f"posted without refused inline comments: {refused[-1]}" if refused else ""
        reason = "review found on Gerrit from an earlier attempt; not posted again"
        log.info("change %s patch set %s: %s", job.change, job.patchset, reason)
        return reason

    def _refuse(
        self,
        job: Job,
        change: ChangeInfo,
        revision: RevisionInfo,
        heartbeat: Callable[[], bool],
        *,
        posted_before: bool,
    ) -> Outcome:
        """Reply to a refused recheck request, once, saying why (the reply was decided at
        enqueue)."""
        message = self.renderer.render_refusal(
            keyword=self.config.recheck.keyword,
            requester=job.requested_by,
            reason=job.reply,
            run_marker=job.run_marker,
        )
        _beat(heartbeat)
        self._post_once(
            job,
            change,
            heartbeat,
            posted_before,
            lambda: self.reporter.post_reply(change, revision, message),
        )
        return Outcome(JobStatus.SKIPPED, refusal_reason(job.reply))

    # -- fetch, analyse, render ---------------------------------------------------------------

    def _fetch(
        self, job: Job, revision: RevisionInfo, heartbeat: Callable[[], bool] = lambda: True
    ) -> Revision:
        # The heartbeat runs while git fetches, so a long first fetch keeps the lease.
        return self.mirrors.fetch(
            job.project,
            self.source.git_url(job.project),
            revision.ref,
            revision.commit_sha or job.revision,
            also=lambda: self._waiting_refs(job),
            heartbeat=heartbeat,
        )

    def _waiting_refs(self, job: Job) -> list[tuple[str, str]]:
        """The next patch sets of the project in the queue, fetched in the same round trip.

        Workers claim the oldest jobs first, so the oldest waiting ones are the ones worth
        bringing along.
        """
        waiting = self.store.jobs(status=JobStatus.PENDING, project=job.project, limit=1000)
        waiting.sort(key=lambda j: j.id)
        return [
            (patchset_ref(j.change, j.patchset), j.revision)
            for j in waiting
            if j.id != job.id and j.kind in (JobKind.NEW, JobKind.RECHECK, JobKind.RERUN)
        ][: self.mirrors.MAX_EXTRA_REFS * 2]

    def _analyse(
        self,
        revision: Revision,
        files: list[ChangedFile],
        settings: AppliedSettings,
        project: ProjectModel | None = None,
    ) -> Analysis:
        """Analyse the changed Python files within the patch set's caps.

        A blob that appears under several paths with the same changed lines is analysed
        once (its findings are copied to each path): one big blob committed under many
        names costs one analysis. Files past ``review.max_files_per_patchset`` or
        ``max_bytes_per_patchset`` are listed as not analysed, findings past
        ``max_findings_per_patchset`` are dropped (most severe kept); either is said in the
        review, which then never says the change is clean.
        """
        review = self.config.review
        analysis = Analysis(settings=settings)
        done: dict[tuple[object, ...], FileResult] = {}
        files_read = bytes_read = 0
        over_files = over_bytes = 0
        for cf in files:
            if cf.status == "D":
                continue
            analysis.changed_paths.add(cf.path)
            if not cf.path.endswith(".py"):
                continue
            if settings.selection.excluded(cf.path):
                settings.excluded += 1
                continue
            unanalysable = self._unanalysable(cf)
            if unanalysable is not None:
                analysis.unanalysed.append(unanalysable)
                continue
            if not cf.added_lines and not cf.deleted_after:
                continue
            key = _analysis_key(cf, settings)
            earlier = done.get(key) if key is not None else None
            if earlier is not None:
                result = _for_path(earlier, cf.path)
            elif files_read >= review.max_files_per_patchset:
                over_files += 1
                analysis.unanalysed.append(
                    Unanalysed(cf.path, f"over the cap of {review.max_files_per_patchset} files")
                )
                continue
            elif bytes_read + cf.size > review.max_bytes_per_patchset:
                over_bytes += 1
                analysis.unanalysed.append(
                    Unanalysed(
                        cf.path, f"over the cap of {review.max_bytes_per_patchset} bytes read"
                    )
                )
                continue
            else:
                source = revision.read(cf)
                files_read += 1
                bytes_read += len(source)
                result = settings.selection.analyze(
                    cf.path,
                    source,
                    changed_lines=cf.added_lines,
                    deleted_after=cf.deleted_after,
                    project=project,
                )
                if key is not None:
                    done[key] = result
            if result.incomplete_reason:  # unparsable, or a rule failed: never "clean"
                log.warning("could not analyse %s: %s", cf.path, result.incomplete_reason)
                analysis.unanalysed.append(Unanalysed(cf.path, result.incomplete_reason))
            analysis.results.append(result)
        if over_files:
            analysis.capped.append(
                f"{over_files} changed Python file{_s(over_files)} not analysed: at most "
                f"{review.max_files_per_patchset} distinct files are analysed per patch set"
            )
        if over_bytes:
            analysis.capped.append(
                f"{over_bytes} changed Python file{_s(over_bytes)} not analysed: at most "
                f"{review.max_bytes_per_patchset} bytes are read per patch set"
            )
        self._cap_findings(analysis, review.max_findings_per_patchset)
        if analysis.capped:
            log.warning("patch set over its caps: %s", "; ".join(analysis.capped))
        return analysis

    @staticmethod
    def _cap_findings(analysis: Analysis, cap: int) -> None:
        """Keep at most ``cap`` findings over the patch set, the most severe first."""
        found = analysis.findings
        if len(found) <= cap:
            return
        ranked = sorted(found, key=lambda f: (-f.severity.rank, f.path, f.line, f.rule))
        keep = {id(f) for f in ranked[:cap]}
        for result in analysis.results:
            result.findings = [f for f in result.findings if id(f) in keep]
        analysis.capped.append(
            f"{len(found)} findings, of which only the {cap} most severe are reported "
            f"(at most {cap} per patch set)"
        )

    def _unanalysable(self, cf: ChangedFile) -> Unanalysed | None:
        """Why a changed Python file is not read at all (binary, too large), or None."""
        if cf.binary:
            log.info("not analysing %s: binary file", cf.path)
            return Unanalysed(cf.path, "binary file")
        if cf.too_large:
            limit = self.config.review.max_file_bytes
            log.info("not analysing %s: %d bytes is over the size limit", cf.path, cf.size)
            return Unanalysed(cf.path, f"{cf.size} bytes, over the {limit}-byte limit")
        return None

    def _already_reported(self, job: Job) -> frozenset[str]:
        """Fingerprints posted on earlier patch sets; none for a full review (recheck, rerun)."""
        if job.kind in (JobKind.RECHECK, JobKind.RERUN):
            return frozenset()
        return frozenset(self.store.posted_fingerprints(job.change, job.patchset))

    def _render(
        self, job: Job, analysis: Analysis, already: frozenset[str], elapsed_s: float
    ) -> tuple[RenderedReview, ReviewRecord]:
        review = self.config.review
        full_review = job.kind in (JobKind.RECHECK, JobKind.RERUN)
        ctx = ReviewContext(
            project=job.project,
            change=job.change,
            patchset=job.patchset,
            findings=analysis.findings,
            run_marker=job.run_marker,
            files_analysed=sum(1 for r in analysis.results if r.analysed),
            lines_changed=analysis.lines_changed,
            rules_run=len(analysis.settings.selection.rules if analysis.settings else self.rules),
            duration_s=elapsed_s,
            unanalysed=analysis.unanalysed,
            capped=analysis.capped,
            suppressed=len(analysis.suppressed),
            already_posted=already,
            full_review=full_review,
            recheck_by=job.requested_by if job.kind == JobKind.RECHECK else "",
            recheck_keyword=self.config.recheck.keyword,
            max_inline_comments=review.max_inline_comments,
            unresolved=review.unresolved,
            commentable_paths=frozenset(analysis.changed_paths),
            project_settings=analysis.settings,
            observation_rules=frozenset(review.observation_rules),
            list_observations=review.list_observations,
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
            errors=[f"{u.path}: {u.reason}" for u in analysis.unanalysed] + analysis.capped,
        )
        return rendered, record


def _analysis_key(cf: ChangedFile, settings: AppliedSettings) -> tuple[object, ...] | None:
    """What makes two changed files analyse alike: the same blob, the same changed and
    deleted lines, the same test classification and rule set (None: no blob id known)."""
    if cf.blob_id is None:
        return None
    selection = settings.selection
    return (
        cf.blob_id,
        cf.added_lines,
        cf.deleted_after,
        selection.is_test(cf.path),
        tuple(r.id for r in selection.rules_for(cf.path)),
    )


def _for_path(result: FileResult, path: str) -> FileResult:
    """A copy of ``result`` (of an identical blob) as if ``path`` had been analysed."""
    return dataclasses.replace(
        result,
        path=path,
        findings=[dataclasses.replace(f, path=path) for f in result.findings],
        suppressed=[
            dataclasses.replace(s, finding=dataclasses.replace(s.finding, path=path))
            for s in result.suppressed
        ],
        rule_errors=list(result.rule_errors),
    )


Comments = dict[str, list[dict[str, object]]]


# Words of Gerrit's 400s about a comment's fix suggestions (CommentsValidator).
_FIX_REFUSALS = ("suggested fix", "for the replacement of", "Replacements overlap")


def _without_fixes(exc: gerrit_error.HTTPError, comments: Comments) -> Comments | None:
    """The comments without their ``fix_suggestions`` when Gerrit refused the review for
    one of them (a 400 in the words of its fix checks), else None."""
    if exc.status_code != 400 or not any(
        "fix_suggestions" in c for items in comments.values() for c in items
    ):
        return None
    body = exc.body or ""
    if not any(words in body for words in _FIX_REFUSALS):
        return None
    return {
        path: [{k: v for k, v in c.items() if k != "fix_suggestions"} for c in items]
        for path, items in comments.items()
    }


def _without_refused(exc: gerrit_error.HTTPError, comments: Comments) -> Comments | None:
    """The inline comments to post again after Gerrit refused a review with ``exc``, or
    None when no re-post can help (not a 400, or no inline comment left to drop).

    A 400 whose message names some commented paths (``file X not found in revision``, a
    range not valid on X) drops the comments on those paths; any other 400 with inline
    comments (a comment over the server's size limit…) drops them all: the summary lists
    every finding anyway, and one refused comment must not sink the review.
    """
    if exc.status_code != 400 or not comments:
        return None
    body = exc.body or ""
    named = {path for path in comments if path and path in body}
    if named:
        return {path: items for path, items in comments.items() if path not in named}
    return {}


def _count(comments: Comments) -> int:
    return sum(len(items) for items in comments.values())


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:200] if lines else ""


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _beat(heartbeat: Callable[[], bool]) -> None:
    if not heartbeat():
        raise LeaseLost("the job's lease was taken over by another worker")
