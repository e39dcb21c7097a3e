"""Speed of ``analyze`` on nova's tests tree against ``ast.parse`` alone and Bandit, with the
project model included; and the project model's own cost for a review.

* ``ratio_single_to_parse``: ``analyze`` in one process with the project model of the whole
  ``nova`` package, its file summaries in a warm cache (the steady state: a developer's
  second run, the bot's every review), against ``ast.parse`` of the same files in the same
  run. ``analyze_cold_s`` is the first run, which summarises all 1500 files of the package.
* ``model_warm_p50_ms``: building the model of a revision of nova's tree (listing its Python
  blobs in a real git object database, summaries from the in-memory cache, the model) as a
  review does once its blobs are known; ``model_cold_s`` the first build, parsing every file.

Prints a final JSON line and writes ``bench/results/analysis_speed.json``.
"""

from __future__ import annotations

import ast
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pygit2
from _projects import BENCH, project_tree

from bot.analyze import analyze_paths
from bot.projects import MemorySummaries, revision_model
from bot.scm import Revision

SIG = pygit2.Signature("bench", "bench@example.org", 1_700_000_000, 0)


def _repo_of(root: Path, where: Path) -> tuple[pygit2.Repository, str]:
    """A bare repository whose one commit holds every file under ``root``."""
    repo = pygit2.init_repository(str(where), bare=True)
    index = pygit2.Index()
    for path in sorted(root.rglob("*.py")):
        blob = repo.create_blob(path.read_bytes())
        index.add(pygit2.IndexEntry(path.relative_to(root).as_posix(), blob,
                                    pygit2.enums.FileMode.BLOB))  # fmt: skip
    tree = index.write_tree(repo)
    return repo, str(repo.create_commit(None, SIG, SIG, "nova\n", tree, []))


def main() -> int:
    root = project_tree("nova")
    os.chdir(root)
    files = sorted(Path("nova/tests").rglob("*.py"))
    sources = [p.read_bytes() for p in files]
    warnings.simplefilter("ignore")
    cache = Path(tempfile.mkdtemp(prefix="summaries-"))
    try:
        start = time.perf_counter()
        cold = analyze_paths(["nova/tests"], jobs=1, cache_dir=cache)
        cold_s = time.perf_counter() - start
        # interleaved: parse, analyse (warm), parse, analyse (warm); medians
        parse_runs, single_runs = [], []
        for _ in range(2):
            start = time.perf_counter()
            for src in sources:
                ast.parse(src)
            parse_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            single = analyze_paths(["nova/tests"], jobs=1, cache_dir=cache)
            single_runs.append(time.perf_counter() - start)
        parse_s, single_s = statistics.median(parse_runs), statistics.median(single_runs)
        assert [r.findings for r in single] == [r.findings for r in cold]
        cores = os.cpu_count() or 1
        start = time.perf_counter()
        multi = analyze_paths(["nova/tests"], jobs=cores, cache_dir=cache)
        multi_s = time.perf_counter() - start
        assert [r.findings for r in single] == [r.findings for r in multi]
        repo, sha = _repo_of(root, cache / "nova.git")
        summaries = MemorySummaries(None)
        start = time.perf_counter()
        model, parsed = revision_model(Revision(repo, sha, max_file_bytes=10**7), summaries)
        model_cold_s = time.perf_counter() - start
        warm = []
        for _ in range(21):
            start = time.perf_counter()
            revision_model(Revision(repo, sha, max_file_bytes=10**7), summaries)
            warm.append((time.perf_counter() - start) * 1000)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    bandit_s = None
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent)) or shutil.which("bandit")
    if bandit:
        start = time.perf_counter()
        subprocess.run([bandit, "-q", "-r", "nova/tests", "-f", "json", "-o", os.devnull],
                       check=False)  # fmt: skip
        bandit_s = time.perf_counter() - start
    figures = {
        "name": "analysis_speed",
        "files": len(files),
        "model_files": len(model),
        "ast_parse_s": round(parse_s, 3),
        "analyze_single_s": round(single_s, 3),
        "ratio_single_to_parse": round(single_s / parse_s, 3),
        "analyze_cold_s": round(cold_s, 3),
        "ratio_cold_to_parse": round(cold_s / parse_s, 3),
        "jobs": cores,
        "analyze_jobs_s": round(multi_s, 3),
        "model_cold_s": round(model_cold_s, 3),
        "model_cold_parsed": parsed,
        "model_warm_p50_ms": round(statistics.median(warm), 2),
        "model_warm_max_ms": round(max(warm), 2),
        "bandit_s": None if bandit_s is None else round(bandit_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "findings": sum(len(r.findings) for r in single),
    }
    out = BENCH / "results" / "analysis_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))
    ok = figures["ratio_single_to_parse"] <= 2.5 and figures["model_warm_p50_ms"] <= 20
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
