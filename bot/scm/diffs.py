"""The files and lines a commit changed, read straight from a mirror's object database.

A :class:`Revision` diffs one commit against its first parent (a two-parent merge against its
auto-merge, as Gerrit does, so the files are those Gerrit accepts comments on; a root commit
against the empty tree) and says, per file,
which new-side lines were added: the lines a review may comment on. Content is read as blobs
from the object database and never checked out: a change can hold hostile paths (``..``,
absolute, links, names that are not UTF-8) and none of them ever becomes a file-system path
here. Paths are text named as Gerrit names them (UTF-8, else each byte as ISO-8859-1, as
JGit's ``RawParseUtils.decode`` falls back), so an inline comment lands on a path Gerrit knows.

What cannot be reviewed as text is said, not guessed: symlinks, submodules and blobs with a
NUL byte in the first :data:`BINARY_SNIFF_BYTES` are ``binary``; blobs over the size limit are
``too_large`` and are never loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pygit2
from pygit2.enums import DeltaStatus, DiffFind, DiffOption, FileMode, ObjectType

from bot.scm.automerge import auto_merge_tree

__all__ = ["BINARY_SNIFF_BYTES", "ChangedFile", "Revision", "ScmError", "object_header"]

#: libgit2 (like git) looks for a NUL byte in this many leading bytes to call a blob binary.
BINARY_SNIFF_BYTES = 8000

_MODE_SYMLINK = int(FileMode.LINK)
_MODE_GITLINK = int(FileMode.COMMIT)
_MODE_TREE = int(FileMode.TREE)
_MODE_BLOB = int(FileMode.BLOB)
_MODE_BLOB_EXECUTABLE = int(FileMode.BLOB_EXECUTABLE)

_STATUS_CHARS = {
    DeltaStatus.ADDED: "A",
    DeltaStatus.MODIFIED: "M",
    DeltaStatus.DELETED: "D",
    DeltaStatus.RENAMED: "R",
    DeltaStatus.COPIED: "C",
    DeltaStatus.TYPECHANGE: "T",
}


class ScmError(Exception):
    """A repository could not be read, or a request for it was invalid."""


@dataclass(frozen=True, kw_only=True)
class ChangedFile:
    """One file of a patch set, compared with the patch set's first parent."""

    path: str
    old_path: str | None = None
    status: str
    binary: bool = False
    too_large: bool = False
    size: int = 0
    blob_id: str | None = None
    added_lines: frozenset[int] = frozenset()
    #: where old lines were removed, as new-side positions: N means the removed lines sat
    #: right after new line N (0: at the top). A hunk that replaces lines gives the
    #: position of its first new line. Rules whose truth spans a function use it: deleting
    #: ``self.addCleanup(p.stop)`` changes no remaining line but makes a leak.
    deleted_after: frozenset[int] = frozenset()
    mode: int = 0


def object_header(repo: pygit2.Repository, oid: pygit2.Oid | str) -> tuple[int, int] | None:
    """``(type, size)`` of an object, or ``None`` if it is missing or ``oid`` is not an id."""
    try:
        key = oid if isinstance(oid, pygit2.Oid) else pygit2.Oid(hex=oid)
        obj_type, size = repo.odb.read_header(key)
    except (KeyError, ValueError, pygit2.GitError):
        return None
    return int(obj_type), size


class Revision:
    """One commit in a mirror, with its changes against its first parent."""

    def __init__(self, repo: pygit2.Repository, sha: str, *, max_file_bytes: int) -> None:
        self._repo = repo
        self._max_file_bytes = max_file_bytes
        try:
            commit = repo[sha]
        except (KeyError, ValueError) as exc:
            raise ScmError(f"commit {sha} is not in the mirror: {exc}") from None
        if not isinstance(commit, pygit2.Commit):
            raise ScmError(f"{sha} is not a commit")
        self._commit: pygit2.Commit = commit
        self.sha: str = str(commit.id)
        self.parent_sha: str | None = str(commit.parent_ids[0]) if commit.parent_ids else None
        self.message: str = commit.message
        self._files: list[ChangedFile] | None = None

    def __repr__(self) -> str:
        return f"Revision(sha={self.sha!r}, parent_sha={self.parent_sha!r})"

    def changed_files(self) -> list[ChangedFile]:
        """Files changed against the first parent (or the empty tree), renames found, by path."""
        if self._files is None:
            self._files = self._compute_changed_files()
        return list(self._files)

    def read(self, changed_file: ChangedFile) -> bytes:
        """The new content of ``changed_file``, from the object database."""
        if changed_file.status == "D" or changed_file.blob_id is None:
            raise ScmError(f"{changed_file.path} was deleted; it has no new content")
        if changed_file.binary:
            raise ScmError(f"{changed_file.path} is binary, a symlink or a submodule")
        if changed_file.too_large:
            raise ScmError(
                f"{changed_file.path} is {changed_file.size} bytes, over the "
                f"{self._max_file_bytes}-byte limit"
            )
        try:
            blob = self._repo[changed_file.blob_id]
        except (KeyError, ValueError):
            raise ScmError(
                f"blob {changed_file.blob_id} of {changed_file.path} is not in the mirror"
            ) from None
        if not isinstance(blob, pygit2.Blob):
            raise ScmError(f"{changed_file.blob_id} ({changed_file.path}) is not a blob")
        return bytes(blob.data)

    def python_blobs(self) -> list[tuple[str, str]]:
        """``(path, blob id)`` of every ``*.py`` file of the commit's whole tree (for the
        project model; regular files only; no blob is read)."""
        out: list[tuple[str, str]] = []
        todo: list[tuple[str, pygit2.Tree]] = [("", self._commit.tree)]
        while todo:
            prefix, tree = todo.pop()
            for entry in tree:
                name = gerrit_path(entry.raw_name or b"")
                mode = int(entry.filemode)
                if mode == _MODE_TREE:
                    sub = self._repo.get(entry.id)
                    if isinstance(sub, pygit2.Tree):
                        todo.append((f"{prefix}{name}/", sub))
                elif name.endswith(".py") and mode in (_MODE_BLOB, _MODE_BLOB_EXECUTABLE):
                    out.append((f"{prefix}{name}", str(entry.id)))
        return out

    def read_blob(self, blob_id: str) -> bytes | None:
        """A blob's content by id, or None when it is not a blob of the mirror."""
        try:
            blob = self._repo[blob_id]
        except (KeyError, ValueError):
            return None
        return bytes(blob.data) if isinstance(blob, pygit2.Blob) else None

    # -- internals -------------------------------------------------------------------------

    def _blob_size(self, oid: pygit2.Oid) -> int | None:
        header = object_header(self._repo, oid)
        return header[1] if header is not None and header[0] == ObjectType.BLOB else None

    def _compute_changed_files(self) -> list[ChangedFile]:
        commit = self._commit
        try:
            base = auto_merge_tree(self._repo, commit) if len(commit.parent_ids) == 2 else None
            if base is not None:
                # A merge is compared with its auto-merge, as Gerrit does (see automerge).
                diff = base.diff_to_tree(
                    commit.tree, flags=DiffOption.INCLUDE_TYPECHANGE, context_lines=0
                )
            elif commit.parents:
                old_tree = commit.parents[0].tree
                diff = old_tree.diff_to_tree(
                    commit.tree, flags=DiffOption.INCLUDE_TYPECHANGE, context_lines=0
                )
            else:
                # ``swap`` diffs the empty tree against this one: everything is added.
                diff = commit.tree.diff_to_tree(
                    flags=DiffOption.INCLUDE_TYPECHANGE, context_lines=0, swap=True
                )
            diff.find_similar(flags=DiffFind.FIND_RENAMES | DiffFind.FIND_COPIES)
        except (pygit2.GitError, KeyError) as exc:
            raise ScmError(f"cannot diff commit {self.sha}: {exc}") from None

        files: list[ChangedFile] = []
        for index, delta in enumerate(diff.deltas):
            changed = self._changed_file(diff, index, delta)
            if changed is not None:
                files.append(changed)
        files.sort(key=lambda f: f.path)
        return files

    def _changed_file(
        self, diff: pygit2.Diff, index: int, delta: pygit2.DiffDelta
    ) -> ChangedFile | None:
        status = _STATUS_CHARS.get(DeltaStatus(delta.status))
        if status is None:  # unmodified/ignored/...: cannot occur in a tree-to-tree diff
            return None
        old, new = delta.old_file, delta.new_file
        if status == "D":
            return ChangedFile(path=_path(old), status="D")

        # Until shown to be readable text, the file is reported as unreadable (binary).
        unreadable = ChangedFile(
            path=_path(new),
            old_path=_path(old) if status in ("R", "C") else None,
            status=status,
            binary=True,
            blob_id=str(new.id),
            mode=int(new.mode),
        )
        if unreadable.mode in (_MODE_GITLINK, _MODE_TREE):
            # A submodule pointer: a commit id of another repository, nothing to read here.
            return unreadable
        size = self._blob_size(new.id)
        if size is None:
            raise ScmError(f"blob {new.id} of {unreadable.path} is missing from the mirror")
        unreadable = replace(unreadable, size=size)
        if unreadable.mode == _MODE_SYMLINK:
            return unreadable
        if size > self._max_file_bytes:
            return replace(unreadable, binary=False, too_large=True)
        data = self._repo[new.id].read_raw()
        if b"\x00" in data[:BINARY_SNIFF_BYTES]:
            return unreadable
        changes = self._line_changes(diff, index, delta, status, data)
        if changes is None:  # libgit2 says binary (e.g. a gitattributes setting)
            return unreadable
        added, deleted_after = changes
        return replace(unreadable, binary=False, added_lines=added, deleted_after=deleted_after)

    def _line_changes(
        self, diff: pygit2.Diff, index: int, delta: pygit2.DiffDelta, status: str, data: bytes
    ) -> tuple[frozenset[int], frozenset[int]] | None:
        """New-side numbers of added or modified lines, and the new-side positions of removed
        lines (see ``ChangedFile.deleted_after``); ``None`` if libgit2 says binary."""
        old_size = self._blob_size(delta.old_file.id) if status in ("M", "R") else 0
        if old_size is None or old_size > self._max_file_bytes:
            # Not worth (or not possible) diffing against a huge old version: review it all.
            return _all_lines(data), frozenset()

        if status == "T":
            # A type change (symlink or submodule -> file): the old side is not text.
            return _all_lines(data), frozenset()
        try:
            patch = diff[index]
        except (pygit2.GitError, KeyError) as exc:
            raise ScmError(f"cannot diff {_path(delta.new_file)}: {exc}") from None
        if patch is None or patch.delta.is_binary:
            return None
        if status in ("A", "C"):
            # Every line of an added file is new code. A copy duplicates code into a new
            # place, so it is reviewed in full rather than against its source.
            return _all_lines(data), frozenset()
        lines: set[int] = set()
        deleted_after: set[int] = set()
        for hunk in patch.hunks:
            if hunk.old_lines > 0:
                # With no context lines, a pure deletion's new_start is the line before it.
                deleted_after.add(hunk.new_start)
            if hunk.old_lines == 0:
                # Pure insertion (no context is generated): the whole new-side range.
                lines.update(range(hunk.new_start, hunk.new_start + hunk.new_lines))
                continue
            for line in hunk.lines:
                if line.origin == "+" and line.new_lineno > 0:
                    lines.add(line.new_lineno)
        return frozenset(lines), frozenset(deleted_after)


def gerrit_path(raw: bytes) -> str:
    """A path as Gerrit names it: UTF-8 when the bytes are UTF-8, otherwise every byte as its
    ISO-8859-1 character (JGit's ``RawParseUtils.decode`` fallback, which Gerrit's diff and
    file lists use). Always encodable again, so it can be stored and posted.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _path(diff_file: pygit2.DiffFile) -> str:
    """The file's path as Gerrit names it (see :func:`gerrit_path`)."""
    return gerrit_path(diff_file.raw_path)


def _all_lines(data: bytes) -> frozenset[int]:
    """Line numbers 1..N of ``data`` as git counts lines (a final line may lack its newline)."""
    if not data:
        return frozenset()
    count = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return frozenset(range(1, count + 1))
