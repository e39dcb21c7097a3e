"""Fetch cost: does fetching a patch set cost what the change costs, or what the repository does?

Two repositories are generated, one with ~1,000 commits and one with ~100,000 (sizes are
parameters), with ``git fast-import`` fed from Python; each is cached under
``bench/.cache/`` keyed by its parameters, so reruns skip the generation. Each is loaded
into the fake Gerrit (served over smart HTTP by ``git http-backend``).

For each repository the bot's own :class:`bot.scm.Mirrors` first fetches one change
(which fills the mirror with the history, as the first review of a project does). Then,
round after round, the branch moves on by a few commits, a typical change is uploaded
and the bot fetches it into its existing mirror: that is the timed fetch. The rounds of the
two repositories are interleaved so that background load hits both alike.

Ref counts (issue: fetch cost independent of the ref count): the same small history is
served once with 1,000 and once with 300,000 change refs plus as many NoteDb ``meta`` refs
(written straight into a ``packed-refs`` file), and one new patch set is fetched into an
existing mirror, round after round, by both transports in the same run: libgit2 (protocol
v0, the server advertises every ref) and git's own client (protocol v2, only the wanted
ref). Bytes are counted on the wire by a relay (``_byteproxy``). The first fetch of a
project with a nova-sized history (synthesized, ``--nova-commits``) is timed for both.

A naive bot would clone the repository for each review: a fresh bare clone (libgit2, as the
bot uses) plus the fetch of the change ref is timed for comparison.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c
from _byteproxy import ByteProxy

GENERATOR_VERSION = 1
FILES = 500  # generated modules besides the project's base files
EPOCH = 1_600_000_000


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def _module(k: int, rev: int) -> bytes:
    return (
        f'"""Generated module {k}."""\n\nREVISION = {rev}\n\n\n'
        f"def value_{k}(x):\n    return x * {k} + REVISION\n"
    ).encode()


def master_sha(git_dir: Path) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "rev-parse", "refs/heads/master"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def generate(path: Path, commits: int) -> str:
    """A bare repository whose master has ``commits`` commits; returns master's sha."""
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(["git", "init", "--quiet", "--bare", str(tmp)], check=True)
    proc = subprocess.Popen(
        ["git", "--git-dir", str(tmp), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    assert proc.stdin is not None
    out = proc.stdin
    ident = b"Bench Generator <bench@example.org>"
    for i in range(commits):
        out.write(b"commit refs/heads/master\n")
        out.write(b"committer %s %d +0000\n" % (ident, EPOCH + i * 60))
        out.write(_data(f"Change {i} of the generated history\n".encode()))
        if i == 0:
            for p, content in c.base_files().items():
                blob = content.encode() if isinstance(content, str) else content
                out.write(b"M 100644 inline " + p.encode() + b"\n" + _data(blob))
            for k in range(FILES):
                out.write(
                    f"M 100644 inline benchproject/gen/pkg{k % 25:02d}/mod{k:04d}.py\n".encode()
                    + _data(_module(k, 0))
                )
        else:
            k = (i * 7919) % FILES
            out.write(
                f"M 100644 inline benchproject/gen/pkg{k % 25:02d}/mod{k:04d}.py\n".encode()
                + _data(_module(k, i))
            )
    out.write(b"done\n")
    out.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    head = master_sha(tmp)
    shutil.rmtree(path, ignore_errors=True)
    os.replace(tmp, path)
    return head


def cached_history(cache_dir: Path, commits: int) -> tuple[Path, str, float]:
    """The cached repository for ``commits`` (generated if missing), its head, seconds spent."""
    key = hashlib.sha256(
        f"v{GENERATOR_VERSION}-c{commits}-f{FILES}-{sorted(c.base_files())}".encode()
    ).hexdigest()[:12]
    path = cache_dir / f"history-{commits}-{key}.git"
    started = time.perf_counter()
    if not (path / "refs" / "heads" / "master").exists() and not (path / "packed-refs").exists():
        c.progress(f"fetch_cost: generating a {commits}-commit history (cached for reruns)")
        cache_dir.mkdir(parents=True, exist_ok=True)
        generate(path, commits)
    return path, master_sha(path), time.perf_counter() - started


def load_into_fake(fake: c.RemoteFake, project: str, source: Path, head: str) -> None:
    """Give the fake Gerrit's ``project`` the cached history as its master branch."""
    fake.create_project(project, {"README.rst": "placeholder\n"})
    target = Path(fake.repo_path(project))
    pack_dir = target / "objects" / "pack"
    pack_dir.mkdir(parents=True, exist_ok=True)
    for item in (source / "objects" / "pack").iterdir():
        try:
            os.link(item, pack_dir / item.name)
        except OSError:
            shutil.copy2(item, pack_dir / item.name)
    subprocess.run(
        ["git", "--git-dir", str(target), "update-ref", "refs/heads/master", head], check=True
    )


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def naive_clone(url: str, dest: Path, ref: str, sha: str) -> float:
    """Seconds for a fresh bare clone plus the fetch of the change ref (what a naive bot does)."""
    import pygit2

    class Creds(pygit2.RemoteCallbacks):
        def credentials(self, *_args: Any) -> pygit2.UserPass:
            return pygit2.UserPass(c.BOT_USER, c.BOT_PASSWORD)

    started = time.perf_counter()
    repo = pygit2.clone_repository(url, str(dest), bare=True, callbacks=Creds())
    repo.remotes["origin"].fetch(refspecs=[f"+{ref}:{ref}"], callbacks=Creds())
    elapsed = time.perf_counter() - started
    if str(repo.references[ref].target) != sha:
        raise RuntimeError("the naive clone fetched the wrong commit")
    return elapsed


def run(
    sizes: list[int], rounds: int, clones: int, cache_dir: Path, max_seconds: float, nodelay: bool
) -> dict[str, Any]:
    from bot.scm import Mirrors

    result: dict[str, Any] = {"fetch_sizes": sizes}
    per_size: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-fetch-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            mirrors = Mirrors(root / "mirrors", username=c.BOT_USER, password=c.BOT_PASSWORD)
            counter = 0

            def new_change(project: str) -> tuple[str, str]:
                nonlocal counter
                counter += 1
                number = fake.create_change(project, c.typical_change(counter), f"Fetch {counter}")
                return fake.ref(number, 1), fake.revision(number, 1)

            for size in sizes:
                source, head, gen_s = cached_history(cache_dir, size)
                project = f"bench/history{size}"
                load_into_fake(fake, project, source, head)
                url = f"{fake.url}/a/{project}"
                ref, sha = new_change(project)
                started = time.perf_counter()
                mirrors.fetch(project, url, ref, sha)
                first = time.perf_counter() - started
                per_size[size] = {
                    "project": project,
                    "url": url,
                    "history_seconds": c.rnd(gen_s, 1),
                    "first_fetch_ms": c.rnd(first * 1000),
                    "mirror_bytes": dir_bytes(mirrors.repo_path(project)),
                    "fetch_ms": [],
                    "fetch_bytes": [],
                    "clone_ms": [],
                    "clone_bytes": 0,
                }
                c.progress(f"fetch_cost: {size} commits: mirror filled in {first:.1f} s")

            with c.deadline(max_seconds) as expired:
                for r in range(rounds):
                    if expired():
                        c.progress(f"fetch_cost: time bound reached after {r} rounds")
                        break
                    for size in sizes:
                        info = per_size[size]
                        project = info["project"]
                        for j in range(3):  # the branch moves on between two reviews
                            fake.commit_to_branch(
                                project,
                                {f"benchproject/mod{(r * 3 + j) % 40:03d}.py": f"X = {r}{j}\n"},
                                f"Merge {r}.{j}",
                            )
                        ref, sha = new_change(project)
                        before = dir_bytes(mirrors.repo_path(project) / "objects")
                        started = time.perf_counter()
                        mirrors.fetch(project, info["url"], ref, sha)
                        info["fetch_ms"].append((time.perf_counter() - started) * 1000)
                        info["fetch_bytes"].append(
                            dir_bytes(mirrors.repo_path(project) / "objects") - before
                        )
                for k in range(clones):
                    if expired() and k > 0:
                        break
                    for size in sizes:
                        info = per_size[size]
                        ref, sha = new_change(info["project"])
                        dest = root / f"clone-{size}-{k}"
                        seconds = naive_clone(info["url"], dest, ref, sha)
                        info["clone_ms"].append(seconds * 1000)
                        info["clone_bytes"] = dir_bytes(dest / "objects")
                        shutil.rmtree(dest, ignore_errors=True)
                        c.progress(f"fetch_cost: {size} commits: naive clone {seconds:.1f} s")

    small, large = sizes[0], sizes[-1]
    for size, info in per_size.items():
        fetches = info.pop("fetch_ms")
        clones_ms = info.pop("clone_ms")
        info.pop("url")
        info["fetch_p50_ms"] = c.rnd(c.median(fetches))
        info["fetch_min_ms"] = c.rnd(min(fetches)) if fetches else None
        info["fetch_max_ms"] = c.rnd(max(fetches)) if fetches else None
        info["fetches"] = len(fetches)
        info["fetch_bytes_p50"] = int(c.median(info.pop("fetch_bytes")) or 0)
        info["clone_p50_ms"] = c.rnd(c.median(clones_ms))
        info["clones"] = len(clones_ms)
        info["clone_vs_fetch"] = c.rnd(c.median(clones_ms) / c.median(fetches), 1)
        result[f"fetch_{size}"] = info
    ratio = per_size[large]["fetch_p50_ms"] / per_size[small]["fetch_p50_ms"]
    result["fetch_ratio"] = c.rnd(ratio, 3)
    result["fetch_ratio_label"] = f"{large} vs {small} commits"
    if (small, large) == (1000, 100_000):
        result["fetch_ratio_100k_vs_1k"] = c.rnd(ratio, 3)
    result["fetch_clone_ratio_large"] = c.rnd(
        per_size[large]["clone_p50_ms"] / per_size[large]["fetch_p50_ms"], 1
    )
    result["bars"] = {"fetch_ratio_100k_vs_1k": "<= 2"}
    return result


def add_refs(git_dir: Path, changes: int, sha: str) -> None:
    """``changes`` patch-set refs plus one NoteDb meta ref each, as one sorted packed-refs file.

    (All point at one existing commit: the advertisement's size, not the objects, is what
    grows with the ref count; real Gerrit advertises both kinds to protocol v0 clients.)
    """
    names = []
    for n in range(1_000_000, 1_000_000 + changes):
        base = f"refs/changes/{n % 100:02d}/{n}"
        names += [f"{base}/1", f"{base}/meta"]
    names.sort()
    packed = git_dir / "packed-refs"
    old = packed.read_text().splitlines()[1:] if packed.exists() else []
    lines = sorted([*old, *(f"{sha} {name}" for name in names)], key=lambda ln: ln.split(" ")[1])
    packed.write_text("# pack-refs with: peeled fully-peeled sorted \n" + "\n".join(lines) + "\n")


def run_refs(
    ref_counts: list[int],
    rounds: int,
    history: int,
    nova_commits: int,
    cache_dir: Path,
    max_seconds: float,
    nodelay: bool,
) -> dict[str, Any]:
    """Fetch cost of one new patch set with ``ref_counts`` change refs, per transport."""
    from urllib.parse import urlsplit

    from bot.scm import Mirrors

    out: dict[str, Any] = {"ref_counts": ref_counts, "ref_history_commits": history}
    transports = ["libgit2", "git"]
    samples: dict[tuple[str, int], dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-refs-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            parts = urlsplit(fake.url)
            proxy = ByteProxy((parts.hostname or "127.0.0.1", parts.port or 80))
            base = f"http://127.0.0.1:{proxy.port}"
            counter = 0
            source, head, _ = cached_history(cache_dir, history)
            mirrors = {
                t: Mirrors(
                    root / f"mirrors-{t}",
                    username=c.BOT_USER,
                    password=c.BOT_PASSWORD,
                    transport=t,
                    timeout=300,
                )
                for t in transports
            }

            def new_change(project: str) -> tuple[str, str]:
                nonlocal counter
                counter += 1
                number = fake.create_change(project, c.typical_change(counter), f"Refs {counter}")
                return fake.ref(number, 1), fake.revision(number, 1)

            for count in ref_counts:
                project = f"bench/refs{count}"
                load_into_fake(fake, project, source, head)
                add_refs(Path(fake.repo_path(project)), count, head)
                for t in transports:
                    ref, sha = new_change(project)
                    mirrors[t].fetch(project, f"{base}/a/{project}", ref, sha)  # fill the mirror
                    samples[(t, count)] = {"ms": [], "bytes": []}
            with c.deadline(max_seconds) as expired:
                for r in range(rounds):
                    if expired() and r > 0:
                        c.progress(f"fetch_cost: ref rounds bounded after {r}")
                        break
                    for count in ref_counts:
                        project = f"bench/refs{count}"
                        fake.commit_to_branch(
                            project, {f"benchproject/mod{r % 40:03d}.py": f"R = {r}\n"}, f"R {r}"
                        )
                        for t in transports:
                            ref, sha = new_change(project)
                            proxy.reset()
                            started = time.perf_counter()
                            mirrors[t].fetch(project, f"{base}/a/{project}", ref, sha)
                            elapsed = time.perf_counter() - started
                            sent, received = proxy.reset()
                            samples[(t, count)]["ms"].append(elapsed * 1000)
                            samples[(t, count)]["bytes"].append(sent + received)

            # The first fetch of a project with a nova-sized history, both transports.
            nova_src, nova_head, gen_s = cached_history(cache_dir, nova_commits)
            load_into_fake(fake, "bench/nova-sized", nova_src, nova_head)
            add_refs(Path(fake.repo_path("bench/nova-sized")), ref_counts[-1], nova_head)
            first: dict[str, Any] = {"commits": nova_commits, "history_seconds": c.rnd(gen_s, 1)}
            for t in transports:
                ref, sha = new_change("bench/nova-sized")
                fresh = Mirrors(
                    root / f"first-{t}",
                    username=c.BOT_USER,
                    password=c.BOT_PASSWORD,
                    transport=t,
                    timeout=600,
                )
                proxy.reset()
                started = time.perf_counter()
                fresh.fetch("bench/nova-sized", f"{base}/a/bench/nova-sized", ref, sha)
                first[f"{t}_ms"] = c.rnd((time.perf_counter() - started) * 1000)
                first[f"{t}_bytes"] = sum(proxy.reset())
                first[f"{t}_mirror_bytes"] = dir_bytes(fresh.repo_path("bench/nova-sized"))
                c.progress(f"fetch_cost: first fetch of a nova-sized project with {t}: {first}")
            out["first_fetch_nova_sized"] = first
            proxy.close()

    small, large = ref_counts[0], ref_counts[-1]
    for (t, count), v in samples.items():
        out[f"refs_{t}_{count}"] = {
            "fetch_p50_ms": c.rnd(c.median(v["ms"])),
            "fetch_bytes_p50": int(c.median(v["bytes"]) or 0),
            "fetches": len(v["ms"]),
        }

    def ratio(t: str, what: str) -> float:
        a, b = out[f"refs_{t}_{large}"][what], out[f"refs_{t}_{small}"][what]
        return c.rnd(a / b, 3) if b else float("inf")

    new_time, new_bytes = ratio("git", "fetch_p50_ms"), ratio("git", "fetch_bytes_p50")
    out["fetch_ratio_refs_time"] = new_time
    out["fetch_ratio_refs_bytes"] = new_bytes
    out["fetch_ratio_refs_time_libgit2"] = ratio("libgit2", "fetch_p50_ms")
    out["fetch_ratio_refs_bytes_libgit2"] = ratio("libgit2", "fetch_bytes_p50")
    out["fetch_bytes_libgit2_large_refs"] = out[f"refs_libgit2_{large}"]["fetch_bytes_p50"]
    if (small, large) == (1000, 300_000):
        out["fetch_ratio_300k_refs_vs_1k"] = max(new_time, new_bytes)
        out["fetch_bytes_300k_refs"] = out[f"refs_git_{large}"]["fetch_bytes_p50"]
    return out


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000, help="commits of the small repository")
    parser.add_argument("--large", type=int, default=100_000, help="commits of the large one")
    parser.add_argument("--rounds", type=int, default=9, help="timed fetches per repository")
    parser.add_argument("--clones", type=int, default=2, help="naive clones per repository")
    parser.add_argument("--cache-dir", type=Path, default=c.CACHE_DIR)
    parser.add_argument("--refs", type=int, default=300_000, help="change refs of the large case")
    parser.add_argument("--ref-rounds", type=int, default=5, help="timed fetches per ref count")
    parser.add_argument(
        "--nova-commits", type=int, default=100_000, help="history of the first-fetch case"
    )
    args = parser.parse_args()
    c.setup_logging()
    if args.quick:
        sizes, rounds, clones, bound = [100, 1000], 2, 1, 20.0
    else:
        sizes, rounds, clones, bound = [args.small, args.large], args.rounds, args.clones, 600.0
    result = run(
        sizes, rounds, clones, args.cache_dir, min(bound, args.max_seconds), not args.stock_fake
    )
    if args.quick:
        refs = run_refs([100, 2000], 2, 100, 1000, args.cache_dir, 30.0, not args.stock_fake)
    else:
        refs = run_refs(
            [1000, args.refs],
            args.ref_rounds,
            1000,
            args.nova_commits,
            args.cache_dir,
            min(300.0, args.max_seconds),
            not args.stock_fake,
        )
    bars = result.pop("bars")
    result.update(refs)
    result["bars"] = {**bars, "fetch_ratio_300k_refs_vs_1k": "<= 1.5"}
    result["quick"] = args.quick
    c.emit("fetch_cost", result, args.out)


if __name__ == "__main__":
    main()
