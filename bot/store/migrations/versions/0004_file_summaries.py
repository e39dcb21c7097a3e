"""File summaries for the project model, keyed by git blob id (``file_summaries``).

The bot builds a model of every Python file of the revision under review (classes, bases,
set-up facts); a file's summary depends only on its content, so it is kept per blob and
version of the summary format, and a new patch set parses only the files it changed.

Revision ID: 0004_file_summaries
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_file_summaries"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_summaries",
        sa.Column("blob_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        # literal, like 0001's timestamps (not imported from the models)
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("blob_id", "version", name="pk_file_summaries"),
    )


def downgrade() -> None:
    op.drop_table("file_summaries")
