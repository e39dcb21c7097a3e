"""``bench/multiworker.py --db-outages``: three bot processes, their database stopped twice
mid-run (a private PostgreSQL cluster), and still every patch set reviewed exactly once,
one log line per process and outage, no traceback (issue 17 #21). No SIGKILLs here: a
killed bot takes long to start again on a busy machine, and the bench holds an outage
until every bot runs; kills and outages together are the bench's own run (docs/benchmarks.md).

The bench is run as a script, as an operator would, and its last output line (JSON) is
checked. Skipped with the reason only when PostgreSQL's server binaries are missing and
``CI`` is unset; under CI that is a failure.
"""

from __future__ import annotations

import os

import pytest

from bot.demo.pgcluster import find_bindir
from tests.integration.test_multiworker import run_bench


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.timeout(400)
def test_three_processes_through_two_database_outages_review_each_patch_set_once() -> None:
    if find_bindir() is None:
        reason = "PostgreSQL's initdb/pg_ctl are not installed: no private cluster"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so this is a failure)")
        pytest.skip(reason)
    result = run_bench(
        "--workers", "3", "--patchsets", "50", "--kills", "0",
        "--db-outages", "2", "--db-outage-seconds", "12", "--timeout", "240",
        timeout=240,
    )  # fmt: skip
    assert result["backend"] == "postgresql"
    assert result["finished"]
    assert result["duplicates"] == 0 and result["lost"] == 0
    assert result["reviews"] == result["patchsets"] == 50
    assert result["jobs"] == {"posted": 50}  # none failed because of the outages
    assert result["db_outages"] == 2 and result["db_downtime_seconds"] == 24
    assert result["db_outages_mid_run"] >= 1  # with reviews in flight, not only when idle
    # Each process says once that the database is away and once that it is back, per outage.
    assert result["outage_log_lines"] == result["recovery_log_lines"] == 3 * 2
    assert result["bot_tracebacks"] == 0
