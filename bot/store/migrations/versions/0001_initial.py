"""Initial schema: jobs, job events, reviews, findings, poll cursors.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept literal here (not imported from the models) so this migration keeps
# meaning what it meant when it was written.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("trigger_key", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("project", sa.String(255), nullable=False),
        sa.Column("change", sa.Integer(), nullable=False),
        sa.Column("patchset", sa.Integer(), nullable=False),
        sa.Column("revision", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("branch", sa.String(255), nullable=False),
        sa.Column("requested_by", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_marker", sa.String(32), nullable=False),
        sa.Column("lease_owner", sa.String(255), nullable=True),
        _ts("lease_expires", nullable=True),
        _ts("not_before", nullable=True),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        _ts("uploaded_at", nullable=True),
        _ts("finished_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.UniqueConstraint("trigger_key", name="uq_jobs_trigger_key"),
    )
    op.create_index("ix_jobs_status_not_before", "jobs", ["status", "not_before"])
    op.create_index("ix_jobs_change_patchset", "jobs", ["change", "patchset"])
    op.create_index("ix_jobs_project", "jobs", ["project"])

    op.create_table(
        "job_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("job_id", _ID, nullable=False),
        _ts("at", nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name="fk_job_events_job_id_jobs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_job_events"),
    )
    op.create_index("ix_job_events_job_id", "job_events", ["job_id"])

    op.create_table(
        "reviews",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("job_id", _ID, nullable=False),
        sa.Column("project", sa.String(255), nullable=False),
        sa.Column("change", sa.Integer(), nullable=False),
        sa.Column("patchset", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.Column("files_analysed", sa.Integer(), nullable=False),
        sa.Column("lines_changed", sa.Integer(), nullable=False),
        sa.Column("rules_run", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("timings", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("suppressed_count", sa.Integer(), nullable=False),
        _ts("posted_at", nullable=False),
        sa.Column("run_marker", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name="fk_reviews_job_id_jobs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_change_patchset", "reviews", ["change", "patchset"])
    op.create_index("ix_reviews_job_id", "reviews", ["job_id"])
    op.create_index("ix_reviews_posted_at", "reviews", ["posted_at"])

    op.create_table(
        "findings",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("review_id", _ID, nullable=False),
        sa.Column("rule", sa.String(128), nullable=False),
        sa.Column("cwe", sa.Integer(), nullable=False),
        sa.Column("cwe_name", sa.String(255), nullable=False),
        sa.Column("pillars", sa.JSON(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("confidence", sa.String(16), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("end_line", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(255), nullable=False),
        sa.Column("function", sa.String(255), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("suppressed", sa.Boolean(), nullable=False),
        sa.Column("posted_inline", sa.Boolean(), nullable=False),
        sa.Column("nosec_comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name="fk_findings_review_id_reviews",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_review_id", "findings", ["review_id"])
    op.create_index("ix_findings_fingerprint", "findings", ["fingerprint"])
    op.create_index("ix_findings_rule", "findings", ["rule"])

    op.create_table(
        "poll_cursors",
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_poll_cursors"),
    )


def downgrade() -> None:
    op.drop_table("poll_cursors")
    op.drop_index("ix_findings_rule", table_name="findings")
    op.drop_index("ix_findings_fingerprint", table_name="findings")
    op.drop_index("ix_findings_review_id", table_name="findings")
    op.drop_table("findings")
    op.drop_index("ix_reviews_posted_at", table_name="reviews")
    op.drop_index("ix_reviews_job_id", table_name="reviews")
    op.drop_index("ix_reviews_change_patchset", table_name="reviews")
    op.drop_table("reviews")
    op.drop_index("ix_job_events_job_id", table_name="job_events")
    op.drop_table("job_events")
    op.drop_index("ix_jobs_project", table_name="jobs")
    op.drop_index("ix_jobs_change_patchset", table_name="jobs")
    op.drop_index("ix_jobs_status_not_before", table_name="jobs")
    op.drop_table("jobs")
