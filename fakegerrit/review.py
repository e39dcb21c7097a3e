"""``POST .../revisions/{rev}/review``: validation and application of a ReviewInput."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import HttpError
from .fixes import stored_fix_suggestions, validate_fix_suggestions
from .gitstore import MAGIC_COMMIT_MSG, MAGIC_MERGE_LIST, MAGIC_PATCHSET_LEVEL, MAGIC_PATHS
from .model import LABELS, Account, Change, Comment, PatchSet, State
from .views import Views

COMMENT_SIZE_LIMIT = 16 * 1024
#: gerrit.serverId: every comment's approximate size counts it
SERVER_ID = "173816e5-2b9a-37c3-8a2e-48639d4f1153"
#: the group whose members' replies leave the attention set alone (ServiceUserClassifier)
SERVICE_USERS = "Service Users"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_comment(path: str, c: dict[str, Any]) -> None:
    line = c.get("line")
    rng = c.get("range")
    side = c.get("side")
    if path == MAGIC_PATCHSET_LEVEL:
        # Gerrit checks `line != null`: a line of 0 is refused too.
        if line is not None or rng is not None or side is not None:
            raise HttpError(400, "Patchset-level comments can't have side, range, or line")
        return
    if line is not None:
        if not _is_int(line):
            raise HttpError(400, "Invalid application/json in request")
        if line < 0:
            raise HttpError(400, f"negative line number {line} not allowed on {path}")
    if rng is not None:
        if not isinstance(rng, dict):
            raise HttpError(400, "Invalid application/json in request")
        sl, sc = rng.get("start_line", 0), rng.get("start_character", 0)
        el, ec = rng.get("end_line", 0), rng.get("end_character", 0)
        if not all(_is_int(x) for x in (sl, sc, el, ec)):
            raise HttpError(400, "Invalid application/json in request")
        valid = sl > 0 and el > 0 and sc >= 0 and ec >= 0 and sl <= el and (sl != el or sc <= ec)
        if not valid:
            raise HttpError(
                400, f"Range ({sl}:{sc} - {el}:{ec}) is not valid for the comment on {path}"
            )
    if side is not None and side not in ("REVISION", "PARENT"):
        raise HttpError(400, "Invalid application/json in request")
    if side == "PARENT" and path in (MAGIC_COMMIT_MSG, MAGIC_MERGE_LIST):
        raise HttpError(400, f"cannot comment on {path} on auto-merge")


def _comment_key(path: str, ps: int, c: dict[str, Any] | Comment) -> tuple[Any, ...]:
    if isinstance(c, Comment):
        rng = tuple(sorted(c.range.items())) if c.range else None
        return (path, ps, c.line or 0, c.side or "REVISION", c.message, rng)
    rng_in = c.get("range")
    rng = tuple(sorted(rng_in.items())) if isinstance(rng_in, dict) else None
    line = c.get("line") or 0
    if rng is not None:
        line = rng_in.get("end_line", line)  # type: ignore[union-attr]
    return (path, ps, line, c.get("side") or "REVISION", c.get("message"), rng)


def post_review(
    state: State,
    views: Views,
    ch: Change,
    ps: PatchSet,
    review: dict[str, Any],
    caller: Account,
    *,
    size_limit: int = COMMENT_SIZE_LIMIT,
) -> tuple[int, dict[str, Any]]:
    """Validate and apply ``review``; returns the HTTP status and the ReviewResult."""
    if review.get("ready") and review.get("work_in_progress"):
        raise HttpError(400, "work_in_progress and ready are mutually exclusive")
    labels_in, labels = _labels(review, ch)
    # Comments: drop empty ones, then validate everything before writing anything.
    pending = _pending_comments(review, views, ch, ps)
    message = review.get("message")
    if message is not None and not isinstance(message, str):
        raise HttpError(400, "Invalid application/json in request")
    tag = review.get("tag") if isinstance(review.get("tag"), str) else None
    _check_sizes(pending, message, size_limit, tag)
    by_id = {c.id: c for c in ch.comments}
    for _path, c in pending:
        reply = c.get("in_reply_to")
        if reply is not None and reply not in by_id:
            raise HttpError(400, f"Invalid in_reply_to {reply}")
    # Reviewers: any failure rejects the whole review with a JSON ReviewResult.
    reviewer_results, to_add = _reviewers(state, views, review)
    if any("error" in v for v in reviewer_results.values()):
        return 400, {"reviewers": reviewer_results, "error": "error adding reviewer"}
    if review.get("omit_duplicate_comments"):
        published = {
            _comment_key(c.path, c.patch_set, c) for c in ch.comments if c.patch_set == ps.number
        }
        pending = [(p, c) for p, c in pending if _comment_key(p, ps.number, c) not in published]

    checked = _Checked(labels, pending, message, by_id, to_add)
    with state.lock:
        _apply(state, ch, ps, review, caller, checked, views)

    result: dict[str, Any] = {}
    if labels_in:
        result["labels"] = labels
    if reviewer_results:
        result["reviewers"] = reviewer_results
    if review.get("ready"):
        result["ready"] = True
    if views.at_least(3, 9):
        fmt = review.get("response_format_options") or []
        result["change_info"] = views.change_info(
            ch, frozenset(x for x in fmt if isinstance(x, str))
        )
    return 200, result


# ---------------------------------------------------------------------- validation


def _labels(review: dict[str, Any], ch: Change) -> tuple[dict[str, Any], dict[str, int]]:
    """The labels as given and the votes kept: unknown labels or values are silently dropped."""
    labels_in = review.get("labels") or {}
    if not isinstance(labels_in, dict):
        raise HttpError(400, "Invalid application/json in request")
    labels: dict[str, int] = {}
    for name, value in labels_in.items():
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            value = int(value.strip())
        if name in LABELS and _is_int(value) and value in LABELS[name]:
            labels[name] = value
    if labels_in and ch.status != "NEW":
        raise HttpError(409, "change is closed")
    return labels_in, labels


def _pending_comments(
    review: dict[str, Any], views: Views, ch: Change, ps: PatchSet
) -> list[tuple[str, dict[str, Any]]]:
    """The non-empty comments of the review, each validated, with the path it is on."""
    comments_in = review.get("comments") or {}
    if not isinstance(comments_in, dict):
        raise HttpError(400, "Invalid application/json in request")
    modified = set(views.modified_paths(ch, ps))
    pending: list[tuple[str, dict[str, Any]]] = []
    for path, items in comments_in.items():
        if not isinstance(items, list):
            raise HttpError(400, "Invalid application/json in request")
        for c in items:
            if not isinstance(c, dict):
                raise HttpError(400, "Invalid application/json in request")
            message = c.get("message")
            if not isinstance(message, str) or not message.strip():
                continue
            real_path = c.get("path") or path
            if real_path not in MAGIC_PATHS and real_path not in modified:
                raise HttpError(
                    400, f"file {real_path} not found in revision {ch.number},{ps.number}"
                )
            _validate_comment(real_path, c)
            validate_fix_suggestions(real_path, c, views)
            pending.append((real_path, c))
    return pending


# Comment.getApproximateSize adds the lengths of these fields the client does not send.
_REV_ID_LENGTH = 40  # the commit SHA the comment is on
_SERVER_ID_LENGTH = len(SERVER_ID)  # the server's UUID
_UUID_LENGTH = 17  # a new comment's id, "%08x_%08x"


def _java_length(text: str | None) -> int:
    """``String.length()``: UTF-16 code units."""
    return 0 if text is None else len(text.encode("utf-16-le", "surrogatepass")) // 2


def _check_sizes(
    pending: list[tuple[str, dict[str, Any]]],
    message: str | None,
    size_limit: int,
    tag: str | None = None,
) -> None:
    """``change.commentSizeLimit`` as ``CommentSizeValidator`` applies it: an inline
    comment's size is its message plus its parent's id, tag, revision, server id, path and
    own id (``Comment.getApproximateSize``); the change message's is its length."""
    fixed = _REV_ID_LENGTH + _SERVER_ID_LENGTH + _UUID_LENGTH
    sizes = [
        _java_length(c["message"])
        + _java_length(c.get("in_reply_to"))
        + _java_length(tag)
        + _java_length(path)
        + fixed
        for path, c in pending
    ]
    if message:
        sizes.append(_java_length(message))
    for size in sizes:
        if size > size_limit:
            raise HttpError(
                400,
                "One or more comments were rejected in validation: "
                f"Comment size exceeds limit ({size} > {size_limit})",
            )


def _reviewers(
    state: State, views: Views, review: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """The ReviewResult's ``reviewers`` part and the (account, state) pairs to add."""
    reviewer_results: dict[str, Any] = {}
    to_add: list[tuple[int, str]] = []
    for r in review.get("reviewers") or []:
        if not isinstance(r, dict) or not isinstance(r.get("reviewer"), str):
            raise HttpError(400, "Invalid application/json in request")
        found = state.resolve_accounts(r["reviewer"])
        if len(found) != 1:
            reviewer_results[r["reviewer"]] = {
                "input": r["reviewer"],
                "error": f"{r['reviewer']} does not identify a registered user or group",
            }
        else:
            st = r.get("state") or "REVIEWER"
            to_add.append((found[0].account_id, st))
            key = "ccs" if st == "CC" else "reviewers"
            reviewer_results[r["reviewer"]] = {
                "input": r["reviewer"],
                key: [views.account(found[0].account_id)],
            }
    return reviewer_results, to_add


# ---------------------------------------------------------------------- application


@dataclass
class _Checked:
    """What validation kept of a ReviewInput, ready to be written."""

    labels: dict[str, int]
    pending: list[tuple[str, dict[str, Any]]]  # (path, CommentInput)
    message: str | None
    by_id: dict[str, Comment]  # the change's published comments, for in_reply_to
    to_add: list[tuple[int, str]]  # (account id, reviewer state)


def _apply(
    state: State,
    ch: Change,
    ps: PatchSet,
    review: dict[str, Any],
    caller: Account,
    checked: _Checked,
    views: Views,
) -> None:
    """Write the validated review: votes, the change message, comments, reviewers, WIP."""
    pending, message = checked.pending, checked.message
    now = state.now()
    tag = review.get("tag") if isinstance(review.get("tag"), str) else None
    votes_text = _vote(ch, caller, checked.labels)
    text = f"Patch Set {ps.number}:{votes_text}"
    if pending:
        text += "\n\n(1 comment)" if len(pending) == 1 else f"\n\n({len(pending)} comments)"
    if message and message.strip():
        text += "\n\n" + message.strip()
    msg_id = None
    if votes_text or pending or (message and message.strip()):
        msg = state.add_message(ch.number, caller.account_id, text, tag, ps.number)
        msg_id = msg.id
    for path, c in pending:
        reply = c.get("in_reply_to")
        ch.comments.append(
            Comment(
                id=state.new_id("comment"),
                path=path,
                patch_set=ps.number,
                commit_id=ps.sha,
                message=c["message"],
                updated=now,
                author=caller.account_id,
                in_reply_to=reply,
                tag=tag,
                change_message_id=msg_id,
                fix_suggestions=stored_fix_suggestions(state, c, views),
                **_placement(c, checked.by_id[reply].unresolved if reply else False),
            )
        )
    for acc_id, st in checked.to_add:
        ch.reviewers[acc_id] = "CC" if st == "CC" else "REVIEWER"
    if caller.account_id != ch.owner and caller.account_id not in ch.reviewers:
        ch.reviewers[caller.account_id] = "REVIEWER"
    if review.get("ready") and ch.wip:
        state.set_wip(ch.number, False, caller.account_id)
    if review.get("work_in_progress") and not ch.wip:
        state.set_wip(ch.number, True, caller.account_id)
    if msg_id is not None or pending:
        _attention_rules(ch, review, caller, now)
    state.touch(ch, now)
    recorded = dict(review)
    recorded["_patchset"] = ps.number
    ch.reviews.append(recorded)


def _attention_rules(ch: Change, review: dict[str, Any], caller: Account, now: Any) -> None:
    """Gerrit's automatic attention-set rules for a reply (AttentionSetUtil, PostReviewOp):
    the replier leaves the set; on an open, ready change a reply by anyone but a member of
    "Service Users" adds the owner and the uploader. ``ignore_automatic_attention_set_rules``
    turns all of it off."""
    if review.get("ignore_automatic_attention_set_rules") is True:
        return
    ch.attention.pop(caller.account_id, None)
    if ch.status != "NEW" or ch.wip or SERVICE_USERS in caller.groups:
        return
    for who in dict.fromkeys((ch.owner, ch.current.uploader)):
        if who != caller.account_id:
            ch.attention[who] = (now, "Someone else replied on the change")


def _vote(ch: Change, caller: Account, labels: dict[str, int]) -> str:
    """Record the caller's votes; returns the change message's " Label+1 -Other" part."""
    votes_text = ""
    for name in sorted(labels):
        value = labels[name]
        old = ch.votes.get(name, {}).get(caller.account_id, 0)
        if old != value:
            votes_text += f" -{name}" if value == 0 else f" {name}{'+' if value > 0 else ''}{value}"
        ch.votes.setdefault(name, {})[caller.account_id] = value
    return votes_text


def _placement(c: dict[str, Any], inherited_unresolved: bool) -> dict[str, Any]:
    """A CommentInput's line, range, side and parent, and whether its thread is unresolved.

    A reply without ``unresolved`` inherits the state of the comment it replies to.
    """
    unresolved = c.get("unresolved")
    rng = c.get("range")
    side = c.get("side")
    return {
        "unresolved": bool(inherited_unresolved if unresolved is None else unresolved),
        "line": rng["end_line"] if rng is not None else (c.get("line") or None),
        "range": (
            {k: rng[k] for k in ("start_line", "start_character", "end_line", "end_character")}
            if rng is not None
            else None
        ),
        "side": "PARENT" if side == "PARENT" else None,
        "parent": c.get("parent") if side == "PARENT" else None,
    }
