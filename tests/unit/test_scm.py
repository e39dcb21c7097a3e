"""Tests for bot.scm: real repositories built with pygit2, fetched over file:// URLs."""

from __future__ import annotations

import base64
import http.server
import shutil
import threading
from pathlib import Path

import pygit2
import pytest
from pygit2.enums import FileMode

from bot.scm import ChangedFile, FetchError, Mirrors, Revision, ScmError

SIG = pygit2.Signature("Test Author", "author@example.org", 1_700_000_000, 0)
REG = int(FileMode.BLOB)
EXE = int(FileMode.BLOB_EXECUTABLE)
LINK = int(FileMode.LINK)
GITLINK = int(FileMode.COMMIT)

Files = dict[str, "bytes | tuple[bytes, int] | tuple[str, int]"]


# -- building source repositories -------------------------------------------------------------


def _build_tree(repo: pygit2.Repository, files: Files) -> pygit2.Oid:
    """Write a tree for a flat {path: content | (content, mode)} mapping."""
    root: dict = {}
    for path, spec in files.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = spec

    def write(node: dict) -> pygit2.Oid:
        builder = repo.TreeBuilder()
        for name, spec in node.items():
            if isinstance(spec, dict):
                builder.insert(name, write(spec), FileMode.TREE)
                continue
            if isinstance(spec, tuple):
                content, mode = spec
            else:
                content, mode = spec, REG
            if mode == GITLINK:
                builder.insert(name, pygit2.Oid(hex=str(content)), mode)
            else:
                builder.insert(name, repo.create_blob(content), mode)
        return builder.write()

    return write(root)


class Source:
    """A bare 'server' repository with helpers to add commits under refs/changes/..."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = pygit2.init_repository(str(path), bare=True)

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def commit(
        self,
        files: Files,
        parents: list[str] | None = None,
        ref: str | None = None,
        message: str = "Change\n",
    ) -> str:
        tree = _build_tree(self.repo, files)
        oid = self.repo.create_commit(
            ref, SIG, SIG, message, tree, [pygit2.Oid(hex=p) for p in parents or []]
        )
        return str(oid)

    def set_ref(self, ref: str, sha: str) -> None:
        self.repo.references.create(ref, pygit2.Oid(hex=sha), force=True)


@pytest.fixture
def source(tmp_path: Path) -> Source:
    return Source(tmp_path / "server" / "openstack" / "nova.git")


@pytest.fixture
def mirrors(tmp_path: Path) -> Mirrors:
    return Mirrors(tmp_path / "cache", max_file_bytes=1000)


def _by_path(rev: Revision) -> dict[str, ChangedFile]:
    return {f.path: f for f in rev.changed_files()}


def _two_commits(source: Source, old: Files, new: Files, ref: str = "refs/changes/45/912345/3"):
    base = source.commit(old, ref="refs/heads/master", message="Base\n")
    head = source.commit(new, parents=[base], ref=ref, message="Patch set\n\nBody.\n")
    return base, head


OLD_PY = b"".join(f"line {i}\n".encode() for i in range(1, 21))


# -- changed files and lines --------------------------------------------------------------------


def test_added_modified_deleted(source: Source, mirrors: Mirrors) -> None:
    new_py = (
        OLD_PY.replace(b"line 3\n", b"line three\n")
        .replace(b"line 10\n", b"line 10\ninserted a\ninserted b\n")
        .replace(b"line 15\n", b"")
    )
    base, head = _two_commits(
        source,
        {"nova/a.py": OLD_PY, "nova/gone.py": b"x = 1\n", "README": b"hi\n"},
        {"nova/a.py": new_py, "nova/new.py": b"import os\nprint(1)\n", "README": b"hi\n"},
    )
    rev = mirrors.fetch("openstack/nova", source.url, "refs/changes/45/912345/3", head)
    assert rev.sha == head
    assert rev.parent_sha == base
    assert rev.message == "Patch set\n\nBody.\n"
    files = rev.changed_files()
    assert [f.path for f in files] == ["nova/a.py", "nova/gone.py", "nova/new.py"]
    by = _by_path(rev)

    mod = by["nova/a.py"]
    assert mod.status == "M" and mod.old_path is None and not mod.binary and not mod.too_large
    # line 3 modified; "inserted a/b" are new lines 11 and 12; deleting line 15 adds nothing.
    assert mod.added_lines == frozenset({3, 11, 12})
    assert mod.size == len(new_py) and mod.mode == REG
    assert rev.read(mod) == new_py

    added = by["nova/new.py"]
    assert added.status == "A" and added.added_lines == frozenset({1, 2})
    assert rev.read(added) == b"import os\nprint(1)\n"

    gone = by["nova/gone.py"]
    assert gone.status == "D" and gone.blob_id is None and gone.size == 0
    assert gone.added_lines == frozenset() and gone.old_path is None
    with pytest.raises(ScmError, match="deleted"):
        rev.read(gone)


def test_deletion_positions(source: Source, mirrors: Mirrors) -> None:
    """Removed lines are located on the new side (issue 17 #18): a defect made only by
    deleting a line changes no remaining line."""
    new_py = (
        OLD_PY.replace(b"line 3\n", b"line three\n")  # replaced: position of new line 3
        .replace(b"line 10\n", b"line 10\ninserted a\ninserted b\n")  # no deletion
        .replace(b"line 15\n", b"")  # old 15 sat after old 14, now new line 16
        .replace(b"line 1\n", b"")  # the first line: position 0
    )
    _, head = _two_commits(
        source, {"a.py": OLD_PY, "b.py": b"x\n"}, {"a.py": new_py, "c.py": b"y\n"}
    )
    by = _by_path(mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head))
    assert by["a.py"].deleted_after == frozenset({0, 2, 15})
    assert by["a.py"].added_lines == frozenset({2, 10, 11})
    assert by["c.py"].deleted_after == frozenset()  # an added file removes nothing


def test_added_lines_multiple_hunks_and_eof(source: Source, mirrors: Mirrors) -> None:
    old = b"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nlast"  # no trailing newline
    new = b"A\nb\nc\nd\ne\nf\nG\nh\ni\nj\nlast\nmore"
    _, head = _two_commits(source, {"f.py": old}, {"f.py": new})
    rev = mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    # 1 and 7 modified; "last" gains a newline (shows as modified, line 11); 12 added.
    assert _by_path(rev)["f.py"].added_lines == frozenset({1, 7, 11, 12})


def test_renames_with_and_without_edits(source: Source, mirrors: Mirrors) -> None:
    edited = OLD_PY.replace(b"line 20\n", b"line twenty\n")
    _, head = _two_commits(
        source,
        {"old/pure.py": OLD_PY, "old/edit.py": OLD_PY.replace(b"line", b"row")},
        {"new/pure.py": OLD_PY, "new/edit.py": edited.replace(b"line", b"row")},
    )
    rev = mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    by = _by_path(rev)
    assert set(by) == {"new/pure.py", "new/edit.py"}
    pure = by["new/pure.py"]
    assert (pure.status, pure.old_path, pure.added_lines) == ("R", "old/pure.py", frozenset())
    edit = by["new/edit.py"]
    assert (edit.status, edit.old_path, edit.added_lines) == ("R", "old/edit.py", {20})
    assert rev.read(edit).endswith(b"row twenty\n")


def test_copy_is_reviewed_in_full(source: Source, mirrors: Mirrors) -> None:
    # libgit2 reports a copy when its source is modified in the same commit.
    _, head = _two_commits(
        source,
        {"a.py": OLD_PY},
        {"a.py": OLD_PY + b"tail\n", "b.py": OLD_PY},
    )
    rev = mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    by = _by_path(rev)
    assert by["a.py"].status == "M" and by["a.py"].added_lines == {21}
    assert by["b.py"].status == "C" and by["b.py"].old_path == "a.py"
    assert by["b.py"].added_lines == frozenset(range(1, 21))


def test_mode_change_only(source: Source, mirrors: Mirrors) -> None:
    _, head = _two_commits(source, {"run.sh": b"echo hi\n"}, {"run.sh": (b"echo hi\n", EXE)})
    rev = mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    f = _by_path(rev)["run.sh"]
    assert f.status == "M" and f.mode == EXE and f.added_lines == frozenset()
    assert rev.read(f) == b"echo hi\n"


def test_binary_large_empty_non_utf8_and_odd_paths(source: Source, mirrors: Mirrors) -> None:
    latin1 = "caf\xe9 = 1\n".encode("latin-1")
    _, head = _two_commits(
        source,
        {"keep": b"k\n", "bin.dat": b"\x00\x01old"},
        {
            "keep": b"k\n",
            "bin.dat": b"\x00\x01new\x00",
            "late_nul.py": b"x = 1\n" * 100 + b"\x00",
            "big.py": b"# big\n" * 200,  # 1200 bytes > max_file_bytes=1000
            "empty.py": b"",
            "latin1.py": latin1,
            "dir with space/ünïcode é.py": "s = 'é'\n".encode(),
        },
    )
    rev = mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    by = _by_path(rev)

    bin_ = by["bin.dat"]
    assert bin_.status == "M" and bin_.binary and bin_.added_lines == frozenset()
    with pytest.raises(ScmError, match="binary"):
        rev.read(bin_)
    assert by["late_nul.py"].binary  # NUL within the first 8000 bytes

    big = by["big.py"]
    assert big.too_large and not big.binary and big.size == 1200
    assert big.added_lines == frozenset() and big.blob_id is not None
    with pytest.raises(ScmError, match="limit"):
        rev.read(big)

    empty = by["empty.py"]
    assert (empty.status, empty.size, empty.binary, empty.added_lines) == ("A", 0, False, set())
    assert rev.read(empty) == b""

    lat = by["latin1.py"]
    assert not lat.binary and lat.added_lines == {1} and rev.read(lat) == latin1

    odd = by["dir with space/ünïcode é.py"]
    assert odd.status == "A" and odd.added_lines == {1}
    assert rev.read(odd).decode() == "s = 'é'\n"
    assert "keep" not in by


def test_binary_file_over_sniff_window_is_text(source: Source, mirrors: Mirrors) -> None:
    m = Mirrors(mirrors.cache_dir, max_file_bytes=100_000)
    data = b"x = 1\n" * 2000 + b"\x00"  # NUL after byte 8000; libgit2 also looks only there
    _, head = _two_commits(source, {"k": b"k\n"}, {"k": b"k\n", "late.py": data})
    f = _by_path(m.fetch("p", source.url, "refs/changes/45/912345/3", head))["late.py"]
    assert not f.binary and len(f.added_lines) == 2001


def test_symlink_submodule_and_typechange(source: Source, mirrors: Mirrors) -> None:
    sub = "1234567890abcdef1234567890abcdef12345678"
    _, head = _two_commits(
        source,
        {"was_link": (b"target.py", LINK), "k": b"k\n"},
        {
            "was_link": b"now a file\nline 2\n",
            "link.py": (b"../../etc/passwd", LINK),
            "vendored": (sub, GITLINK),
            "k": b"k\n",
        },
    )
    rev = mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    by = _by_path(rev)
    link = by["link.py"]
    assert link.binary and link.mode == LINK and link.added_lines == frozenset()
    with pytest.raises(ScmError):
        rev.read(link)
    submodule = by["vendored"]
    assert submodule.binary and submodule.mode == GITLINK and submodule.size == 0
    with pytest.raises(ScmError):
        rev.read(submodule)
    tc = by["was_link"]
    assert tc.status == "T" and tc.mode == REG and not tc.binary and tc.added_lines == {1, 2}
    assert rev.read(tc) == b"now a file\nline 2\n"


def test_root_commit(source: Source, mirrors: Mirrors) -> None:
    head = source.commit(
        {"a.py": b"one\ntwo\n", "pkg/b.py": b"x\n"}, ref="refs/changes/01/1/1", message="Root\n"
    )
    rev = mirrors.fetch("p", source.url, "refs/changes/01/1/1", head)
    assert rev.parent_sha is None
    files = rev.changed_files()
    assert [(f.path, f.status, f.added_lines) for f in files] == [
        ("a.py", "A", {1, 2}),
        ("pkg/b.py", "A", {1}),
    ]


def test_merge_commit_diffs_against_its_auto_merge(source: Source, mirrors: Mirrors) -> None:
    """As Gerrit does: what the merge commit adds beyond merging its parents."""
    base = source.commit({"a.py": b"a\n", "b.py": b"b\n"}, ref="refs/heads/master")
    first = source.commit({"a.py": b"a\n", "b.py": b"b\n", "main.py": b"m\n"}, parents=[base])
    side = source.commit({"a.py": b"a\n", "b.py": b"B\n"}, parents=[base])
    merge = source.commit(
        {"a.py": b"a\nmerged\n", "b.py": b"B\n", "main.py": b"m\n"},
        parents=[first, side],
        ref="refs/changes/10/110/2",
    )
    rev = mirrors.fetch("p", source.url, "refs/changes/10/110/2", merge)
    assert rev.parent_sha == first
    by = _by_path(rev)
    # b.py merged cleanly from the second parent: not part of the merge's own change.
    assert by["a.py"].added_lines == {2}
    assert "b.py" not in by
    assert "main.py" not in by


def test_conflicting_merge_lists_the_resolved_file(source: Source, mirrors: Mirrors) -> None:
    base = source.commit({"c.py": b"x = 0\n"}, ref="refs/heads/master")
    first = source.commit({"c.py": b"x = 1\n"}, parents=[base])
    side = source.commit({"c.py": b"x = 2\n"}, parents=[base])
    merge = source.commit({"c.py": b"x = 3\n"}, parents=[first, side], ref="refs/changes/11/111/1")
    by = _by_path(mirrors.fetch("p", source.url, "refs/changes/11/111/1", merge))
    # Against the auto-merge (conflict markers), the resolution is new code.
    assert by["c.py"].added_lines == {1}


# -- fetching and mirrors -----------------------------------------------------------------------


def test_only_the_one_ref_is_fetched(source: Source, mirrors: Mirrors) -> None:
    base, head = _two_commits(source, {"a": b"1\n"}, {"a": b"2\n"})
    other = source.commit({"a": b"3\n"}, parents=[head], ref="refs/changes/45/912345/4")
    source.set_ref("refs/changes/45/912345/meta", other)
    source.set_ref("refs/tags/v1", base)
    mirrors.fetch("openstack/nova", source.url, "refs/changes/45/912345/3", head)
    mirror = pygit2.Repository(str(mirrors.repo_path("openstack/nova")))
    assert mirror.is_bare
    assert list(mirror.references) == ["refs/changes/45/912345/3"]
    # (Objects are not checked: libgit2's file:// transport packs every commit the server
    # has. Over smart HTTP only the wanted ref's history is sent.)
    assert not list(mirror.remotes)  # anonymous remote: nothing written to the config


def test_known_sha_needs_no_network_and_mirror_survives_restart(
    source: Source, mirrors: Mirrors, tmp_path: Path
) -> None:
    _, head = _two_commits(source, {"a.py": b"1\n"}, {"a.py": b"2\n"})
    ref = "refs/changes/45/912345/3"
    mirrors.fetch("openstack/nova", source.url, ref, head)
    shutil.move(source.path, tmp_path / "moved.git")  # any network access would now fail
    again = mirrors.fetch("openstack/nova", source.url, ref, head)
    assert again.sha == head and _by_path(again)["a.py"].added_lines == {1}
    # a new Mirrors object (process restart) reuses the mirror on disk
    restarted = Mirrors(mirrors.cache_dir, max_file_bytes=1000)
    assert restarted.fetch("openstack/nova", source.url, ref, head).sha == head
    assert restarted.revision("openstack/nova", head.upper()).sha == head
    # without a sha the ref must be fetched, and the server is gone
    with pytest.raises(FetchError, match="cannot fetch"):
        restarted.fetch("openstack/nova", source.url, ref)


def test_fetch_without_sha_and_refetch(source: Source, mirrors: Mirrors) -> None:
    _, head = _two_commits(source, {"a": b"1\n"}, {"a": b"2\n"}, ref="refs/heads/topic")
    assert mirrors.fetch("p", source.url, "refs/heads/topic").sha == head
    newer = source.commit({"a": b"3\n"}, parents=[head], ref="refs/heads/topic")
    assert mirrors.fetch("p", source.url, "refs/heads/topic").sha == newer


def test_unknown_ref_and_sha_mismatch(source: Source, mirrors: Mirrors) -> None:
    base, head = _two_commits(source, {"a": b"1\n"}, {"a": b"2\n"})
    with pytest.raises(FetchError, match=r"refs/changes/99/999/1 .*not found"):
        mirrors.fetch("p", source.url, "refs/changes/99/999/1")
    with pytest.raises(FetchError, match="patch set moved") as info:
        mirrors.fetch("p", source.url, "refs/changes/45/912345/3", "f" * 40)
    assert head in str(info.value) and "f" * 40 in str(info.value)
    # a sha known locally but not what the ref says is still served from the mirror
    assert mirrors.fetch("p", source.url, "refs/changes/45/912345/3", base).sha == base


def test_ref_that_disappeared_on_the_server(source: Source, mirrors: Mirrors) -> None:
    _, head = _two_commits(source, {"a": b"1\n"}, {"a": b"2\n"}, ref="refs/heads/gone")
    assert mirrors.fetch("p", source.url, "refs/heads/gone").sha == head
    source.repo.references.delete("refs/heads/gone")
    with pytest.raises(FetchError, match="not found"):
        mirrors.fetch("p", source.url, "refs/heads/gone")


@pytest.mark.parametrize(
    "ref", ["refs/changes/45/912345/meta", "HEAD", "refs/heads/a:refs/heads/b", "refs/*", ""]
)
def test_bad_refs_rejected(mirrors: Mirrors, ref: str) -> None:
    with pytest.raises(FetchError):
        mirrors.fetch("p", "file:///nonexistent", ref)


def test_bad_sha_rejected(mirrors: Mirrors) -> None:
    with pytest.raises(ScmError, match="invalid commit id"):
        mirrors.fetch("p", "file:///nonexistent", "refs/heads/x", "abc")


def test_unreachable_server_error_is_clean(source: Source, mirrors: Mirrors) -> None:
    with pytest.raises(FetchError) as info:
        mirrors.fetch("p", (source.path.parent / "missing.git").as_uri(), "refs/heads/x")
    assert "\n" not in str(info.value) and "refs/heads/x" in str(info.value)


def test_credentials_never_in_errors(tmp_path: Path) -> None:
    m = Mirrors(tmp_path / "c", username="bot-user", password="s3cr3t-Pa55", timeout=5)
    assert "s3cr3t" not in repr(m)
    for url in ("http://127.0.0.1:1/x", "http://bot-user:s3cr3t-Pa55@127.0.0.1:1/a/x"):
        with pytest.raises(FetchError) as info:
            m.fetch("x", url, "refs/changes/01/1/1")
        text = str(info.value)
        assert "s3cr3t-Pa55" not in text and "127.0.0.1" in text
        assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize(
    "project", ["../../etc", "/abs", "a/../../b", ".", "..", "a/./b", "x/..", "~root", "a\\..\\b"]
)
def test_hostile_project_names_stay_in_cache_dir(tmp_path: Path, project: str) -> None:
    cache = tmp_path / "cache"
    m = Mirrors(cache)
    path = m.repo_path(project)
    assert path.parent == cache
    assert path.name not in (".", "..") and "/" not in path.name
    assert path.resolve().parent == cache.resolve()


def test_project_names_map_to_distinct_dirs(tmp_path: Path) -> None:
    m = Mirrors(tmp_path)
    names = [
        "openstack/nova",
        "openstack%2Fnova",
        "openstack_nova",
        "openstack-nova",
        "a" * 300,
        "a" * 299 + "b",
        "ünïcode/proj",
    ]
    paths = {m.repo_path(n) for n in names}
    assert len(paths) == len(names)
    assert all(len(p.name) < 255 for p in paths)
    with pytest.raises(ScmError):
        m.repo_path("")


def test_hostile_project_fetch_writes_only_under_cache(source: Source, tmp_path: Path) -> None:
    cache = tmp_path / "deep" / "cache"
    m = Mirrors(cache)
    _, head = _two_commits(source, {"a": b"1\n"}, {"a": b"2\n"})
    m.fetch("../../escape", source.url, "refs/changes/45/912345/3", head)
    assert not (tmp_path / "escape").exists() and not (tmp_path / "escape.git").exists()
    assert m.repo_path("../../escape").is_dir()


@pytest.mark.parametrize("damage", ["garbage_file", "empty_dir", "no_head", "half_init"])
def test_corrupt_mirror_is_recreated(source: Source, mirrors: Mirrors, damage: str) -> None:
    _, head = _two_commits(source, {"a": b"1\n"}, {"a": b"2\n"})
    path = mirrors.repo_path("p")
    path.parent.mkdir(parents=True, exist_ok=True)
    if damage == "garbage_file":
        path.write_bytes(b"not a repository")
    elif damage == "empty_dir":
        path.mkdir()
    elif damage == "no_head":
        pygit2.init_repository(str(path), bare=True)
        (path / "HEAD").unlink()
    else:
        path.mkdir()
        (path / "objects").mkdir()
        (path / "config").write_text("[core\n\tbare = tru")
    rev = mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    assert rev.sha == head
    assert pygit2.Repository(str(path)).is_bare


def test_revision_errors(source: Source, mirrors: Mirrors) -> None:
    with pytest.raises(ScmError, match="no mirror"):
        mirrors.revision("never", "a" * 40)
    base, head = _two_commits(source, {"a": b"1\n"}, {"a": b"2\n"})
    mirrors.fetch("p", source.url, "refs/changes/45/912345/3", head)
    assert mirrors.revision("p", base).parent_sha is None
    with pytest.raises(ScmError, match="not in the mirror"):
        mirrors.revision("p", "b" * 40)


def test_concurrent_fetches_of_one_project(source: Source, mirrors: Mirrors) -> None:
    base = source.commit({"a.py": OLD_PY}, ref="refs/heads/master")
    expected = {}
    for ps in range(1, 9):
        ref = f"refs/changes/45/912345/{ps}"
        sha = source.commit(
            {"a.py": OLD_PY, f"t{ps}.py": f"x = {ps}\n".encode()}, parents=[base], ref=ref
        )
        expected[ref] = sha
    results: dict[str, str] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work(refs: list[str]) -> None:
        try:
            barrier.wait()
            for ref in refs:
                # no sha: every call really fetches (the file:// transport would otherwise
                # have brought the other patch sets' commits along with the first fetch)
                rev = mirrors.fetch("openstack/nova", source.url, ref)
                assert [f.path for f in rev.changed_files()] == [f"t{ref[-1]}.py"]
                results[ref] = rev.sha
        except BaseException as exc:
            errors.append(exc)

    refs = sorted(expected)
    threads = [threading.Thread(target=work, args=(refs[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert results == expected
    mirror = pygit2.Repository(str(mirrors.repo_path("openstack/nova")))
    assert sorted(mirror.references) == refs


class _AuthRecorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with 401 and records the Authorization headers it saw."""

    seen: list[str] = []

    def do_GET(self) -> None:
        _AuthRecorder.seen.append(self.headers.get("Authorization", ""))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="Gerrit Code Review"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def auth_server():
    _AuthRecorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AuthRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/a/openstack/nova"
    server.shutdown()
    server.server_close()


def test_userpass_sent_via_callbacks_and_refusal_is_clean(tmp_path: Path, auth_server: str):
    m = Mirrors(tmp_path / "c", username="bot-user", password="s3cr3t-Pa55", timeout=5)
    with pytest.raises(FetchError, match="authentication failed") as info:
        m.fetch("openstack/nova", auth_server, "refs/changes/45/912345/3")
    assert "s3cr3t-Pa55" not in str(info.value)
    token = base64.b64encode(b"bot-user:s3cr3t-Pa55").decode()
    assert f"Basic {token}" in _AuthRecorder.seen  # sent in a header, not in the URL
    assert _AuthRecorder.seen.count(f"Basic {token}") == 1  # no retry loop

    anonymous = Mirrors(tmp_path / "c2", timeout=5)
    with pytest.raises(FetchError, match="none are configured"):
        anonymous.fetch("openstack/nova", auth_server, "refs/changes/45/912345/3")


def test_non_utf8_path_is_named_as_gerrit_names_it(source: Source, mirrors: Mirrors) -> None:
    blob = source.repo.create_blob(b"x = 1\n")
    tree = source.repo.odb.write(pygit2.enums.ObjectType.TREE, b"100644 caf\xe9.py\x00" + blob.raw)
    head = source.repo.create_commit("refs/changes/02/2/1", SIG, SIG, "m\n", tree, [])
    rev = mirrors.fetch("p", source.url, "refs/changes/02/2/1", str(head))
    (f,) = rev.changed_files()
    assert f.path == "caf\u00e9.py"  # JGit decodes a non-UTF-8 path byte by byte (ISO-8859-1)
    f.path.encode("utf-8")  # storable and postable
    assert rev.read(f) == b"x = 1\n"


def test_waiting_refs_come_in_the_same_fetch(
    source: Source, mirrors: Mirrors, tmp_path: Path
) -> None:
    _, head = _two_commits(source, {"a.py": b"1\n"}, {"a.py": b"2\n"})
    second = source.commit({"a.py": b"3\n"}, parents=[head], ref="refs/changes/46/912346/1")
    third = source.commit({"b.py": b"4\n"}, parents=[head], ref="refs/changes/47/912347/1")
    waiting = ["refs/changes/46/912346/1", "refs/changes/47/912347/1", "refs/changes/48/9/1"]
    also = [(waiting[0], second), (waiting[1], None), (waiting[2], None)]
    mirrors.fetch("openstack/nova", source.url, "refs/changes/45/912345/3", head, also=also)
    shutil.move(source.path, tmp_path / "moved.git")  # the waiting ones need no network now
    assert mirrors.fetch("openstack/nova", source.url, waiting[0], second).sha == second
    assert mirrors.fetch("openstack/nova", source.url, waiting[1], third).sha == third


def test_a_missing_waiting_ref_does_not_stop_the_wanted_one(
    source: Source, mirrors: Mirrors
) -> None:
    _, head = _two_commits(source, {"a.py": b"1\n"}, {"a.py": b"2\n"})
    rev = mirrors.fetch(
        "openstack/nova",
        source.url,
        "refs/changes/45/912345/3",
        head,
        also=lambda: [("refs/changes/99/99/1", None)],
    )
    assert rev.sha == head


def test_old_change_refs_are_pruned_but_their_commits_stay(
    source: Source, mirrors: Mirrors
) -> None:
    _, head = _two_commits(source, {"a.py": b"1\n"}, {"a.py": b"2\n"})
    shas = []
    for n in range(1, 25):
        sha = source.commit(
            {"a.py": f"{n}\n".encode()}, parents=[head], ref=f"refs/changes/{n:02d}/{n}/1"
        )
        shas.append(sha)
        mirrors.fetch("openstack/nova", source.url, f"refs/changes/{n:02d}/{n}/1", sha)
    mirror = pygit2.Repository(str(mirrors.repo_path("openstack/nova")))
    kept = [r for r in mirror.references if r.startswith("refs/changes/")]
    assert len(kept) <= Mirrors.KEEP_CHANGE_REFS + 1
    assert "refs/changes/24/24/1" in kept
    for sha in shas:  # every reviewed commit is still readable by id
        assert mirrors.revision("openstack/nova", sha).sha == sha
