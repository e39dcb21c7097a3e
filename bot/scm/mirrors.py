"""Bare git mirrors, one per Gerrit project, and fetching one patch-set ref into them.

One bare repository per project lives under the cache directory and is kept across runs. A
review fetches only its ``refs/changes/NN/CHANGE/PS`` ref (plus, in the same round trip, other
patch sets waiting for review) with an explicit refspec, and nothing at all when the commit is
already there, so the cost grows with the change rather than with the repository. A mirror is
bare: no work tree is ever written, so nothing in a change reaches the file system (what is
read, is read by :mod:`bot.scm.diffs` from the object database). Project names come from the
server and may be hostile; each is encoded into one directory name that can never be ``..``,
absolute or contain a separator.

Credentials reach libgit2 only through a callback when the server asks for them: never in a
URL, a remote's configuration or a stored file, and every error message is scrubbed of them.
A second request means they were refused; it fails at once instead of looping. They are
given only for the configured Gerrit's scheme, host and port: libgit2 follows a redirect of
the first request (even to another host) and then asks the callback for credentials for the
URL it was sent to, so the callback compares that URL's origin with the configured one and
refuses anything else (a same-origin redirect, another path on the same server, still works).

Thread safety: one lock per project (a thread lock plus, where available, an ``flock`` on a
lock file, so several bot processes may share one cache directory) serialises fetches into
a mirror. Each :class:`~bot.scm.diffs.Revision` owns its own ``pygit2.Repository`` handle;
use a revision from one thread at a time.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pygit2
from pygit2.enums import ObjectType

from bot.scm import gitcli
from bot.scm.diffs import Revision, ScmError, object_header

try:  # POSIX only; on other platforms the per-process thread lock is all we have.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["FetchError", "Mirrors", "origin_of"]

log = logging.getLogger(__name__)

# Characters kept as they are in a mirror directory name; everything else (including "/",
# "." and every non-ASCII byte) is percent-encoded, so no name can be "..", absolute or
# contain a separator.
_SAFE_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_MAX_NAME_LEN = 180
_NOTEDB_META_REF = re.compile(r"^refs/changes/\d+/\d+/meta$")
_MISSING_REF = re.compile(r"couldn't find remote ref (\S+)")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


class FetchError(ScmError):
    """A ref could not be fetched, or the fetched ref does not point at the expected commit."""


def _redact_url(url: str) -> str:
    """The URL without any ``user:password@`` part."""
    return _URL_USERINFO.sub(r"\1", url)


def origin_of(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an HTTP(S) ``url``, lower-cased, default port filled in;
    ``None`` for another scheme, no host or an invalid port (such a URL matches no origin)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    return scheme, host, port if port is not None else _DEFAULT_PORTS[scheme]


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
        encoded = f"{encoded[: _MAX_NAME_LEN - 17]}~{digest}"
    return encoded


class _Credentials(pygit2.RemoteCallbacks):
    """Supplies username/password to libgit2 once, and only to the configured server.

    libgit2 follows HTTP redirects and asks this callback for credentials with the URL it is
    talking to *now*; a redirect to another host must not receive the bot's password, so the
    URL's scheme, host and port are compared with those of the URL the fetch was started
    with (built from the configured Gerrit URL) and anything else is refused. A second
    request means the credentials were refused; it fails at once instead of looping.
    """

    def __init__(
        self, username: str | None, password: str | None, origin: tuple[str, str, int] | None
    ) -> None:
        super().__init__()
        self._username = username
        self._password = password
        self._origin = origin
        self.attempts = 0

    def credentials(
        self,
        url: str,
        username_from_url: str | None,
        allowed_types: pygit2.enums.CredentialType,
    ) -> pygit2.UserPass:
        if self._username is None or self._password is None:
            raise FetchError("the server asked for credentials and none are configured")
        asking = origin_of(url)
        if self._origin is None or asking != self._origin:
            where = f"{asking[0]}://{asking[1]}:{asking[2]}" if asking else "a non-HTTP URL"
            log.warning(
                "refusing to send Gerrit credentials to %s: not the configured Gerrit "
                "(scheme, host and port must match; redirected to another host?)",
                where,
            )
            raise FetchError(
                f"refusing to send credentials to {where}: not the configured Gerrit "
                "(redirected to another host?)"
            )
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
        transport: str = "auto",
        first_fetch_depth: int | None = 2,
        gerrit_url: str | None = None,
    ) -> None:
        """``gerrit_url`` is the configured Gerrit: credentials go only to its scheme, host
        and port. Without it, only to the origin of the URL each fetch was asked for."""
        if max_file_bytes < 0:
            raise ValueError("max_file_bytes must not be negative")
        if transport not in ("auto", "git", "libgit2"):
            raise ValueError("transport must be 'auto', 'git' or 'libgit2'")
        if transport == "auto":
            transport = "git" if gitcli.available() else "libgit2"
        #: "git": git's client (protocol v2, only the wanted refs); "libgit2": pygit2 (v0)
        self.transport = transport
        #: history depth of a mirror's first fetch with git's client (None: all of it)
        self.first_fetch_depth = first_fetch_depth
        self.cache_dir = Path(cache_dir)
        self.max_file_bytes = max_file_bytes
        self._username = username
        self._password = password
        self._gerrit_origin = origin_of(gerrit_url) if gerrit_url else None
        if gerrit_url and self._gerrit_origin is None:
            raise ValueError(
                f"gerrit_url has no scheme, host or valid port: {_redact_url(gerrit_url)}"
            )
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
        heartbeat: Callable[[], bool] | None = None,
    ) -> Revision:
        """Make ``ref`` of ``project`` available locally and return its commit.

        With ``sha`` already in the mirror, the network is not touched. Otherwise ``ref``
        is fetched (refspec ``+ref:ref``), together with the ``also`` refs — ``(ref, sha)``
        pairs of other patch sets waiting to be reviewed, asked for only when the network
        is needed and only when their commit is not here yet: one round trip then serves
        several reviews. If ``sha`` is given and the fetched ref points
        elsewhere, :class:`FetchError` is raised. ``heartbeat`` is called every few seconds
        while git's client runs (a long first fetch keeps the job's lease); ``False`` stops it.
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
                    self._fetch_ref(repo, project, url, ref, extra=extra, heartbeat=heartbeat)
                except FetchError:
                    # One of the extra refs may be gone; the wanted one alone decides.
                    self._fetch_ref(repo, project, url, ref, heartbeat=heartbeat)
            else:
                self._fetch_ref(repo, project, url, ref, heartbeat=heartbeat)
            repo = pygit2.Repository(str(self.repo_path(project)))  # sees git's new packs
            repo = self._deepen_for_merge(repo, project, url, ref, heartbeat)
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

    def branch_blobs(
        self, project: str, url: str, branch: str, names: Sequence[str]
    ) -> tuple[str, dict[str, str]]:
        """Fetch the tip of ``refs/heads/<branch>`` and name the blobs of the top-level files
        ``names`` in it: ``(commit, {name: blob id})``, only regular files that exist.

        Project settings are read from the change's *target branch* this way, never from the
        patch set under review, so a change cannot switch the checks off for itself.
        """
        ref = f"refs/heads/{branch}"
        self._check_ref(ref)
        with self._project_lock(project):
            repo = self._open_or_create(project)
            self._fetch_ref(repo, project, url, ref)
            repo = pygit2.Repository(str(self.repo_path(project)))
            try:
                commit = repo.references[ref].peel(pygit2.Commit)
            except (KeyError, pygit2.GitError, ValueError, TypeError):
                raise FetchError(
                    f"branch {branch} of project {project!r} not found at {self._safe(url)}"
                ) from None
            blobs: dict[str, str] = {}
            for name in names:
                try:
                    entry = commit.tree[name]
                except KeyError:
                    continue
                if entry.filemode in (0o100644, 0o100755):  # regular files, not links
                    blobs[name] = str(entry.id)
            return str(commit.id), blobs

    def read_blob(self, project: str, blob_id: str, max_bytes: int) -> bytes:
        """A blob of ``project``'s mirror, refused (ScmError) when larger than ``max_bytes``."""
        with self._project_lock(project):
            repo = self._open_or_create(project)
            header = object_header(repo, self._check_sha(blob_id))
            if header is None or header[0] != ObjectType.BLOB:
                raise ScmError(f"blob {blob_id} of project {project!r} is not in the mirror")
            if header[1] > max_bytes:
                raise ScmError(f"blob {blob_id} is {header[1]} bytes, over the {max_bytes} limit")
            return bytes(repo[blob_id].read_raw())

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
        header = object_header(repo, sha)
        return header is not None and header[0] == ObjectType.COMMIT

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
        heartbeat: Callable[[], bool] | None = None,
    ) -> None:
        # Drop the local copy of the ref first: if the server no longer has it, the ref must
        # be missing afterwards instead of silently keeping its old value.
        with contextlib.suppress(KeyError, pygit2.GitError):
            repo.references.delete(ref)
        if self._gerrit_origin is not None and origin_of(url) != self._gerrit_origin:
            raise FetchError(
                f"refusing to fetch {ref} of project {project!r} from {self._safe(url)}: "
                "not the configured Gerrit"
            )
        if self.transport == "git":
            self._fetch_with_git(repo, project, url, [ref, *extra], heartbeat)
            return
        callbacks = _Credentials(
            self._username, self._password, self._gerrit_origin or origin_of(url)
        )
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

    def _fetch_with_git(
        self,
        repo: pygit2.Repository,
        project: str,
        url: str,
        refs: Sequence[str],
        heartbeat: Callable[[], bool] | None,
    ) -> None:
        """git's client moves the bytes (protocol v2); a mirror's first fetch is shallow.

        An empty mirror gets only ``first_fetch_depth`` commits of history (the patch set and
        its parents, enough to diff), so the first review of a huge project does not pull
        its whole history; later fetches bring only what is new since.
        """
        first = not any(True for _ in repo.references)
        wanted = list(refs)
        while True:
            try:
                gitcli.fetch(
                    Path(repo.path),
                    url,
                    wanted,
                    username=self._username,
                    password=self._password,
                    depth=self.first_fetch_depth if first else None,
                    stall_seconds=self.timeout or 60.0,
                    heartbeat=heartbeat,
                )
                return
            except (gitcli.GitCliError, OSError) as exc:
                text = str(exc)
            # git fails the whole fetch when one named ref is missing; a waiting patch set
            # that is gone is dropped and the rest fetched again (the wanted ref decides).
            gone = _MISSING_REF.search(text)
            if gone is None or gone.group(1) == wanted[0] or gone.group(1) not in wanted:
                break
            wanted.remove(gone.group(1))
        if "couldn't find remote ref" in text:
            raise FetchError(
                f"ref {refs[0]} of project {project!r} not found at {self._safe(url)}"
            ) from None
        if "Authentication failed" in text:
            text = "authentication failed (username/password refused)"
        elif "could not read Username" in text:
            text = "the server asked for credentials and none are configured"
        raise FetchError(
            f"cannot fetch {refs[0]} of project {project!r} from {self._safe(url)}: "
            f"{self._safe(text)}"
        ) from None

    def _deepen_for_merge(
        self,
        repo: pygit2.Repository,
        project: str,
        url: str,
        ref: str,
        heartbeat: Callable[[], bool] | None,
    ) -> pygit2.Repository:
        """A merge in a shallow mirror needs its parents' merge base for the auto-merge
        (see :mod:`bot.scm.automerge`): deepen the history by steps, the whole of it last."""
        if self.transport != "git" or not repo.is_shallow:
            return repo
        try:
            commit = repo.references[ref].peel(pygit2.Commit)
        except (KeyError, pygit2.GitError, ValueError, TypeError):
            return repo
        for step in (50, 1000, 0):
            if len(commit.parent_ids) != 2:
                return repo
            try:
                if repo.merge_base(*commit.parent_ids) is not None:
                    return repo
            except pygit2.GitError:
                pass
            try:
                gitcli.fetch(
                    Path(repo.path),
                    url,
                    [ref],
                    username=self._username,
                    password=self._password,
                    deepen=step,
                    stall_seconds=self.timeout or 60.0,
                    heartbeat=heartbeat,
                )
            except (gitcli.GitCliError, OSError) as exc:
                raise FetchError(
                    f"cannot deepen the mirror of project {project!r} for merge {ref}: "
                    f"{self._safe(str(exc))}"
                ) from None
            repo = pygit2.Repository(str(self.repo_path(project)))
            if not repo.is_shallow:
                return repo
        return repo
