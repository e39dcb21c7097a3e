"""Fix suggestions on comments, and the change edit they are applied to, as Gerrit does them.

* ``CommentInput.fix_suggestions`` (servers from 3.10, where ordinary comments took over the
  field from robot comments; an older server does not know the field and ignores it) is
  checked at posting like Gerrit's ``CommentsValidator``, with its 400 texts: a description,
  at least one replacement, each with a path that is not ``/PATCHSET_LEVEL``, a valid range
  and a replacement text, and no two replacements of one file overlapping. Each stored
  suggestion gets a ``fix_id`` and comes back with its comment.
* Where a range lies (inside the file, on a path of the patch set) is checked when the fix
  is applied, as Gerrit's ``FixCalculator`` does: ``POST …/revisions/{rev}/fixes/{fix_id}/apply``
  creates (or extends) the caller's change edit, ``GET …/edit`` shows it, ``POST
  …/edit:publish`` turns it into a new patch set and ``DELETE …/edit`` drops it.

A change edit is what Gerrit keeps too: a commit on ``refs/users/NN/ACCOUNT/edit-CHANGE/PS``,
one per user and change, based on patch set PS.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import HttpError
from .gitstore import MAGIC_PATCHSET_LEVEL, compute_kind, signature
from .model import Account, Change, Comment, PatchSet, State, change_ref
from .views import Views

__all__ = [
    "apply_all_and_publish",
    "apply_fix",
    "delete_edit",
    "edit_info",
    "fix_suggestions_of",
    "publish_edit",
    "stored_fix_suggestions",
    "takes_fix_suggestions",
    "validate_fix_suggestions",
]

_BAD_JSON = "Invalid application/json in request"
_RANGE_KEYS = ("start_line", "start_character", "end_line", "end_character")


def takes_fix_suggestions(views: Views) -> bool:
    """``CommentInput.fix_suggestions`` exists from 3.10 on."""
    return views.at_least(3, 10)


# ------------------------------------------------------------------ posting


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _range(rng: Any) -> tuple[int, int, int, int]:
    if not isinstance(rng, dict):
        raise HttpError(400, _BAD_JSON)
    values = tuple(rng.get(k, 0) for k in _RANGE_KEYS)
    if not all(_is_int(v) for v in values):
        raise HttpError(400, _BAD_JSON)
    return values[0], values[1], values[2], values[3]


def _valid(sl: int, sc: int, el: int, ec: int) -> bool:
    return sl > 0 and sc >= 0 and el > 0 and ec >= 0 and sl <= el and (sl != el or sc <= ec)


def validate_fix_suggestions(path: str, comment: dict[str, Any], views: Views) -> None:
    """Gerrit's checks of a comment's ``fix_suggestions``, in its order and with its texts."""
    suggestions = comment.get("fix_suggestions")
    if suggestions is None or not takes_fix_suggestions(views):
        return
    if not isinstance(suggestions, list):
        raise HttpError(400, _BAD_JSON)
    for suggestion in suggestions:
        if not isinstance(suggestion, dict):
            raise HttpError(400, _BAD_JSON)
        description = suggestion.get("description")
        if description is None:
            raise HttpError(
                400, f"A description is required for the suggested fix of the comment on {path}"
            )
        if not isinstance(description, str):
            raise HttpError(400, _BAD_JSON)
        _validate_replacements(path, suggestion.get("replacements"))


def _validate_replacements(path: str, replacements: Any) -> None:
    if replacements is not None and not isinstance(replacements, list):
        raise HttpError(400, _BAD_JSON)
    if not replacements:
        raise HttpError(
            400,
            f"At least one replacement is required for the suggested fix of the comment on {path}",
        )
    per_path: dict[str, list[tuple[int, int, int, int]]] = {}
    for r in replacements:
        if not isinstance(r, dict):
            raise HttpError(400, _BAD_JSON)
        target = r.get("path")
        if target is None:
            raise HttpError(
                400, f"A file path must be given for the replacement of the comment on {path}"
            )
        if not isinstance(target, str):
            raise HttpError(400, _BAD_JSON)
        if target == MAGIC_PATCHSET_LEVEL:
            raise HttpError(
                400,
                f"A file path must not be {MAGIC_PATCHSET_LEVEL} for the replacement of the "
                f"comment on {path}",
            )
        if r.get("range") is None:
            raise HttpError(
                400, f"A range must be given for the replacement of the comment on {path}"
            )
        rng = _range(r["range"])
        if not _valid(*rng):
            raise HttpError(
                400,
                "Range ({}:{} - {}:{}) is not valid for the comment on {}".format(*rng, path),
            )
        text = r.get("replacement")
        if text is None:
            raise HttpError(
                400,
                "A content for replacement must be indicated for the replacement of the "
                f"comment on {path}",
            )
        if not isinstance(text, str):
            raise HttpError(400, _BAD_JSON)
        per_path.setdefault(target, []).append(rng)
    for ranges in per_path.values():
        _no_overlap(path, ranges)


def _no_overlap(path: str, ranges: list[tuple[int, int, int, int]]) -> None:
    """Sorted by start, each range must start at or after the previous one's end (two
    ranges may touch; Gerrit compares exactly so)."""
    end_line, end_char = 0, -1
    for sl, sc, el, ec in sorted(ranges):
        if sl < end_line or (sl == end_line and sc < end_char):
            raise HttpError(400, f"Replacements overlap for the comment on {path}")
        end_line, end_char = el, ec


def stored_fix_suggestions(
    state: State, comment: dict[str, Any], views: Views
) -> list[dict[str, Any]] | None:
    """The FixSuggestionInfos kept with a validated comment, each with its new ``fix_id``
    (None when the comment has none, or the server predates the field)."""
    suggestions = comment.get("fix_suggestions")
    if not suggestions or not takes_fix_suggestions(views):
        return None
    return [
        {
            "fix_id": state.new_id("comment"),  # Gerrit's fix ids look like comment ids
            "description": s["description"],
            "replacements": [
                {
                    "path": r["path"],
                    "range": {k: r["range"].get(k, 0) for k in _RANGE_KEYS},
                    "replacement": r["replacement"],
                }
                for r in s["replacements"]
            ],
        }
        for s in suggestions
    ]


# ------------------------------------------------------------------ the change edit


def _edit_prefix(ch: Change, account: Account) -> str:
    acc = account.account_id
    return f"refs/users/{acc % 100:02d}/{acc}/edit-{ch.number}/"


def _find_edit(state: State, ch: Change, account: Account) -> tuple[str, str, int] | None:
    """The caller's edit of ``ch``: (ref, commit, base patch set number), or None."""
    prefix = _edit_prefix(ch, account)
    repo = state.git.repo(ch.project)
    for name in repo.references:
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            return name, str(repo.references[name].target), int(name[len(prefix) :])
    return None


def _check_can_edit(ch: Change, caller: Account | None) -> Account:
    if caller is None:
        raise HttpError(403, "Authentication required")
    if ch.status != "NEW":
        raise HttpError(409, f"change {ch.number} is {ch.status.lower()}")
    if caller.account_id != ch.owner:
        raise HttpError(403, "edit not permitted")
    return caller


def _find_fix(ch: Change, ps: PatchSet, fix_id: str) -> list[dict[str, Any]]:
    for c in ch.comments:
        if c.patch_set != ps.number:
            continue
        for suggestion in c.fix_suggestions or ():
            if suggestion["fix_id"] == fix_id:
                return list(suggestion["replacements"])
    raise HttpError(404, f"Not found: {fix_id}")


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _apply_replacements(text: str, replacements: list[dict[str, Any]]) -> str:
    """FixCalculator: replacements in range order, each range inside the file; characters
    counted as Java counts them (UTF-16 units)."""
    lines = text.split("\n")
    starts = _line_starts(text)
    out: list[str] = []
    pos = 0
    for r in sorted(replacements, key=lambda r: tuple(r["range"][k] for k in _RANGE_KEYS)):
        sl, sc, el, ec = (r["range"][k] for k in _RANGE_KEYS)
        where = f"({sl}:{sc} - {el}:{ec})"

        def offset(line: int, col: int, where: str = where) -> int:
            if not 0 < line <= len(lines):
                raise HttpError(409, f"Cannot calculate fix replacement for range {where}")
            head = lines[line - 1].encode("utf-16-le")[: col * 2]
            if col * 2 > len(lines[line - 1].encode("utf-16-le")):
                raise HttpError(409, f"Cannot calculate fix replacement for range {where}")
            return starts[line - 1] + len(head.decode("utf-16-le", "replace"))

        start, end = offset(sl, sc), offset(el, ec)
        if start < pos:
            raise HttpError(409, f"Cannot calculate fix replacement for range {where}")
        out.append(text[pos:start])
        out.append(r["replacement"])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _edit_info(
    views: Views, ch: Change, base: PatchSet, sha: str, ref: str, caller: Account
) -> dict[str, Any]:
    holder = PatchSet(0, sha, base.parent, base.kind, base.created, caller.account_id, ref)
    return {
        "commit": views.commit_info(ch, holder, with_sha=True),
        "base_patch_set_number": base.number,
        "base_revision": base.sha,
        "ref": ref,
    }


def apply_fix(
    state: State, views: Views, ch: Change, ps: PatchSet, fix_id: str, caller: Account | None
) -> dict[str, Any]:
    """``POST …/revisions/{rev}/fixes/{fix_id}/apply``: the EditInfo of the edit made."""
    replacements = _find_fix(ch, ps, fix_id)
    account = _check_can_edit(ch, caller)
    existing = _find_edit(state, ch, account)
    if existing is not None and existing[2] != ps.number:
        raise HttpError(
            409,
            f"Only the patch set {ch.number},{existing[2]} on which the existing change edit "
            f"is based may be modified (fix for {ch.number},{ps.number})",
        )
    if existing is None and ps is not ch.current:
        raise HttpError(
            409,
            f"A change edit may only be created for the current patch set "
            f"{ch.number},{ch.current.number} (and not for {ch.number},{ps.number})",
        )
    # The fix is applied to the patch set's files; an existing edit is then merged with
    # that tree (a fix already in the edit merges into the same edit), as Gerrit does.
    changes: dict[str, str | bytes | None] = {}
    by_path: dict[str, list[dict[str, Any]]] = {}
    for r in replacements:
        by_path.setdefault(r["path"], []).append(r)
    for path, items in by_path.items():
        data = state.git.blob(ch.project, ps.sha, path)
        if data is None:
            raise HttpError(404, f"Not found: {path}")
        fixed = _apply_replacements(data.decode("utf-8", "replace"), items)
        changes[path] = fixed.encode("utf-8")
    repo = state.git.repo(ch.project)
    commit = state.git.commit_obj(ch.project, ps.sha)
    tree = state.git.tree_with_changes(ch.project, ps.sha, changes)
    if tree == commit.tree_id:
        raise HttpError(409, "no changes were made")
    if existing is not None:
        edit_commit = state.git.commit_obj(ch.project, existing[1])
        merged = repo.merge_trees(commit.tree, edit_commit.tree, tree)
        if merged.conflicts is not None:
            raise HttpError(409, "The existing change edit could not be merged with another tree.")
        tree = merged.write_tree(repo)
        if tree == edit_commit.tree_id:
            return _edit_info(views, ch, ps, existing[1], existing[0], account)
        commit = edit_commit
    committer = signature(account.name, account.email, state.now())
    sha = state.git.commit(
        ch.project, tree, [str(p) for p in commit.parent_ids], commit.message,
        commit.author, committer,
    )  # fmt: skip
    ref = f"{_edit_prefix(ch, account)}{ps.number}"
    state.git.set_ref(ch.project, ref, sha)
    return _edit_info(views, ch, ps, sha, ref, account)


def edit_info(
    state: State, views: Views, ch: Change, caller: Account | None
) -> dict[str, Any] | None:
    """``GET …/edit``: the caller's EditInfo, or None (Gerrit answers 204)."""
    if caller is None:
        raise HttpError(403, "Authentication required")
    found = _find_edit(state, ch, caller)
    if found is None:
        return None
    ref, sha, base = found
    return _edit_info(views, ch, ch.patchset(base), sha, ref, caller)


def _delete_ref(state: State, ch: Change, ref: str) -> None:
    with state.git.lock:
        state.git.repo(ch.project).references.delete(ref)


def delete_edit(state: State, ch: Change, caller: Account | None) -> None:
    """``DELETE …/edit``."""
    account = _check_can_edit(ch, caller)
    found = _find_edit(state, ch, account)
    if found is None:
        raise HttpError(409, f"no edit exists for change {ch.number}")
    _delete_ref(state, ch, found[0])


def publish_edit(state: State, ch: Change, caller: Account | None) -> int:
    """``POST …/edit:publish``: the edit becomes the next patch set; returns its number."""
    account = _check_can_edit(ch, caller)
    found = _find_edit(state, ch, account)
    if found is None:
        raise HttpError(409, f"no edit exists for change {ch.number}")
    ref, sha, base = found
    if base != ch.current.number:
        raise HttpError(409, "only edit for current patch set can be published")
    prev = ch.current
    number = prev.number + 1
    ps_ref = change_ref(ch.number, number)
    state.git.set_ref(ch.project, ps_ref, sha)
    kind = compute_kind(state.git.repo(ch.project), prev.sha, sha)
    now = state.now()
    ch.patchsets.append(PatchSet(number, sha, prev.parent, kind, now, account.account_id, ps_ref))
    _delete_ref(state, ch, ref)
    tag = "autogenerated:gerrit:newWipPatchSet" if ch.wip else "autogenerated:gerrit:newPatchSet"
    state.add_message(
        ch.number, account.account_id, f"Patch Set {number}: Published edit on patch set {base}.",
        tag, number,
    )  # fmt: skip
    return number


def fix_suggestions_of(c: Comment) -> list[dict[str, Any]] | None:
    """A stored comment's suggestions as CommentInfo shows them."""
    return [dict(s) for s in c.fix_suggestions] if c.fix_suggestions else None



def apply_all_and_publish(state: State, url: str, version: str, number: int) -> int:
    """What an author does by hand in the web UI, in one call (the demo's "fix-applied"
    sample): as the change owner, *Apply fix* on every fix stored on the current patch set,
    then publish the edit. Returns the new patch set's number."""
    with state.lock:
        ch = state.change(number)
        owner = state.accounts[ch.owner]
        views = Views(state, url, version, owner)
        ps = ch.current
        fix_ids = [
            s["fix_id"]
            for c in ch.comments
            if c.patch_set == ps.number
            for s in c.fix_suggestions or ()
        ]
        if not fix_ids:
            raise HttpError(409, f"no fix is stored on patch set {ch.number},{ps.number}")
        for fix_id in fix_ids:
            apply_fix(state, views, ch, ps, fix_id, owner)
        return publish_edit(state, ch, owner)
