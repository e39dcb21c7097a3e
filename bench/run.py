"""Run every benchmark in ``bench/`` and merge the results (``make bench``).

Each benchmark script writes ``bench/results/<name>.json`` and prints one JSON line. This
runner starts them one after the other (each bounded in time), then writes
``bench/results.json`` (every figure, the bars, the machine's CPU count, the versions and
the date) and ``bench/RESULTS.md`` (the same as Markdown tables).

Scripts belonging to other parts of the project are run when present:
``analysis_speed.py``, ``precision.py``, ``precision_new_rules.py`` and ``fix_safety.py``
(they download their data: when that fails it is reported as skipped, with the reason)
and ``multiworker.py`` (two workers on PostgreSQL).

    python bench/run.py                # everything
    python bench/run.py --only latency,idle
    python bench/run.py --quick        # a smoke run, seconds per script, not measurements
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _common as c

# (script, time bound in seconds for a full run)
OURS = [
    ("latency", 300),
    ("fetch_cost", 900),
    ("throughput", 600),
    ("memory", 1200),
    ("idle", 120),
    ("project_settings", 300),
    ("retention", 2400),
    ("recheck_cost", 600),
    # builds (or reuses, from bench/.cache and the PostgreSQL server) a million-job store
    ("dashboard_1m", 5400),
]
OTHERS = [
    ("analysis_speed", 600),
    ("precision", 600),
    ("precision_new_rules", 900),
    ("multiworker", 600),
    ("fix_safety", 1800),  # downloads the pinned OpenStack wheels, like precision
]

# key, bar text, test (None: informative)
BARS: list[tuple[str, str, Any]] = [
    ("latency_p50_ms", "≤ 300 ms", lambda v: v <= 300),
    ("latency_p95_ms", "≤ 1000 ms", lambda v: v <= 1000),
    ("fetch_ratio_100k_vs_1k", "≤ 2", lambda v: v <= 2),
    (
        "fetch_ratio_300k_refs_vs_1k",
        "≤ 1.5 (time and bytes of one patch set's fetch)",
        lambda v: v <= 1.5,
    ),
    ("fetch_bytes_300k_refs", "bytes on the wire per fetch, 300,000 change refs", None),
    ("throughput_per_min", "≥ 1000 per minute", lambda v: v >= 1000),
    ("rss_mb_after_5000", "≤ 250 MiB", lambda v: v <= 250),
    ("rss_growth_mb_last_half", "≈ 0 (≤ 5 MiB over the last half)", lambda v: v <= 5),
    ("idle_requests_per_min", "the poll queries alone", None),
    (
        "recheck_idle_poll_extra_requests",
        "0 (a recheck poll over 200 reviewed changes, nothing new: its query alone)",
        lambda v: v == 0,
    ),
    ("recheck_poll_with_requests_after", "query + 2 per new request (5 requests)", None),
    ("settings_review_ratio", "≤ 1.25 (reading the branch's settings)", lambda v: v <= 1.25),
    (
        "ratio_single_to_parse",
        "≤ 2.5 times ast.parse (project model included, warm cache)",
        lambda v: v <= 2.5,
    ),
    ("model_warm_p50_ms", "≤ 20 ms per review (nova's tree, warm cache)", lambda v: v <= 20),
    ("min_project_precision", "≥ 90% true on every project", lambda v: v >= 0.9),
    ("store_mib_per_100k_before", "store size per 100,000 patch sets, SQLite", None),
    ("store_mib_per_100k_after", "the same after a retention pass (90 days)", None),
    ("store_mib_per_100k_after_vacuum", "the same compacted (VACUUM)", None),
    ("retention_pass_s_per_100k", "how long the pass took, per 100,000 patch sets", None),
    ("store_mib_per_100k_before_postgres", "store size per 100,000 patch sets, PostgreSQL", None),
    ("store_mib_per_100k_after_postgres", "the same after a retention pass", None),
    ("retention_pass_s_per_100k_postgres", "how long the pass took (PostgreSQL)", None),
    (
        "dashboard_worst_ms_1m_sqlite",
        "≤ 200 ms, every dashboard page and JSON endpoint, 1,000,000 jobs, SQLite",
        lambda v: v <= 200,
    ),
    (
        "dashboard_worst_ms_1m_postgres",
        "≤ 200 ms, every dashboard page and JSON endpoint, 1,000,000 jobs, PostgreSQL",
        lambda v: v <= 200,
    ),
]
REQUIRED = [
    "latency_p50_ms",
    "latency_p95_ms",
    "fetch_ratio_100k_vs_1k",
    "fetch_ratio_300k_refs_vs_1k",
    "fetch_bytes_300k_refs",
    "throughput_per_min",
    "rss_mb_after_5000",
    "idle_requests_per_min",
    "dashboard_worst_ms_1m_sqlite",
    "dashboard_worst_ms_1m_postgres",
]


def run_script(name: str, bound: float, quick: bool, extra: list[str]) -> dict[str, Any]:
    script = c.BENCH_DIR / f"{name}.py"
    out = c.RESULTS_DIR / f"{name}.json"
    before = out.stat().st_mtime if out.exists() else None
    cmd = [sys.executable, str(script), *(["--quick"] if quick else []), *extra]
    c.progress(f"run: {name} (bound {bound:.0f} s)")
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=bound, cwd=c.BENCH_DIR.parent
        )
    except subprocess.TimeoutExpired:
        return _stale(out, before, {"status": "timeout", "reason": f"no result in {bound:.0f} s"})
    elapsed = time.perf_counter() - started
    sys.stderr.write(proc.stderr[-4000:])
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        reason = lines[-1] if lines else f"exit status {proc.returncode}"
        status = "skipped" if name.startswith("precision") else "failed"
        entry = {"status": status, "reason": reason[:500], "seconds": round(elapsed, 1)}
        fresh = out.exists() and (before is None or out.stat().st_mtime > before)
        if fresh:  # a script may write its figures and still exit non-zero on a missed bar
            entry["result"] = json.loads(out.read_text())
        return entry if fresh else _stale(out, before, entry)
    if out.exists() and (before is None or out.stat().st_mtime > before):
        data = json.loads(out.read_text())
    else:  # fall back on the printed JSON line
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            return {"status": "failed", "reason": "no JSON result", "seconds": round(elapsed, 1)}
        data = json.loads(lines[-1])
    return {"status": "ok", "seconds": round(elapsed, 1), "result": data}


def _stale(out: Path, before: float | None, entry: dict[str, Any]) -> dict[str, Any]:
    """Attach an earlier run's result file, clearly marked, when this run produced none."""
    if before is not None and out.exists():
        entry["stale_result_from"] = time.strftime(
            "%Y-%m-%dT%H:%M:%SZ", time.gmtime(out.stat().st_mtime)
        )
        entry["result"] = json.loads(out.read_text())
    return entry


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _scalars(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key in ("benchmark", "bars"):
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _scalars(value, name + ".")
        elif isinstance(value, int | float | str | bool):
            out.append((name, value))
    return out


def markdown(merged: dict[str, Any]) -> str:
    env = merged["environment"]
    figures = merged["figures"]
    lines = [
        "# Benchmark results",
        "",
        f"Run on {env['date']}: {env['cpu_count']} CPUs, Python {env['python']}, "
        f"pygit2 {env['pygit2']} (libgit2 {env['libgit2']}), SQLAlchemy {env['sqlalchemy']}, "
        f"git {env['git']}, {env['platform']}.",
        "",
        f"Command: `{merged['command']}`"
        + (" — QUICK SMOKE RUN, not measurements." if merged["quick"] else ""),
        "",
        "Timings are wall-clock on a machine shared with other work: compare figures of one",
        "run with each other (ratios), not across runs. See docs/benchmarks.md.",
        "",
        "## The bars",
        "",
        "| figure | value | bar | met |",
        "| --- | ---: | --- | --- |",
    ]
    for key, bar, test in BARS:
        value = figures.get(key)
        if value is None:
            met = "not measured"
        elif test is None:
            met = "see below"
        else:
            met = "yes" if test(value) else "**no**"
        lines.append(f"| `{key}` | {_fmt(value) if value is not None else '—'} | {bar} | {met} |")
    if "latency" in merged["benchmarks"] and merged["benchmarks"]["latency"].get("result"):
        bd = merged["benchmarks"]["latency"]["result"]["latency_breakdown"]
        lines += [
            "",
            "## Review latency break-down (ms)",
            "",
            "| stage | p50 | p95 | mean |",
            "| --- | ---: | ---: | ---: |",
        ]
        for stage, v in bd.items():
            lines.append(f"| {stage} | {v['p50_ms']} | {v['p95_ms']} | {v['mean_ms']} |")
    lines += ["", "## Every benchmark", ""]
    for name, entry in merged["benchmarks"].items():
        when = entry.get("reused_from")
        detail = f" (result file of {when})" if when else f" ({entry.get('seconds')} s)"
        lines.append(f"### {name} — {entry['status']}{detail}")
        lines.append("")
        if entry["status"] != "ok":
            lines += [f"{entry.get('reason', '')}", ""]
            if "stale_result_from" in entry:
                stale = entry["stale_result_from"]
                lines += [f"Figures below are from an earlier run ({stale}).", ""]
            if "result" not in entry:
                continue
        lines += ["| figure | value |", "| --- | ---: |"]
        for key, value in _scalars(entry["result"]):
            lines.append(f"| `{key}` | {_fmt(value)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run of every script")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="merge the result files already in bench/results/ instead of running the scripts",
    )
    args = parser.parse_args()
    c.setup_logging()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    started = time.perf_counter()
    merged: dict[str, Any] = {
        "command": "python bench/run.py"
        + (" --quick" if args.quick else "")
        + (" --reuse" if args.reuse else "")
        + (f" --only {args.only}" if only else ""),
        "quick": args.quick,
        "environment": c.environment(),
        "benchmarks": {},
        "figures": {},
    }
    for name, bound in OURS + OTHERS:
        if only and name not in only:
            continue
        if not (c.BENCH_DIR / f"{name}.py").exists():
            merged["benchmarks"][name] = {"status": "absent", "reason": f"bench/{name}.py absent"}
            continue
        if args.quick and (name, bound) in OTHERS:
            merged["benchmarks"][name] = {"status": "not run", "reason": "not run with --quick"}
            continue
        out = c.RESULTS_DIR / f"{name}.json"
        if args.reuse:
            if not out.exists():
                merged["benchmarks"][name] = {"status": "not run", "reason": "no result file"}
                continue
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(out.stat().st_mtime))
            entry = {"status": "ok", "reused_from": stamp, "result": json.loads(out.read_text())}
        else:
            entry = run_script(name, 60 if args.quick else bound, args.quick, [])
        merged["benchmarks"][name] = entry
        if entry["status"] == "ok" or ("result" in entry and "stale_result_from" not in entry):
            for key, value in entry["result"].items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    merged["figures"].setdefault(key, value)
        c.progress(f"run: {name}: {entry['status']}")
    merged["bars"] = {
        key: {
            "bar": bar,
            "value": merged["figures"].get(key),
            "met": (test(merged["figures"][key]) if key in merged["figures"] else None)
            if test
            else None,
        }
        for key, bar, test in BARS
    }
    merged["missing_figures"] = [k for k in REQUIRED if k not in merged["figures"]]
    merged["seconds"] = round(time.perf_counter() - started, 1)
    # the required figures also at the top level, where the issue asks for them
    for key in REQUIRED:
        if key in merged["figures"]:
            merged[key] = merged["figures"][key]
    results = c.BENCH_DIR / "results.json"
    results.write_text(json.dumps(merged, indent=2, sort_keys=False) + "\n")
    (c.BENCH_DIR / "RESULTS.md").write_text(markdown(merged))
    summary = {k: merged.get(k) for k in REQUIRED}
    print(json.dumps(summary, sort_keys=True), flush=True)
    if merged["missing_figures"]:
        c.progress(f"run: figures missing: {', '.join(merged['missing_figures'])}")
        sys.exit(1)


if __name__ == "__main__":
    main()
