"""A digest of every finding ``analyze`` reports on the six projects' test trees.

A speed change to the analysis must not change a finding: record the digests before the
change (``--write``), and after it this script exits 1 when any project's findings differ
(and says which file first differs). The digest covers every field of every finding,
suppressed ones and rule errors included, in file order.

    python bench/findings_digest.py --write   # record bench/results/findings_digest.json
    python bench/findings_digest.py           # compare against the recorded digests
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from _projects import BENCH, PROJECTS, project_tree

from bot.analysis import FileResult
from bot.analyze import analyze_paths

OUT = BENCH / "results" / "findings_digest.json"


def _file_digest(result: FileResult) -> str:
    blob = json.dumps(
        [
            result.path,
            result.error,
            [f.to_json() for f in result.findings],
            [(s.finding.to_json(), s.comment) for s in result.suppressed],
            sorted((e.rule, e.line, e.error, e.count) for e in result.rule_errors),
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def digests(name: str, jobs: int) -> dict[str, str]:
    """``file -> digest`` for ``<name>/tests``, analysed with the project model."""
    here = os.getcwd()
    os.chdir(project_tree(name))
    try:
        results = analyze_paths([f"{name}/tests"], jobs=jobs, cache_dir=None)
    finally:
        os.chdir(here)
    return {r.path: _file_digest(r)[:12] for r in results}


def main() -> int:
    write = "--write" in sys.argv
    names = [a for a in sys.argv[1:] if not a.startswith("-")] or list(PROJECTS)
    jobs = os.cpu_count() or 1
    recorded = json.loads(OUT.read_text()) if OUT.exists() else {}
    status = 0
    for name in names:
        now = digests(name, jobs)
        total = hashlib.sha256(json.dumps(now, sort_keys=True).encode()).hexdigest()
        if write:
            recorded[name] = {"total": total, "files": now}
            print(f"{name}: {total[:16]} recorded ({len(now)} files)")
            continue
        before = recorded.get(name)
        if before is None:
            print(f"{name}: no recorded digest")
            status = 1
        elif before["total"] != total:
            differ = sorted(p for p in set(now) | set(before["files"])
                            if now.get(p) != before["files"].get(p))  # fmt: skip
            print(f"{name}: DIFFERENT in {len(differ)} files, first {differ[:5]}")
            status = 1
        else:
            print(f"{name}: identical ({total[:16]})")
    if write:
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
