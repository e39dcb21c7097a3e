"""Fix safety on real code: every fix applied to the test trees of the pinned OpenStack wheels.

For each project of ``bench/_projects.py`` (downloaded once into bench/.cache) the whole
package is copied to a scratch directory, ``<project>/tests`` is analysed with the project
model, and every fix the findings carry is applied with the same code as ``security-bot
analyze --fix`` (``bot.fixing.fix_files``). Then it checks what the fixes promise:

* every changed file still parses (and compiles);
* the tree analysed again has no finding that was not there before (by rule, path, line);
* each fix-carrying rule is silent where it was fixed, and no fix is left to apply;
* a second ``--fix`` pass changes nothing (idempotent).

Prints a table and a final JSON line, writes ``bench/results/fix_safety.json`` (paths
relative to each tree) and exits 1 when a promise is broken.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from _projects import BENCH, PROJECTS, project_tree

from bot.analysis import FileResult, all_rules
from bot.analyze import analyze_paths
from bot.fixing import fix_files

RESULT = BENCH / "results" / "fix_safety.json"


def _keys(results: list[FileResult]) -> set[tuple[str, str, int]]:
    return {(f.rule, f.path, f.line) for r in results for f in r.findings}


def _analyse(name: str) -> list[FileResult]:
    return analyze_paths([f"{name}/tests"], cache_dir=None)


def check_project(name: str, scratch: Path) -> dict:
    """Copy ``name``'s tree into ``scratch``, fix it, and check the promises."""
    work = scratch / name
    shutil.copytree(project_tree(name) / name, work / name)
    os.chdir(work)
    before = _analyse(name)
    fixable = [f for r in before for f in r.findings if f.fix is not None]
    outcome = fix_files(before, {}, write=True)
    unparsable = []
    for path in outcome.files:
        try:
            compile(ast.parse(Path(path).read_bytes(), path), path, "exec")
        except SyntaxError as exc:
            unparsable.append(f"{path}: {exc.msg}")
    after = _analyse(name)
    new = sorted(_keys(after) - _keys(before))
    fixed_places = {(f.rule, f.path, f.line) for f in fixable}
    still_there = sorted(fixed_places & _keys(after))
    fixes_left = [(f.rule, f.path, f.line) for r in after for f in r.findings if f.fix]
    second = fix_files(after, {}, write=True)
    return {
        "name": name,
        "version": PROJECTS[name],
        "files_analysed": len(before),
        "findings_with_fix": len(fixable),
        "by_rule": dict(sorted(Counter(f.rule for f in fixable).items())),
        "fixes_applied": outcome.applied,
        "files_changed": len(outcome.files),
        "refused": outcome.refused,
        "unparsable_after": unparsable,
        "new_findings": [list(k) for k in new],
        "fixed_rule_still_reported": [list(k) for k in still_there],
        "fixes_left": [list(k) for k in fixes_left],
        "second_pass_applied": second.applied,
    }


def main() -> int:
    rules = sorted(r.id for r in all_rules() if r.fixes)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fix-safety-") as tmp:
        for name in PROJECTS:
            rows.append(check_project(name, Path(tmp)))
        os.chdir(BENCH)
    total = {
        key: sum(len(r[key]) if isinstance(r[key], list) else r[key] for r in rows)
        for key in ("findings_with_fix", "fixes_applied", "files_changed", "refused",
                    "unparsable_after", "new_findings", "fixed_rule_still_reported",
                    "fixes_left", "second_pass_applied")
    }  # fmt: skip
    ok = all(
        total[k] == 0
        for k in ("refused", "unparsable_after", "new_findings", "fixed_rule_still_reported",
                  "fixes_left", "second_pass_applied")
    ) and total["fixes_applied"] == total["findings_with_fix"]  # fmt: skip
    print("| project | fixable findings | fixes applied | files changed | unparsable after "
          "| new findings | fixed rule still reporting | 2nd pass |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['name']} {r['version']} | {r['findings_with_fix']} | {r['fixes_applied']} "
              f"| {r['files_changed']} | {len(r['unparsable_after'])} | {len(r['new_findings'])} "
              f"| {len(r['fixed_rule_still_reported'])} | {r['second_pass_applied']} |"
              )  # fmt: skip
    result = {"fix_rules": rules, "projects": rows, "total": total, "ok": ok}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"fix_safety": total, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
