"""Bare git repositories of the fake Gerrit, written and read with pygit2."""

from __future__ import annotations

import mimetypes
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pygit2
from pygit2.enums import FileMode

MAGIC_COMMIT_MSG = "/COMMIT_MSG"
MAGIC_MERGE_LIST = "/MERGE_LIST"
MAGIC_PATCHSET_LEVEL = "/PATCHSET_LEVEL"
MAGIC_PATHS = frozenset({MAGIC_COMMIT_MSG, MAGIC_MERGE_LIST, MAGIC_PATCHSET_LEVEL})

FileChanges = dict[str, str | bytes | None]


@dataclass(frozen=True)
class FileDelta:
    """One entry of a diff between two commits (a path of the new side)."""

    path: str
    status: str  # A, D, M, R, C, W
    old_path: str | None
    old_oid: str | None
    new_oid: str | None
    old_mode: int | None
    new_mode: int | None
    old_size: int
    new_size: int
    binary: bool
    lines_inserted: int
    lines_deleted: int


def gerrit_path(raw: bytes) -> str:
    """A path as Gerrit (JGit's ``RawParseUtils.decode``) names it: UTF-8, else ISO-8859-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _to_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def signature(name: str, email: str, when: datetime) -> pygit2.Signature:
    return pygit2.Signature(name, email, int(when.timestamp()), 0)


# The pre-receive hook of every repository (see push.py): refuses what Gerrit's
# ReceiveCommits refuses before anything is created, with its messages.
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
    *)
      # A direct update needs Gerrit's Push permission, which the fake grants by name.
      case " $FAKEGERRIT_DIRECT_PUSH " in
        *" $REMOTE_USER "*) ;;
        *) echo "prohibited by Gerrit: not permitted: update $ref" >&2; status=1;;
      esac;;
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


class GitStore:
    """One bare repository per project under ``root``; ``<root>/<project>.git``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._repos: dict[str, pygit2.Repository] = {}
        self._diff_cache: dict[tuple[str, str | None, str], list[FileDelta]] = {}
        self.lock = threading.RLock()

    def repo_path(self, project: str) -> Path:
        return self.root / f"{project}.git"

    def init(self, project: str, branch: str) -> pygit2.Repository:
        with self.lock:
            path = self.repo_path(project)
            path.parent.mkdir(parents=True, exist_ok=True)
            repo = pygit2.init_repository(str(path), bare=True, initial_head=branch)
            install_hook(path)
            self._repos[project] = repo
            return repo

    def repo(self, project: str) -> pygit2.Repository:
        return self._repos[project]

    def exists(self, project: str) -> bool:
        return project in self._repos

    # ---------------------------------------------------------------- writing

    def _flatten(
        self, repo: pygit2.Repository, tree: pygit2.Tree | None
    ) -> dict[str, tuple[str, int]]:
        out: dict[str, tuple[str, int]] = {}
        if tree is None:
            return out

        def walk(t: pygit2.Tree, prefix: str) -> None:
            for entry in t:
                path = f"{prefix}{entry.name}"
                if entry.type_str == "tree":
                    sub = repo[entry.id]
                    assert isinstance(sub, pygit2.Tree)
                    walk(sub, path + "/")
                else:
                    out[path] = (str(entry.id), int(entry.filemode))

        walk(tree, "")
        return out

    def _build_tree(self, repo: pygit2.Repository, flat: dict[str, tuple[str, int]]) -> pygit2.Oid:
        nested: dict[str, object] = {}
        for path, value in flat.items():
            parts = path.split("/")
            node = nested
            for part in parts[:-1]:
                child = node.setdefault(part, {})
                assert isinstance(child, dict)
                node = child
            node[parts[-1]] = value

        def write(node: dict[str, object]) -> pygit2.Oid:
            builder = repo.TreeBuilder()
            for name, value in sorted(node.items()):
                if isinstance(value, dict):
                    builder.insert(name, write(value), FileMode.TREE)
                else:
                    assert isinstance(value, tuple)
                    builder.insert(name, pygit2.Oid(hex=value[0]), value[1])
            return builder.write()

        return write(nested)

    def tree_with_changes(
        self,
        project: str,
        base_tree_of: str | None,
        files: FileChanges | None,
        renames: dict[str, str] | None = None,
    ) -> pygit2.Oid:
        """Tree of commit ``base_tree_of`` (or empty) with renames then files applied."""
        repo = self.repo(project)
        tree = repo[base_tree_of].peel(pygit2.Tree) if base_tree_of else None
        flat = self._flatten(repo, tree)
        for old, new in (renames or {}).items():
            if old not in flat:
                raise KeyError(f"cannot rename missing file {old}")
            flat[new] = flat.pop(old)
        for path, content in (files or {}).items():
            path = path.strip("/")
            if content is None:
                flat.pop(path, None)
            else:
                mode = flat.get(path, ("", int(FileMode.BLOB)))[1]
                flat[path] = (str(repo.create_blob(_to_bytes(content))), mode)
        return self._build_tree(repo, flat)

    def commit(
        self,
        project: str,
        tree: pygit2.Oid,
        parents: list[str],
        message: str,
        author: pygit2.Signature,
        committer: pygit2.Signature,
        *,
        avoid: str | None = None,
    ) -> str:
        """Write a commit object; if it would equal ``avoid``, move the committer time on."""
        repo = self.repo(project)
        with self.lock:
            while True:
                oid = repo.create_commit(
                    None, author, committer, message, tree, [pygit2.Oid(hex=p) for p in parents]
                )
                if avoid is None or str(oid) != avoid:
                    return str(oid)
                committer = pygit2.Signature(
                    committer.name, committer.email, committer.time + 1, committer.offset
                )

    def set_ref(self, project: str, ref: str, sha: str) -> None:
        with self.lock:
            self.repo(project).references.create(ref, pygit2.Oid(hex=sha), force=True)

    def ref_target(self, project: str, ref: str) -> str | None:
        repo = self.repo(project)
        try:
            return str(repo.references[ref].target)
        except KeyError:
            return None

    # ---------------------------------------------------------------- reading

    def commit_obj(self, project: str, sha: str) -> pygit2.Commit:
        obj = self.repo(project)[sha]
        assert isinstance(obj, pygit2.Commit)
        return obj

    def blob(self, project: str, sha: str, path: str) -> bytes | None:
        commit = self.commit_obj(project, sha)
        try:
            entry = commit.tree[path]
        except KeyError:
            return None
        obj = self.repo(project)[entry.id]
        return obj.data if isinstance(obj, pygit2.Blob) else None

    def tree_paths(self, project: str, sha: str) -> list[str]:
        repo = self.repo(project)
        return sorted(self._flatten(repo, self.commit_obj(project, sha).tree))

    def diff(self, project: str, old_sha: str | None, new_sha: str) -> list[FileDelta]:
        """Deltas between two commits (``old_sha`` None = empty tree), renames detected."""
        key = (project, old_sha, new_sha)
        with self.lock:
            cached = self._diff_cache.get(key)
            if cached is None:
                cached = self._diff(project, old_sha, new_sha)
                self._diff_cache[key] = cached
            return cached

    def _diff(self, project: str, old_sha: str | None, new_sha: str) -> list[FileDelta]:
        repo = self.repo(project)
        new_tree = self.commit_obj(project, new_sha).tree
        if old_sha is None:
            old_tree = repo[repo.TreeBuilder().write()]
        else:
            old_tree = self.commit_obj(project, old_sha).tree
        assert isinstance(old_tree, pygit2.Tree)
        diff = old_tree.diff_to_tree(new_tree)
        diff.find_similar()
        out: list[FileDelta] = []
        for patch in diff:
            if patch is None:
                continue
            delta = patch.delta
            status = delta.status_char()
            if status == "T":
                status = "M"
            added = status == "A"
            deleted = status == "D"
            old_oid = None if added else str(delta.old_file.id)
            new_oid = None if deleted else str(delta.new_file.id)
            # A gitlink's id names a commit of another repository: no blob, size 0.
            old_size = len(self.blob_data(project, old_oid))
            new_size = len(self.blob_data(project, new_oid))
            binary = bool(delta.is_binary)
            _ctx, ins, dels = (0, 0, 0) if binary else patch.line_stats
            out.append(
                FileDelta(
                    path=gerrit_path(
                        delta.old_file.raw_path if deleted else delta.new_file.raw_path
                    ),
                    status=status,
                    old_path=gerrit_path(delta.old_file.raw_path) if status in ("R", "C") else None,
                    old_oid=old_oid,
                    new_oid=new_oid,
                    old_mode=None if added else int(delta.old_file.mode),
                    new_mode=None if deleted else int(delta.new_file.mode),
                    old_size=old_size,
                    new_size=new_size,
                    binary=binary,
                    lines_inserted=ins,
                    lines_deleted=dels,
                )
            )
        out.sort(key=lambda d: d.path)
        return out

    def auto_merge(self, project: str, sha: str) -> str | None:
        """A commit holding the auto-merge tree of two-parent commit ``sha`` (Gerrit keeps it
        under ``refs/cache-automerge/``); ``None`` for other commits. Gerrit diffs a merge
        against it and validates comment paths against that diff."""
        repo = self.repo(project)
        commit = self.commit_obj(project, sha)
        if len(commit.parent_ids) != 2:
            return None
        ours, theirs = commit.parent_ids
        with self.lock:
            if repo.merge_base(ours, theirs) is None:
                return None
            index = repo.merge_commits(ours, theirs)
            conflicts = index.conflicts
            if conflicts is not None:
                for ancestor, our, their in list(conflicts):
                    entry = our or their or ancestor
                    assert entry is not None
                    del conflicts[entry.path]
                    if our is not None and their is not None:
                        merged = repo.merge_file_from_index(ancestor, our, their)
                        text = merged if isinstance(merged, str) else merged.contents
                        blob = repo.create_blob(text.encode("utf-8", "surrogateescape"))
                        index.add(pygit2.IndexEntry(entry.path, blob, our.mode))
                    elif (kept := our or their) is not None:
                        index.add(pygit2.IndexEntry(kept.path, kept.id, kept.mode))
            tree = index.write_tree(repo)
            sig = commit.committer
            oid = repo.create_commit(None, sig, sig, "Auto-merge\n", tree, [commit.parent_ids[0]])
            return str(oid)

    def blob_data(self, project: str, oid: str | None) -> bytes:
        if oid is None:
            return b""
        obj = self.repo(project).get(oid)
        return obj.data if isinstance(obj, pygit2.Blob) else b""

    def commit_msg_file(self, project: str, sha: str) -> str:
        """The magic /COMMIT_MSG text Gerrit shows in diffs."""
        commit = self.commit_obj(project, sha)
        lines = []
        for parent in commit.parents:
            subject = parent.message.split("\n", 1)[0]
            lines.append(f"Parent:     {str(parent.id)[:8]} ({subject})")
        a, c = commit.author, commit.committer
        lines.append(f"Author:     {a.name} <{a.email}>")
        lines.append(f"AuthorDate: {git_date(a)}")
        lines.append(f"Commit:     {c.name} <{c.email}>")
        lines.append(f"CommitDate: {git_date(c)}")
        lines.append("")
        return "\n".join(lines) + "\n" + commit.message

    def patch_text(self, project: str, sha: str, path: str | None = None) -> str:
        """``git format-patch``-style text of a commit against its first parent."""
        repo = self.repo(project)
        commit = self.commit_obj(project, sha)
        old_tree = commit.parents[0].tree if commit.parents else repo[repo.TreeBuilder().write()]
        assert isinstance(old_tree, pygit2.Tree)
        diff = old_tree.diff_to_tree(commit.tree)
        parts = []
        for patch in diff:
            if patch is None:
                continue
            if path is not None and path not in (
                patch.delta.new_file.path,
                patch.delta.old_file.path,
            ):
                continue
            parts.append(patch.text or "")
        a = commit.author
        subject, _, body = commit.message.partition("\n")
        when = datetime.fromtimestamp(a.time, UTC) + timedelta(minutes=a.offset)
        header = (
            f"From {sha} Mon Sep 17 00:00:00 2001\n"
            f"From: {a.name} <{a.email}>\n"
            f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S')} {tz(a.offset)}\n"
            f"Subject: [PATCH] {subject}\n"
        )
        return header + body.rstrip("\n") + "\n---\n\n" + "".join(parts)


def tz(offset_minutes: int) -> str:
    sign = "+" if offset_minutes >= 0 else "-"
    m = abs(offset_minutes)
    return f"{sign}{m // 60:02d}{m % 60:02d}"


def git_date(sig: pygit2.Signature) -> str:
    when = datetime.fromtimestamp(sig.time, UTC) + timedelta(minutes=sig.offset)
    return f"{when.strftime('%Y-%m-%d %H:%M:%S')} {tz(sig.offset)}"


def content_type(path: str) -> str:
    if path.endswith(".py"):
        return "text/x-python"
    return mimetypes.guess_type(path)[0] or "text/plain"
