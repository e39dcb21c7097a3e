"""bench/project_settings.py still runs: its ``--quick`` mode prints its JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_quick_run(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "project_settings.py"),
            "--quick",
            "--out",
            str(tmp_path / "r"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH.parent,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads([x for x in proc.stdout.splitlines() if x.startswith("{")][-1])
    assert result["benchmark"] == "project_settings" and result["quick"] is True
    # every review on the side with settings said which it applied
    assert result["settings_reviews_saying_so"] == result["settings_reviews_per_side"] > 0
    assert result["settings_review_ratio"] > 0
