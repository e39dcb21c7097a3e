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
import warnings
from collections import Counter
from pathlib import Path

from _projects import BENCH, PROJECTS, project_tree
from _seeding import seed

from bot.analysis import FileResult, all_rules
from bot.analysis.fixes import apply_fixes
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


def seeded_project(name: str, scratch: Path) -> dict:
    """Seed the defects the fixes repair into a copy of ``name``'s tests, fix, and compare
    every seeded line with the line it came from."""
    work = scratch / f"{name}-seeded"
    shutil.copytree(project_tree(name) / name, work / name)
    os.chdir(work)
    originals: dict[str, str] = {}
    seeded_texts: dict[str, str] = {}
    seeds = {}
    for path in sorted(Path(name, "tests").rglob("*.py")):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        seeded_text, found = seed(text)
        if found:
            originals[path.as_posix()] = text
            seeded_texts[path.as_posix()] = seeded_text
            seeds[path.as_posix()] = found
    files = sorted(originals)
    pristine = analyze_paths(files, cache_dir=None) if files else []
    before = _keys(pristine)
    # a defect the release already had is fixed too: each line is compared with the
    # original after its own fixes (the original itself where it had none)
    reference = {
        r.path: apply_fixes(originals[r.path], [f.fix for f in r.findings if f.fix])[0]
        for r in pristine
    }
    for path in files:
        Path(path).write_bytes(seeded_texts[path].encode("utf-8"))
    seeded_results = analyze_paths(files, cache_dir=None) if files else []
    outcome = fix_files(seeded_results, {}, write=True)
    restored: Counter[str] = Counter()
    unfixed: Counter[str] = Counter()
    wrong: list[str] = []
    left_as_seeded: set[tuple[str, int]] = set()
    unparsable = []
    for path in files:
        fixed_text = Path(path).read_bytes().decode("utf-8")
        try:
            compile(ast.parse(fixed_text, path), path, "exec")
        except SyntaxError as exc:
            unparsable.append(f"{path}: {exc.msg}")
        fixed_lines = fixed_text.split("\n")
        original_lines = reference.get(path, originals[path]).split("\n")
        by_line = {s.line: s for s in seeds[path]}
        if len(fixed_lines) != len(original_lines):
            wrong.append(f"{path}: the number of lines changed")
            continue
        for n, (was, now) in enumerate(zip(original_lines, fixed_lines, strict=True), 1):
            s = by_line.get(n)
            if s is None:
                if now != was:
                    wrong.append(f"{path}:{n}: an unseeded line changed")
            elif now == was:
                restored[s.kind] += 1
            elif now == s.seeded:
                unfixed[s.kind] += 1
                left_as_seeded.add((path, n))
            else:
                wrong.append(f"{path}:{n}: {s.kind}: {now.strip()!r} for {s.original.strip()!r}")
    after = _keys(analyze_paths(files, cache_dir=None)) if files else set()
    new = sorted(k for k in after - before if (k[1], k[2]) not in left_as_seeded)
    return {
        "name": name,
        "files_seeded": len(files),
        "seeded": dict(sorted(Counter(s.kind for f in seeds.values() for s in f).items())),
        "fixes_applied": outcome.applied,
        "restored_exactly": dict(sorted(restored.items())),
        "left_as_seeded": dict(sorted(unfixed.items())),
        "wrong": wrong,
        "unparsable_after": unparsable,
        "new_findings": [list(k) for k in new],
    }


def main() -> int:
    # the seeded ``is`` comparisons are what CPython warns about; the warnings are the point
    warnings.simplefilter("ignore", SyntaxWarning)
    rules = sorted(r.id for r in all_rules() if r.fixes)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fix-safety-") as tmp:
        for name in PROJECTS:
            rows.append(check_project(name, Path(tmp)))
        seeded = [seeded_project(name, Path(tmp)) for name in PROJECTS]
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
    seeded_total = {
        "files_seeded": sum(r["files_seeded"] for r in seeded),
        "seeded": sum(sum(r["seeded"].values()) for r in seeded),
        "fixes_applied": sum(r["fixes_applied"] for r in seeded),
        "restored_exactly": sum(sum(r["restored_exactly"].values()) for r in seeded),
        "left_as_seeded": sum(sum(r["left_as_seeded"].values()) for r in seeded),
        "wrong": sum(len(r["wrong"]) for r in seeded),
        "unparsable_after": sum(len(r["unparsable_after"]) for r in seeded),
        "new_findings": sum(len(r["new_findings"]) for r in seeded),
    }
    by_kind: dict[str, Counter[str]] = {}
    for r in seeded:
        for part in ("seeded", "restored_exactly", "left_as_seeded"):
            for kind, n in r[part].items():
                by_kind.setdefault(kind, Counter())[part] += n
    print()
    print("| seeded defect (rule) | seeded | restored exactly | left as seeded |")
    print("|---|---:|---:|---:|")
    for kind, c in sorted(by_kind.items()):
        print(f"| `{kind}` | {c['seeded']} | {c['restored_exactly']} | {c['left_as_seeded']} |")
    ok = ok and all(seeded_total[k] == 0 for k in ("wrong", "unparsable_after", "new_findings"))
    result = {
        "fix_rules": rules,
        "projects": rows,
        "total": total,
        "seeded_projects": seeded,
        "seeded_total": seeded_total,
        "ok": ok,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"fix_safety": total, "seeded": seeded_total, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
