"""``git push origin HEAD:refs/for/<branch>``: a pushed commit becomes a change, as in Gerrit.

Gerrit's ``ReceiveCommits`` turns a push to the magic ``refs/for/<branch>`` into a new change,
or into a new patch set of the open change of that project and branch whose ``Change-Id``
footer the commit carries. The fake lets ``git http-backend`` receive the objects (a
``pre-receive`` hook first refuses what Gerrit refuses: a commit without a ``Change-Id``
footer, an unknown target branch), then turns each ``refs/for/*`` ref it finds into a change
or patch set and deletes the ref, as Gerrit never keeps one.

The kind of a new patch set is computed from the commits as Gerrit's ``ChangeKindCacheImpl``
does (the cases a push can produce): same tree and parents and message: ``NO_CHANGE``; same
tree and parents: ``NO_CODE_CHANGE``; other parents but the same change against them:
``TRIVIAL_REBASE``; anything else ``REWORK``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pygit2

from .model import Change, PatchSet, State, change_ref

__all__ = ["PRE_RECEIVE_HOOK", "compute_kind", "install_hook", "receive_pushed_changes"]

_CHANGE_ID = re.compile(r"^Change-Id: (I[0-9a-f]{40})\s*$", re.MULTILINE)

# Refuses what Gerrit's ReceiveCommits refuses before anything is created; its messages.
PRE_RECEIVE_HOOK = """#!/bin/sh
status=0
while read old new ref; do
  case "$ref" in
    refs/for/*)
      branch="${ref#refs/for/}"; branch="${branch%%%*}"
      if ! git rev-parse --verify -q "refs/heads/$branch" >/dev/null; then
        echo "branch $branch not found" >&2; status=1; continue
      fi
      if ! git cat-file commit "$new" | grep -Eq '^Change-Id: I[0-9a-f]{40} *$'; then
        echo "ERROR: commit ${new%${new#???????}}: missing Change-Id in message footer" >&2
        status=1
      fi;;
    refs/changes/*|refs/meta/*)
      echo "cannot push to $ref: not permitted" >&2; status=1;;
  esac
done
exit $status
"""


def install_hook(repo_path: Path) -> None:
    """Write the ``pre-receive`` hook into a bare repository of the fake."""
    hooks = repo_path / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    hook = hooks / "pre-receive"
    hook.write_text(PRE_RECEIVE_HOOK)
    hook.chmod(0o755)


def _diff_key(repo: pygit2.Repository, old: str | None, new: str) -> str:
    new_tree = repo[new].peel(pygit2.Tree)
    if old is None:
        return new_tree.diff_to_tree(swap=True).patch or ""
    return repo[old].peel(pygit2.Tree).diff_to_tree(new_tree).patch or ""


def compute_kind(repo: pygit2.Repository, prev_sha: str, new_sha: str) -> str:
    """The kind of patch set ``new_sha`` is against ``prev_sha`` (see the module doc)."""
    prev, new = repo[prev_sha], repo[new_sha]
    assert isinstance(prev, pygit2.Commit) and isinstance(new, pygit2.Commit)
    if prev.tree_id == new.tree_id and prev.parent_ids == new.parent_ids:
        return "NO_CHANGE" if prev.message == new.message else "NO_CODE_CHANGE"
    if len(prev.parents) == 1 and len(new.parents) == 1:
        before = _diff_key(repo, str(prev.parent_ids[0]), prev_sha)
        after = _diff_key(repo, str(new.parent_ids[0]), new_sha)
        if _strip_positions(before) == _strip_positions(after):
            return (
                "TRIVIAL_REBASE"
                if prev.message == new.message
                else ("TRIVIAL_REBASE_WITH_MESSAGE_UPDATE")
            )
    if (
        len(prev.parents) > 1
        and len(new.parents) == len(prev.parents)
        and prev.parent_ids[1:] == new.parent_ids[1:]
        and prev.tree_id == new.tree_id
    ):
        return "MERGE_FIRST_PARENT_UPDATE"
    return "REWORK"


def _strip_positions(patch: str) -> list[str]:
    """A patch's changed lines, without hunk positions and index lines (which a rebase moves)."""
    return [
        line for line in patch.splitlines() if line[:1] in "+-" or line.startswith("diff --git")
    ]


def receive_pushed_changes(state: State, project: str, uploader: int) -> list[tuple[int, int]]:
    """Turn every ``refs/for/*`` ref of ``project`` into a change or patch set.

    Returns ``(change number, patch set number)`` of what was created.
    """
    made: list[tuple[int, int]] = []
    with state.lock:
        repo = state.git.repo(project)
        for name in [r for r in repo.references if r.startswith("refs/for/")]:
            sha = str(repo.references[name].peel(pygit2.Commit).id)
            repo.references.delete(name)
            branch = name[len("refs/for/") :].split("%", 1)[0]
            made.append(_receive(state, project, branch, sha, uploader))
    return made


def _receive(state: State, project: str, branch: str, sha: str, uploader: int) -> tuple[int, int]:
    repo = state.git.repo(project)
    commit = repo[sha]
    assert isinstance(commit, pygit2.Commit)
    found = _CHANGE_ID.findall(commit.message)
    change_id = found[-1] if found else None
    parent = str(commit.parent_ids[0]) if commit.parent_ids else None
    now = state.now()
    for ch in state.changes.values():
        if (ch.project, ch.branch, ch.change_id, ch.status) == (project, branch, change_id, "NEW"):
            if any(ps.sha == sha for ps in ch.patchsets):
                return ch.number, next(ps.number for ps in ch.patchsets if ps.sha == sha)
            kind = compute_kind(repo, ch.current.sha, sha)
            number = ch.current.number + 1
            ref = change_ref(ch.number, number)
            state.git.set_ref(project, ref, sha)
            ch.patchsets.append(PatchSet(number, sha, parent, kind, now, uploader, ref))
            ch.updated = now
            state._add_message(
                ch,
                uploader,
                f"Uploaded patch set {number}.",
                "autogenerated:gerrit:newPatchSet",
                number,
                now,
            )
            return ch.number, number
    number = state._next_change
    state._next_change += 1
    ref = change_ref(number, 1)
    state.git.set_ref(project, ref, sha)
    ch = Change(
        number=number,
        project=project,
        branch=branch,
        change_id=change_id or "",
        owner=uploader,
        created=now,
        updated=now,
        topic=None,
        wip=False,
        private=False,
        review_started=True,
    )
    ch.patchsets.append(PatchSet(1, sha, parent, "REWORK", now, uploader, ref))
    state._add_message(
        ch, uploader, "Uploaded patch set 1.", "autogenerated:gerrit:newPatchSet", 1, now
    )
    state.changes[number] = ch
    return number, 1
