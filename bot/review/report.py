"""Render findings into the review Gerrit receives: one summary message plus inline comments.

The output is CommonMark (Gerrit renders change messages and comments as Markdown), so
everything that comes from the change under review — paths, code, commit subjects — goes
through :func:`md_code` or :func:`md_text` and cannot alter the layout around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from bot import __version__
from bot.analysis import Finding, Severity, cwe_name
from bot.markdown import md_block, md_code, md_text
from bot.review.project_settings import AppliedSettings
from bot.review.suggestions import FORMS, review_fix

#: The shipped templates, inside the package (an operator's ``review.templates_dir`` comes first).
SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "templates"

CLEAN_VERDICT = "No security defects are detected in the code."
#: The verdict's first line when no defect was found but some changed Python file was not
#: (fully) analysed: never the clean sentence, since the unread part may hold one.
INCOMPLETE_VERDICT = (
    "Analysis incomplete: {n} changed Python file{s} could not be analysed (listed below), "
    "so this review cannot say that the change is free of security defects."
)
#: The same when only a per-patch-set cap cut what was reported (findings past the cap).
CAPPED_VERDICT = (
    "Analysis incomplete: this patch set went over the bot's limits (listed below), "
    "so this review cannot say that the change is free of security defects."
)
#: At most this many "Not analysed" entries are listed; the rest are counted.
MAX_UNANALYSED_LISTED = 50
# Gerrit rejects a message or comment over 16 KiB; keep a margin as Zuul does.
MESSAGE_LIMIT_BYTES = 16_000
TRUNCATED = "\n\n… (truncated: the full review is on the bot's dashboard)"
# The last line of every summary names the job's run; a worker that crashed after posting
# finds it on Gerrit and does not post twice.
_RUN_MARKER = re.compile(r"^security-bot run ([0-9a-f]{32})\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Unanalysed:
    """A changed file the bot could not analyse, and why (binary, too large, does not parse)."""

    path: str
    reason: str


@dataclass
class ReviewContext:
    """Everything the templates may show about one review."""

    project: str
    change: int
    patchset: int
    findings: Sequence[Finding]
    run_marker: str
    files_analysed: int = 0
    lines_changed: int = 0
    rules_run: int = 0
    duration_s: float = 0.0
    unanalysed: Sequence[Unanalysed] = ()
    #: what a per-patch-set cap cut (files, bytes, findings), one sentence each
    capped: Sequence[str] = ()
    suppressed: int = 0
    already_posted: frozenset[str] = frozenset()  # fingerprints posted inline on earlier patch sets
    full_review: bool = False  # a recheck asks for everything to be posted again
    recheck_by: str = ""
    recheck_keyword: str = "recheck-security"
    max_inline_comments: int = 25
    unresolved: bool = False
    commentable_paths: frozenset[str] | None = None  # paths the patch set changed (None: all)
    project_settings: AppliedSettings | None = None  # the target branch's [security-bot]
    # Posting policy (review.observation_rules, review.list_observations): findings of these
    # rules are observations whatever their severity (their judged precision is below the
    # bar); observations get no inline comment and are listed, or only counted.
    observation_rules: frozenset[str] = frozenset()
    list_observations: bool = True


@dataclass
class RenderedReview:
    verdict: str  # "clean" | "defects" | "incomplete"
    message: str
    comments: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    inline: list[Finding] = field(default_factory=list)  # the findings posted as inline comments


def with_note(message: str, note: str) -> str:
    """``message`` with ``note`` (already Markdown-safe) added above its footer, capped again."""
    head, sep, footer = message.rpartition("\n---\n")
    if not sep:
        return _cap(f"{message}\n\n{note}", keep_tail_lines=1)
    return _cap(f"{head}\n\n{note}\n{sep}{footer}", keep_tail_lines=3)


def find_run_marker(message: str) -> str | None:
    """The run marker in a posted summary, or None."""
    match = _RUN_MARKER.search(message)
    return match.group(1) if match else None


def _environment(templates_dir: str | Path | None) -> jinja2.Environment:
    search = []
    if templates_dir:
        search.append(str(Path(templates_dir)))
    search.append(str(SHIPPED_TEMPLATES))
    # Markdown, not HTML: HTML autoescaping would be wrong here. Untrusted values are
    # neutralised by the md_* filters instead.
    env = jinja2.Environment(  # nosec template-autoescape-off B701 - Markdown output, md_* filters
        loader=jinja2.FileSystemLoader(search),
        autoescape=False,  # noqa: S701 - Markdown, escaped by the md_* filters
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["md_code"] = md_code
    env.filters["md_block"] = md_block
    env.filters["md_text"] = md_text
    env.filters["cwe_name"] = _cwe_name
    return env


def _cwe_name(cwe_id: int) -> str:
    try:
        return cwe_name(cwe_id)
    except KeyError:
        return ""


class Renderer:
    """Renders reviews with the shipped templates, or the operator's own directory first.

    ``fixes`` is the form inline comments carry a finding's mechanical fix in (one of
    ``bot.review.suggestions.FORMS``): the service sets it once it has read the server's
    version; until then a ``suggestion`` block, which every server shows.
    """

    def __init__(
        self, templates_dir: str | Path | None = None, *, fixes: str = "suggestion"
    ) -> None:
        if fixes not in FORMS:
            raise ValueError(f"unknown fix form {fixes!r}")
        self.fixes = fixes
        self._env = _environment(templates_dir)
        self._message = self._env.get_template("message.md.j2")
        self._comment = self._env.get_template("comment.md.j2")
        self._refusal = self._env.get_template("refusal.md.j2")

    def render_refusal(self, *, keyword: str, requester: str, reason: str, run_marker: str) -> str:
        """The short reply to a refused recheck request."""
        text = self._refusal.render(
            keyword=keyword, requester=requester, reason=reason, run_marker=run_marker
        )
        return _cap(text, keep_tail_lines=1)

    def render(self, ctx: ReviewContext) -> RenderedReview:
        defects = [f for f in ctx.findings if _posted_as_defect(f, ctx)]
        observations = [f for f in ctx.findings if not _posted_as_defect(f, ctx)]
        withheld = 0 if ctx.list_observations else len(observations)
        if withheld:
            observations = []
        verdict = _verdict(defects, ctx)
        inline, not_inline = self._choose_inline(ctx, defects)
        comments: dict[str, list[dict[str, object]]] = {}
        for finding in inline:
            comments.setdefault(finding.path, []).append(self._inline(finding, ctx))
        message = self._message.render(
            ctx=ctx,
            version=__version__,
            verdict=verdict,
            clean_verdict=CLEAN_VERDICT,
            incomplete_verdict=(
                INCOMPLETE_VERDICT.format(
                    n=len(ctx.unanalysed), s="s" if len(ctx.unanalysed) != 1 else ""
                )
                if ctx.unanalysed
                else CAPPED_VERDICT
            ),
            unanalysed_listed=ctx.unanalysed[:MAX_UNANALYSED_LISTED],
            unanalysed_more=max(0, len(ctx.unanalysed) - MAX_UNANALYSED_LISTED),
            defects=_by_cwe(defects),
            defect_count=len(defects),
            severity_counts=_severity_counts(defects),
            observations=observations,
            inline_count=len(inline),
            repeated=sum(1 for f in ctx.findings if f.fingerprint in ctx.already_posted),
            over_cap=not_inline,
            withheld=withheld,
        )
        return RenderedReview(
            verdict=verdict,
            message=_cap(message, keep_tail_lines=3),
            comments=comments,
            inline=inline,
        )

    def _inline(self, finding: Finding, ctx: ReviewContext) -> dict[str, object]:
        """One CommentInput: the text, and the fix in the server's form when there is one.

        A ``suggestion`` block replaces the commented lines as a whole, so with one the
        comment covers exactly the lines the fix rewrites (a range when they are several);
        a text that would go over Gerrit's limit is sent without the block rather than cut
        inside it."""
        comment: dict[str, object] = {"line": finding.line, "unresolved": ctx.unresolved}
        fix = review_fix(finding) if self.fixes != "off" else None
        block = fix.suggestion_block() if fix is not None and self.fixes == "suggestion" else None
        attached = fix is not None and self.fixes == "fix_suggestions"
        text = self._comment.render(
            f=finding, version=__version__, suggestion=block or "", fix_attached=attached
        )
        if block is not None and len(text.encode("utf-8")) > MESSAGE_LIMIT_BYTES:
            block = None
            text = self._comment.render(
                f=finding, version=__version__, suggestion="", fix_attached=False
            )
        comment["message"] = _cap(text)
        if fix is not None and attached:
            comment["fix_suggestions"] = [fix.fix_suggestion()]
        if fix is not None and block is not None:
            comment["line"] = fix.last_line
            if fix.last_line != fix.first_line:
                comment["range"] = fix.comment_range()
        return comment

    @staticmethod
    def _choose_inline(ctx: ReviewContext, defects: list[Finding]) -> tuple[list[Finding], int]:
        """Defects that get an inline comment: on a changed path, not already posted, capped.
        Observations never do."""
        candidates = [
            f
            for f in sorted(defects, key=lambda f: (-f.severity.rank, f.path, f.line))
            if (ctx.commentable_paths is None or f.path in ctx.commentable_paths)
            and (ctx.full_review or f.fingerprint not in ctx.already_posted)
        ]
        chosen = candidates[: ctx.max_inline_comments]
        chosen.sort(key=lambda f: (f.path, f.line, f.rule))
        return chosen, len(candidates) - len(chosen)


def _verdict(defects: list[Finding], ctx: ReviewContext) -> str:
    """ "defects" when any were found; otherwise "clean" only when every changed Python file
    was analysed by every rule. A file that could not be read, parsed or fully checked
    (binary, too large, newer syntax, a rule that failed), or a per-patch-set cap that cut
    files or findings, makes the review "incomplete": it never claims the change is free of
    defects, and casts no clean vote."""
    if defects:
        return "defects"
    return "incomplete" if ctx.unanalysed or ctx.capped else "clean"


def _posted_as_defect(finding: Finding, ctx: ReviewContext) -> bool:
    """Medium and high findings are defects, except those of the rules the posting policy
    keeps as observations."""
    return finding.severity.is_defect and finding.rule not in ctx.observation_rules


def _by_cwe(findings: Iterable[Finding]) -> list[tuple[Finding, list[Finding]]]:
    """Group defects by CWE, most severe group first; each group keyed by its first finding."""
    groups: dict[int, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.path, f.line)):
        groups.setdefault(f.cwe, []).append(f)
    ordered = sorted(groups.values(), key=lambda g: (-max(f.severity.rank for f in g), g[0].cwe))
    return [(group[0], group) for group in ordered]


def _severity_counts(findings: Iterable[Finding]) -> list[tuple[str, int]]:
    counts = {s: 0 for s in (Severity.HIGH, Severity.MEDIUM)}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return [(s.value, n) for s, n in counts.items() if n]


def _cap(text: str, *, keep_tail_lines: int = 0) -> str:
    """Keep a message or comment under Gerrit's 16 KiB limit, cutting at a line end.

    The last ``keep_tail_lines`` lines (the summary's footer with the run marker) always survive.
    """
    data = text.encode("utf-8")
    if len(data) <= MESSAGE_LIMIT_BYTES:
        return text
    lines = text.split("\n")
    tail = "\n".join(lines[len(lines) - keep_tail_lines :]) if keep_tail_lines else ""
    body = "\n".join(lines[: len(lines) - keep_tail_lines]) if keep_tail_lines else text
    suffix = TRUNCATED + ("\n\n" + tail if tail else "")
    budget = MESSAGE_LIMIT_BYTES - len(suffix.encode("utf-8"))
    head = body.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    head = head.rsplit("\n", 1)[0] if "\n" in head else head
    return head + suffix
