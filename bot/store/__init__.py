"""The store: jobs (with leases), reviews, findings and poll cursors.

SQLite by default, PostgreSQL for several bot processes; see :mod:`bot.store.store`.
"""

from bot.store.outage import UNAVAILABLE, Outage
from bot.store.records import (
    REFUSED,
    FindingRow,
    Job,
    JobEvent,
    JobKind,
    JobSpec,
    JobStatus,
    ReviewRecord,
    ReviewRow,
    manual_key,
    patchset_key,
    recheck_key,
    refusal_reason,
    rerun_key,
)
from bot.store.store import Store

__all__ = [
    "REFUSED",
    "UNAVAILABLE",
    "FindingRow",
    "Job",
    "JobEvent",
    "JobKind",
    "JobSpec",
    "JobStatus",
    "Outage",
    "ReviewRecord",
    "ReviewRow",
    "Store",
    "manual_key",
    "patchset_key",
    "recheck_key",
    "refusal_reason",
    "rerun_key",
]
