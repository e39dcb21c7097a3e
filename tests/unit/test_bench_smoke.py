"""The benchmark scripts still run: each one's ``--quick`` mode prints its JSON line.

A quick run is a smoke test, not a measurement: a few patch sets, tiny repositories. The
five scripts start at once (each is mostly waiting on its own fake Gerrit), so the whole
module takes seconds. Results go to a temporary directory, never to ``bench/results/``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

# script -> the figures its JSON line must hold
SCRIPTS = {
    "latency": ["latency_p50_ms", "latency_p95_ms", "latency_breakdown"],
    "fetch_cost": ["fetch_ratio", "fetch_100", "fetch_1000"],
    "throughput": ["throughput_per_min"],
    "memory": ["rss_mb_after_5000", "rss_slope_mb_per_1000_last_half"],
    "idle": ["idle_requests_per_min", "idle_requests_per_poll"],
    "recheck_cost": ["recheck_idle_poll_extra_requests", "recheck_idle_poll_requests_before"],
}


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("bench")
    procs = {}
    for name in SCRIPTS:
        cmd = [sys.executable, str(BENCH / f"{name}.py"), "--quick", "--out", str(tmp / name)]
        if name == "fetch_cost":
            cmd += ["--cache-dir", str(tmp / "cache")]
        procs[name] = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=BENCH.parent
        )
    runs: dict[str, Any] = {}
    for name, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        runs[name] = (proc.returncode, out, err, tmp / name)
    return runs


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_quick_run_prints_its_json_line(quick_runs: dict[str, Any], name: str) -> None:
    code, out, err, written = quick_runs[name]
    assert code == 0, err[-2000:]
    lines = [line for line in out.splitlines() if line.startswith("{")]
    assert len(lines) == 1, out
    result = json.loads(lines[0])
    assert result["benchmark"] == name and result["quick"] is True
    for key in SCRIPTS[name]:
        assert key in result, key
    assert json.loads(written.read_text()) == result


def test_every_quick_review_was_posted(quick_runs: dict[str, Any]) -> None:
    latency = json.loads(quick_runs["latency"][3].read_text())
    throughput = json.loads(quick_runs["throughput"][3].read_text())
    assert latency["latency_all_posted"] and throughput["throughput_all_posted"]
    idle = json.loads(quick_runs["idle"][3].read_text())
    assert idle["idle_git_requests"] == 0
