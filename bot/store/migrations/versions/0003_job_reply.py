"""Keep a refused recheck request's reply on its job (``jobs.reply``).

Until now the reply of a REFUSAL job lived only in the text of its first event
(``refused: <reply> requested_by=<who>``), and the pipeline parsed it back out.
The column holds it instead. Refusal jobs already in the database get their reply
from that first event (or, failing that, from their reason), so one still queued
when the bot is upgraded posts exactly the text it would have posted before.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept literal here (not imported from the bot) so this migration keeps meaning what it
# meant when it was written.
_REFUSED = "refused: "
_REQUESTED_BY = " requested_by="
_FALLBACK = "the request was refused"

_jobs = sa.table(
    "jobs", sa.column("id"), sa.column("kind"), sa.column("reason"), sa.column("reply")
)
_events = sa.table("job_events", sa.column("id"), sa.column("job_id"), sa.column("detail"))


def upgrade() -> None:
    op.add_column("jobs", sa.Column("reply", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    refusals = conn.execute(
        sa.select(_jobs.c.id, _jobs.c.reason).where(_jobs.c.kind == "refusal")
    ).all()
    for job_id, reason in refusals:
        details = conn.execute(
            sa.select(_events.c.detail).where(_events.c.job_id == job_id).order_by(_events.c.id)
        ).scalars()
        reply = _reply(list(details), reason or "")
        conn.execute(sa.update(_jobs).where(_jobs.c.id == job_id).values(reply=reply))


def _reply(details: list[str], reason: str) -> str:
    """What the bot before this revision would have posted for the job."""
    for detail in details:
        if detail.startswith(_REFUSED):
            return detail[len(_REFUSED) :].split(_REQUESTED_BY, 1)[0]
    if reason.startswith(_REFUSED):
        return reason[len(_REFUSED) :]
    return _FALLBACK


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("reply")
