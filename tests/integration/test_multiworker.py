"""A short run of ``bench/multiworker.py``: bot processes SIGKILLed and restarted mid-run,
and still every patch set reviewed exactly once.

On PostgreSQL: three processes (one elected poller, killed first), about sixty patch sets.
On SQLite: the same with one process. The bench is run as a script, as an operator would,
and its last output line (JSON) is checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import postgres_database

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "multiworker.py"


def run_bench(*args: str, timeout: float) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--out", "", "--seed", "42", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout + 60,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    assert lines, f"no output; stderr:\n{proc.stderr[-4000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    assert proc.returncode == 0, f"{result}\nstderr:\n{proc.stderr[-4000:]}"
    for key in ("patchsets", "reviews", "duplicates", "lost", "kills", "throughput_per_min"):
        assert key in result
    return result


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.timeout(200)
def test_three_processes_on_postgresql_killed_at_random_review_each_patch_set_once() -> None:
    with postgres_database("security_bot_mw") as url:
        result = run_bench(
            "--dsn", url, "--workers", "3", "--patchsets", "60", "--kills", "3",
            "--timeout", "90",
            timeout=90,
        )  # fmt: skip
    assert result["backend"] == "postgresql"
    assert result["finished"]
    assert result["duplicates"] == 0 and result["lost"] == 0
    assert result["reviews"] == result["patchsets"] == 60
    assert result["kills"] == 3
    assert result["poller_kills"] == 1  # the elected poller died; another took over
    assert result["defects_reported"] == result["defective_patchsets"]
    assert result["jobs"] == {"posted": 60}
    assert result["throughput_per_min"] > 0


@pytest.mark.slow
@pytest.mark.timeout(200)
def test_one_process_on_sqlite_killed_and_restarted_reviews_each_patch_set_once() -> None:
    result = run_bench(
        "--dsn", "sqlite", "--workers", "1", "--patchsets", "40", "--kills", "2",
        "--timeout", "90",
        timeout=90,
    )  # fmt: skip
    assert result["backend"] == "sqlite"
    assert result["finished"]
    assert result["duplicates"] == 0 and result["lost"] == 0
    assert result["reviews"] == result["patchsets"] == 40
    assert result["kills"] == 2
    assert result["jobs"] == {"posted": 40}
