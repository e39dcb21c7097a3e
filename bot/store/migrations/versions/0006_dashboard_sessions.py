"""Dashboard sessions kept server-side, so logging out ends them (``dashboard_sessions``).

A row per logged-in administrator session, keyed by the SHA-256 of the session id the
signed cookie carries; logout deletes it, expired rows are pruned at the next login.

Revision ID: 0006_dashboard_sessions
Revises: 0005_dashboard_indexes
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_dashboard_sessions"
down_revision: str | Sequence[str] | None = "0005_dashboard_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        # literal, like 0001's timestamps (not imported from the models)
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name="pk_dashboard_sessions"),
    )
    op.create_index("ix_dashboard_sessions_expires_at", "dashboard_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_dashboard_sessions_expires_at", table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
