"""The store: jobs (with leases), reviews, findings and poll cursors.

SQLite by default, PostgreSQL for several bot processes; see :mod:`bot.store.store`.
"""

from bot.store.records import (
    FindingRow,
    Job,
    JobEvent,
    JobKind,
    JobSpec,
    JobStatus,
    ReviewRecord,
    ReviewRow,
)
from bot.store.store import Store

__all__ = [
    "FindingRow",
    "Job",
    "JobEvent",
    "JobKind",
    "JobSpec",
    "JobStatus",
    "ReviewRecord",
    "ReviewRow",
    "Store",
]
