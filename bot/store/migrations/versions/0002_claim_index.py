"""Index jobs on (status, created_at) for claiming.

A claim looks for the oldest claimable job: ``WHERE status = 'pending' … ORDER BY
created_at, id``.  With only ``(status, not_before)`` indexed, the database had to
sort every pending job on each claim; this index hands them over in order.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_jobs_status_created_at", "jobs", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_jobs_status_created_at", table_name="jobs")
