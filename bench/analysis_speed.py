"""Speed of ``analyze`` on nova's tests tree against ``ast.parse`` alone and Bandit.

Prints a final JSON line and writes ``bench/results/analysis_speed.json``.
"""

from __future__ import annotations

import ast
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

from _nova import BENCH, nova_tests

from bot.analyze import analyze_paths


def main() -> int:
    tests = nova_tests()
    root = tests.parent.parent
    os.chdir(root)
    files = sorted(Path("nova/tests").rglob("*.py"))
    sources = [p.read_bytes() for p in files]
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    for src in sources:
        ast.parse(src)
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    single = analyze_paths(["nova/tests"], jobs=1)
    single_s = time.perf_counter() - start
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    multi = analyze_paths(["nova/tests"], jobs=cores)
    multi_s = time.perf_counter() - start
    assert [r.findings for r in single] == [r.findings for r in multi]
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
        "ast_parse_s": round(parse_s, 3),
        "analyze_single_s": round(single_s, 3),
        "ratio_single_to_parse": round(single_s / parse_s, 3),
        "jobs": cores,
        "analyze_jobs_s": round(multi_s, 3),
        "bandit_s": None if bandit_s is None else round(bandit_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "findings": sum(len(r.findings) for r in single),
    }
    out = BENCH / "results" / "analysis_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))
    return 0 if figures["ratio_single_to_parse"] <= 2.5 else 1


if __name__ == "__main__":
    sys.exit(main())
