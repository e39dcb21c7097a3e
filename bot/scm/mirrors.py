"""Bare git mirrors, fetching one patch-set ref, and the files and lines it changed.

One bare repository per Gerrit project lives under the cache directory and is kept across
runs. A review fetches only its ``refs/changes/NN/CHANGE/PS`` ref into that mirror with an
explicit refspec, then diffs the commit against its first parent and reads blobs straight
from the object database. No work tree is ever written, so hostile paths in a change cannot
touch the file system, and the cost grows with the change rather than with the repository.

Thread safety: one lock per project (a thread lock plus, where available, an ``flock`` on a
lock file, so several bot processes may share one cache directory) serialises fetches into
a mirror. Each :class:`Revision` owns its own ``pygit2.Repository`` handle; use a revision
from one thread at a time.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pygit2
from pygit2.enums import DeltaStatus, DiffFind, DiffOption, FileMode, ObjectType

try:  # POSIX only; on other platforms the per-process thread lock is all we have.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["ChangedFile", "FetchError", "Mirrors", "Revision", "ScmError"]

#: libgit2 (like git) looks for a NUL byte in this many leading bytes to call a blob binary.
BINARY_SNIFF_BYTES = 8000

_MODE_SYMLINK = int(FileMode.LINK)
_MODE_GITLINK = int(FileMode.COMMIT)
_MODE_TREE = int(FileMode.TREE)

_STATUS_CHARS = {
    DeltaStatus.ADDED: "A",
    DeltaStatus.MODIFIED: "M",
    DeltaStatus.DELETED: "D",
    DeltaStatus.RENAMED: "R",
    DeltaStatus.COPIED: "C",
    DeltaStatus.TYPECHANGE: "T",
}

# Characters kept as they are in a mirror directory name; everything else (including "/",
# "." and every non-ASCII byte) is percent-encoded, so no name can be "..", absolute or
# contain a separator.
_SAFE_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_MAX_NAME_LEN = 180
_NOTEDB_META_REF = re.compile(r"^refs/changes/\d+/\d+/meta$")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


class ScmError(Exception):
    """A repository could not be read, or a request for it was invalid."""


class FetchError(ScmError):
    """A ref could not be fetched, or the fetched ref does not point at the expected commit."""


@dataclass(frozen=True)
class ChangedFile:
    """One file of a patch set, compared with the patch set's first parent."""

    path: str
    old_path: str | None
    status: str
    binary: bool
    too_large: bool
    size: int
    blob_id: str | None
    added_lines: frozenset[int]
    mode: int


def _redact_url(url: str) -> str:
    """The URL without any ``user:password@`` part."""
    return _URL_USERINFO.sub(r"\1", url)


def _path(diff_file: pygit2.DiffFile) -> str:
    """The file's path as text; bytes that are not UTF-8 become ``\\xNN`` escapes.

    (pygit2's own ``path`` keeps them as lone surrogates, which cannot be encoded again and
    would break storing or posting the path.)
    """
    return diff_file.raw_path.decode("utf-8", "backslashreplace")


def _encode_project(project: str) -> str:
    """A single, reversible-in-spirit directory name for ``project`` (never a path)."""
    if not project or "\x00" in project:
        raise ScmError("invalid project name: empty or contains NUL")
    encoded = "".join(
        ch if ch in _SAFE_NAME_CHARS else "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        for ch in project
    )
    if len(encoded) > _MAX_NAME_LEN:
        digest = hashlib.sha256(project.encode("utf-8")).hexdigest()[:16]
        encoded = f"{encoded[:_MAX_NAME_LEN - 17]}~{digest}"
    return encoded


class _Credentials(pygit2.RemoteCallbacks):
    """Supplies username/password to libgit2 once; a second request means they were refused."""

    def __init__(self, username: str | None, password: str | None) -> None:
        super().__init__()
        self._username = username
        self._password = password
        self.attempts = 0

    def credentials(
        self,
        url: str,
        username_from_url: str | None,
        allowed_types: pygit2.enums.CredentialType,
    ) -> pygit2.UserPass:
        if self._username is None or self._password is None:
            raise FetchError("the server asked for credentials and none are configured")
        if not allowed_types & pygit2.enums.CredentialType.USERPASS_PLAINTEXT:
            raise FetchError("the server does not accept username/password authentication")
        self.attempts += 1
        if self.attempts > 1:
            raise FetchError("authentication failed (username/password refused)")
        return pygit2.UserPass(self._username, self._password)


class Mirrors:
    """A cache directory of bare per-project mirrors."""

    #: change refs kept in a mirror between fetches (older ones are dropped, commits stay)
    KEEP_CHANGE_REFS = 16
    #: other waiting patch sets fetched in the same round trip as the wanted one
    MAX_EXTRA_REFS = 32

    def __init__(
        self,
        cache_dir: Path,
        *,
        max_file_bytes: int = 1_000_000,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        if max_file_bytes < 0:
            raise ValueError("max_file_bytes must not be negative")
        self.cache_dir = Path(cache_dir)
        self.max_file_bytes = max_file_bytes
        self._username = username
        self._password = password
        self.timeout = timeout
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        if timeout > 0:
            # libgit2 keeps these process-wide (milliseconds); they bound connecting and each
            # network read, so a stalled server cannot hang a worker forever.
            millis = max(1, int(timeout * 1000))
            pygit2.settings.server_connect_timeout = millis
            pygit2.settings.server_timeout = millis

    def __repr__(self) -> str:  # never show credentials
        return f"Mirrors(cache_dir={str(self.cache_dir)!r}, max_file_bytes={self.max_file_bytes})"

    # -- paths and locks -------------------------------------------------------------------

    def repo_path(self, project: str) -> Path:
        """The bare mirror directory of ``project``; always a direct child of the cache dir."""
        return self.cache_dir / f"{_encode_project(project)}.git"

    @contextlib.contextmanager
    def _project_lock(self, project: str) -> Iterator[None]:
        name = _encode_project(project)
        with self._locks_guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            if fcntl is None:  # pragma: no cover
                yield
                return
            fd = os.open(self.cache_dir / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the flock

    # -- mirror life cycle -----------------------------------------------------------------

    def _open_or_create(self, project: str) -> pygit2.Repository:
        """Open the mirror; create it if missing; re-create it once if it is unusable.

        Must be called with the project lock held.
        """
        path = self.repo_path(project)
        for attempt in range(2):
            if not path.exists():
                self._create(path)
            try:
                repo = pygit2.Repository(str(path))
                if not repo.is_bare:
                    raise pygit2.GitError("not a bare repository")
                return repo
            except (pygit2.GitError, KeyError, ValueError, OSError) as exc:
                if attempt == 1:
                    raise ScmError(
                        f"mirror for project {project!r} is unusable after re-creating it: {exc}"
                    ) from None
                self._remove(path)
        raise AssertionError("unreachable")  # pragma: no cover

    def _create(self, path: Path) -> None:
        # Initialise beside the final location and rename into place, so a crash never leaves
        # a half-initialised mirror under the real name. Leftovers of earlier crashes are
        # removed first (the project lock is held, so nobody else is initialising it).
        prefix = f".{path.name}.tmp-"
        for stale in self.cache_dir.glob(f"{glob.escape(prefix)}*"):
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=self.cache_dir))
        try:
            pygit2.init_repository(str(tmp), bare=True)
            os.replace(tmp, path)
        except (pygit2.GitError, OSError) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ScmError(f"cannot create mirror {path.name}: {exc}") from None

    def _remove(self, path: Path) -> None:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.exists():
            shutil.rmtree(path)

    # -- public API ------------------------------------------------------------------------

    def fetch(
        self,
        project: str,
        url: str,
        ref: str,
        sha: str | None = None,
        *,
        also: Callable[[], Sequence[tuple[str, str | None]]]
        | Sequence[tuple[str, str | None]] = (),
    ) -> Revision:
        """Make ``ref`` of ``project`` available locally and return its commit.

        With ``sha`` already in the mirror, the network is not touched. Otherwise ``ref``
        is fetched (refspec ``+ref:ref``), together with the ``also`` refs — ``(ref, sha)``
        pairs of other patch sets waiting to be reviewed, asked for only when the network
        is needed and only when their commit is not here yet: one round trip then serves
        several reviews. If ``sha`` is given and the fetched ref points
        elsewhere, :class:`FetchError` is raised.
        """
        self._check_ref(ref)
        want = self._check_sha(sha) if sha is not None else None
        with self._project_lock(project):
            repo = self._open_or_create(project)
            if want is not None and self._has_commit(repo, want):
                return Revision(repo, want, max_file_bytes=self.max_file_bytes)
            extra = [
                r
                for r, commit in (also() if callable(also) else also)
                if r != ref
                and self._valid_extra(r)
                and not (commit and self._has_commit(repo, commit.lower()))
            ][: self.MAX_EXTRA_REFS]
            if extra:
                try:
                    self._fetch_ref(repo, project, url, ref, extra=extra)
                except FetchError:
                    # One of the extra refs may be gone; the wanted one alone decides.
                    self._fetch_ref(repo, project, url, ref)
            else:
                self._fetch_ref(repo, project, url, ref)
            self._prune_change_refs(repo, keep={ref})
            try:
                got = repo.references[ref].peel(pygit2.Commit).id
            except KeyError:
                raise FetchError(
                    f"ref {ref} of project {project!r} not found at {self._safe(url)}"
                ) from None
            except (pygit2.GitError, ValueError, TypeError) as exc:
                raise FetchError(
                    f"ref {ref} of project {project!r} does not point at a commit: "
                    f"{self._safe(str(exc))}"
                ) from None
            if want is not None and str(got) != want:
                raise FetchError(
                    f"patch set moved: ref {ref} of project {project!r} points at {got}, "
                    f"expected {want}"
                )
            return Revision(repo, str(got), max_file_bytes=self.max_file_bytes)

    def revision(self, project: str, sha: str) -> Revision:
        """An already-fetched commit of ``project``."""
        want = self._check_sha(sha)
        path = self.repo_path(project)
        if not path.is_dir():
            raise ScmError(f"no mirror for project {project!r}; fetch it first")
        try:
            repo = pygit2.Repository(str(path))
        except pygit2.GitError as exc:
            raise ScmError(f"cannot open mirror for project {project!r}: {exc}") from None
        if not self._has_commit(repo, want):
            raise ScmError(f"commit {want} of project {project!r} is not in the mirror")
        return Revision(repo, want, max_file_bytes=self.max_file_bytes)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _check_ref(ref: str) -> None:
        if not ref.startswith("refs/") or not pygit2.reference_is_valid_name(ref):
            raise FetchError(f"invalid ref name {ref!r}")
        if _NOTEDB_META_REF.match(ref):
            raise FetchError(f"refusing to fetch the NoteDb metadata ref {ref}")

    @staticmethod
    def _check_sha(sha: str) -> str:
        lowered = sha.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", lowered):
            raise ScmError(f"invalid commit id {sha!r} (expected a full hex SHA)")
        return lowered

    @staticmethod
    def _has_commit(repo: pygit2.Repository, sha: str) -> bool:
        try:
            obj_type, _ = repo.odb.read_header(pygit2.Oid(hex=sha))
        except (KeyError, ValueError, pygit2.GitError):
            return False
        return obj_type == ObjectType.COMMIT

    def _safe(self, text: str) -> str:
        """``text`` with URL userinfo and the configured secrets blanked out."""
        text = _redact_url(text)
        for secret in (self._password,):
            if secret:
                text = text.replace(secret, "***")
        return text

    @staticmethod
    def _valid_extra(ref: str) -> bool:
        return (
            ref.startswith("refs/changes/")
            and not ref.endswith("/meta")
            and pygit2.reference_is_valid_name(ref)
        )

    def _prune_change_refs(self, repo: pygit2.Repository, keep: set[str]) -> None:
        """Keep only the newest change refs.

        libgit2 offers every local ref as common history when it negotiates a fetch, so a
        mirror that kept every patch set's ref would make each fetch slower than the last.
        Commits stay in the object database (reviews read them by id); only refs go.
        """
        names = [r for r in repo.references if r.startswith("refs/changes/") and r not in keep]
        if len(names) <= self.KEEP_CHANGE_REFS:
            return

        def committed(name: str) -> int:
            try:
                return int(repo.references[name].peel(pygit2.Commit).commit_time)
            except (KeyError, ValueError, TypeError, pygit2.GitError):
                return 0

        for name in sorted(names, key=committed, reverse=True)[self.KEEP_CHANGE_REFS :]:
            with contextlib.suppress(KeyError, pygit2.GitError):
                repo.references.delete(name)

    def _fetch_ref(
        self,
        repo: pygit2.Repository,
        project: str,
        url: str,
        ref: str,
        *,
        extra: Sequence[str] = (),
    ) -> None:
        # Drop the local copy of the ref first: if the server no longer has it, the ref must
        # be missing afterwards instead of silently keeping its old value.
        with contextlib.suppress(KeyError, pygit2.GitError):
            repo.references.delete(ref)
        callbacks = _Credentials(self._username, self._password)
        try:
            remote = repo.remotes.create_anonymous(url)
            refspecs = [f"+{r}:{r}" for r in (ref, *extra)]
            remote.fetch(refspecs=refspecs, callbacks=callbacks)
        except FetchError as exc:  # raised by our credentials callback
            raise FetchError(
                f"cannot fetch {ref} of project {project!r} from {self._safe(url)}: {exc}"
            ) from None
        except (pygit2.GitError, KeyError, ValueError, OSError) as exc:
            raise FetchError(
                f"cannot fetch {ref} of project {project!r} from {self._safe(url)}: "
                f"{self._safe(str(exc)) or type(exc).__name__}"
            ) from None


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

    # -- internals -------------------------------------------------------------------------

    def _blob_size(self, oid: pygit2.Oid) -> int | None:
        try:
            obj_type, size = self._repo.odb.read_header(oid)
        except (KeyError, ValueError, pygit2.GitError):
            return None
        return size if obj_type == ObjectType.BLOB else None

    def _compute_changed_files(self) -> list[ChangedFile]:
        commit = self._commit
        try:
            if commit.parents:
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
            return ChangedFile(
                path=_path(old),
                old_path=None,
                status="D",
                binary=False,
                too_large=False,
                size=0,
                blob_id=None,
                added_lines=frozenset(),
                mode=0,
            )

        path = _path(new)
        old_path = _path(old) if status in ("R", "C") else None
        mode = int(new.mode)

        def unreadable(*, binary: bool, too_large: bool = False, size: int) -> ChangedFile:
            return ChangedFile(
                path=path,
                old_path=old_path,
                status=status,
                binary=binary,
                too_large=too_large,
                size=size,
                blob_id=str(new.id),
                added_lines=frozenset(),
                mode=mode,
            )

        if mode in (_MODE_GITLINK, _MODE_TREE):
            # A submodule pointer: a commit id of another repository, nothing to read here.
            return unreadable(binary=True, size=0)
        size = self._blob_size(new.id)
        if size is None:
            raise ScmError(f"blob {new.id} of {path} is missing from the mirror")
        if mode == _MODE_SYMLINK:
            return unreadable(binary=True, size=size)
        if size > self._max_file_bytes:
            return unreadable(binary=False, too_large=True, size=size)
        data = self._repo[new.id].read_raw()
        if b"\x00" in data[:BINARY_SNIFF_BYTES]:
            return unreadable(binary=True, size=size)
        added = self._added_lines(diff, index, delta, status, data)
        if added is None:  # libgit2 says binary (e.g. a gitattributes setting)
            return unreadable(binary=True, size=size)
        return ChangedFile(
            path=path,
            old_path=old_path,
            status=status,
            binary=False,
            too_large=False,
            size=size,
            blob_id=str(new.id),
            added_lines=added,
            mode=mode,
        )

    def _added_lines(
        self, diff: pygit2.Diff, index: int, delta: pygit2.DiffDelta, status: str, data: bytes
    ) -> frozenset[int] | None:
        """New-side numbers of added or modified lines; ``None`` if libgit2 says binary."""
        old_size = self._blob_size(delta.old_file.id) if status in ("M", "R") else 0
        if old_size is None or old_size > self._max_file_bytes:
            # Not worth (or not possible) diffing against a huge old version: review it all.
            return _all_lines(data)

        if status == "T":
            # A type change (symlink or submodule -> file): the old side is not text.
            return _all_lines(data)
        try:
            patch = diff[index]
        except (pygit2.GitError, KeyError) as exc:
            raise ScmError(f"cannot diff {_path(delta.new_file)}: {exc}") from None
        if patch is None or patch.delta.is_binary:
            return None
        if status in ("A", "C"):
            # Every line of an added file is new code. A copy duplicates code into a new
            # place, so it is reviewed in full rather than against its source.
            return _all_lines(data)
        lines: set[int] = set()
        for hunk in patch.hunks:
            if hunk.old_lines == 0:
                # Pure insertion (no context is generated): the whole new-side range.
                lines.update(range(hunk.new_start, hunk.new_start + hunk.new_lines))
                continue
            for line in hunk.lines:
                if line.origin == "+" and line.new_lineno > 0:
                    lines.add(line.new_lineno)
        return frozenset(lines)


def _all_lines(data: bytes) -> frozenset[int]:
    """Line numbers 1..N of ``data`` as git counts lines (a final line may lack its newline)."""
    if not data:
        return frozenset()
    count = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return frozenset(range(1, count + 1))
