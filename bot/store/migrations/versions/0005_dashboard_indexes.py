"""The dashboard at a million jobs: denormalised review columns, indexes, counts and search.

A year of OpenStack is about a million patch sets; every dashboard query has to cost what
the page shows, not what the store holds.  This revision

* copies the newest review's ``verdict``, ``finding_count`` and ``duration_ms`` onto its
  job (``""`` / ``-1`` without a review), kept current by a trigger on ``reviews``, so the
  change list filters and sorts on one table;
* indexes every filter and sort of the change list as ``(column, id)`` (the id is the
  tie-breaker, so keyset pagination seeks straight to a page), replacing
  ``ix_jobs_project`` and widening ``ix_jobs_change_patchset``; indexes finished jobs by
  ``(finished_at, status, kind, uploaded_at)``, which covers the throughput chart and the
  latency figures (a review is posted when its job finishes), and findings by
  ``(review_id, suppressed, path, line, id)`` for a patch set's findings page;
* keeps ``job_counts`` (jobs per project, status and verdict) exact with triggers on
  ``jobs``, and ``finding_counts`` (findings per rule, CWE and suppression) with triggers on
  ``findings``, so totals, the overview and the rules page never count a big table;
* indexes the searched text (subject, owner, project, branch, requester): an FTS5 table
  with the trigram tokenizer on SQLite (substring matches, as ``LIKE '%…%'`` gave),
  a ``pg_trgm`` GIN index on PostgreSQL (when the extension cannot be created the search
  still works, by scanning).

Triggers live on the ``jobs`` table: on SQLite a later migration that makes Alembic
recreate ``jobs`` (batch mode) must create them again (:func:`create_sqlite_triggers`).

Revision ID: 0005_dashboard_indexes
Revises: 0004_file_summaries
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_dashboard_indexes"
down_revision: str | Sequence[str] | None = "0004_file_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("bot.store.migrate")

#: (name, table, columns) of the indexes this revision adds.
INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_jobs_project_id", "jobs", ["project", "id"]),
    ("ix_jobs_project_status_id", "jobs", ["project", "status", "id"]),
    ("ix_jobs_project_verdict_id", "jobs", ["project", "verdict", "id"]),
    ("ix_jobs_status_id", "jobs", ["status", "id"]),
    ("ix_jobs_verdict_id", "jobs", ["verdict", "id"]),
    ("ix_jobs_owner_id", "jobs", ["owner", "id"]),
    ("ix_jobs_finding_count_id", "jobs", ["finding_count", "id"]),
    ("ix_jobs_duration_ms_id", "jobs", ["duration_ms", "id"]),
    (
        "ix_jobs_finished_at_status_kind_uploaded_at",
        "jobs",
        ["finished_at", "status", "kind", "uploaded_at"],
    ),
    ("ix_findings_review_order", "findings", ["review_id", "suppressed", "path", "line", "id"]),
)
#: (name, table, columns) of the indexes it replaces.
REPLACED: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_jobs_project", "jobs", ["project"]),
    ("ix_jobs_change_patchset", "jobs", ["change", "patchset"]),
    ("ix_findings_review_id", "findings", ["review_id"]),
)
SEARCHED = ("subject", "owner", "project", "branch", "requested_by")

# -- SQLite -----------------------------------------------------------------------------------

_SQLITE_TRIGGERS = {
    "trg_jobs_counts_insert": """
        CREATE TRIGGER trg_jobs_counts_insert AFTER INSERT ON jobs BEGIN
          INSERT INTO job_counts (project, status, verdict, n)
            VALUES (NEW.project, NEW.status, NEW.verdict, 1)
            ON CONFLICT (project, status, verdict) DO UPDATE SET n = n + 1;
        END""",
    "trg_jobs_counts_update": """
        CREATE TRIGGER trg_jobs_counts_update AFTER UPDATE OF project, status, verdict ON jobs
        WHEN OLD.status IS NOT NEW.status OR OLD.verdict IS NOT NEW.verdict
          OR OLD.project IS NOT NEW.project BEGIN
          UPDATE job_counts SET n = n - 1
            WHERE project = OLD.project AND status = OLD.status AND verdict = OLD.verdict;
          INSERT INTO job_counts (project, status, verdict, n)
            VALUES (NEW.project, NEW.status, NEW.verdict, 1)
            ON CONFLICT (project, status, verdict) DO UPDATE SET n = n + 1;
        END""",
    "trg_jobs_counts_delete": """
        CREATE TRIGGER trg_jobs_counts_delete AFTER DELETE ON jobs BEGIN
          UPDATE job_counts SET n = n - 1
            WHERE project = OLD.project AND status = OLD.status AND verdict = OLD.verdict;
        END""",
    "trg_findings_counts_insert": """
        CREATE TRIGGER trg_findings_counts_insert AFTER INSERT ON findings BEGIN
          INSERT INTO finding_counts (rule, cwe, suppressed, n)
            VALUES (NEW.rule, NEW.cwe, NEW.suppressed, 1)
            ON CONFLICT (rule, cwe, suppressed) DO UPDATE SET n = n + 1;
        END""",
    "trg_findings_counts_delete": """
        CREATE TRIGGER trg_findings_counts_delete AFTER DELETE ON findings BEGIN
          UPDATE finding_counts SET n = n - 1
            WHERE rule = OLD.rule AND cwe = OLD.cwe AND suppressed = OLD.suppressed;
        END""",
    "trg_reviews_to_job_insert": """
        CREATE TRIGGER trg_reviews_to_job_insert AFTER INSERT ON reviews BEGIN
          UPDATE jobs SET verdict = NEW.verdict, finding_count = NEW.finding_count,
                          duration_ms = NEW.duration_ms
          WHERE id = NEW.job_id
            AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.job_id = NEW.job_id AND r.id > NEW.id);
        END""",
    "trg_reviews_to_job_delete": """
        CREATE TRIGGER trg_reviews_to_job_delete AFTER DELETE ON reviews BEGIN
          UPDATE jobs SET
            verdict = COALESCE((SELECT verdict FROM reviews WHERE job_id = OLD.job_id
                                ORDER BY id DESC LIMIT 1), ''),
            finding_count = COALESCE((SELECT finding_count FROM reviews WHERE job_id = OLD.job_id
                                      ORDER BY id DESC LIMIT 1), -1),
            duration_ms = COALESCE((SELECT duration_ms FROM reviews WHERE job_id = OLD.job_id
                                    ORDER BY id DESC LIMIT 1), -1)
          WHERE id = OLD.job_id;
        END""",
    "trg_jobs_search_insert": """
        CREATE TRIGGER trg_jobs_search_insert AFTER INSERT ON jobs BEGIN
          INSERT INTO jobs_search (rowid, subject, owner, project, branch, requested_by)
          VALUES (NEW.id, NEW.subject, NEW.owner, NEW.project, NEW.branch, NEW.requested_by);
        END""",
    "trg_jobs_search_delete": """
        CREATE TRIGGER trg_jobs_search_delete AFTER DELETE ON jobs BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, subject, owner, project, branch,
                                   requested_by)
          VALUES ('delete', OLD.id, OLD.subject, OLD.owner, OLD.project, OLD.branch,
                  OLD.requested_by);
        END""",
    "trg_jobs_search_update": """
        CREATE TRIGGER trg_jobs_search_update
        AFTER UPDATE OF subject, owner, project, branch, requested_by ON jobs BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, subject, owner, project, branch,
                                   requested_by)
          VALUES ('delete', OLD.id, OLD.subject, OLD.owner, OLD.project, OLD.branch,
                  OLD.requested_by);
          INSERT INTO jobs_search (rowid, subject, owner, project, branch, requested_by)
          VALUES (NEW.id, NEW.subject, NEW.owner, NEW.project, NEW.branch, NEW.requested_by);
        END""",
}


def create_sqlite_triggers() -> None:
    """The counting, denormalising and search triggers (SQLite)."""
    for ddl in _SQLITE_TRIGGERS.values():
        op.execute(ddl)


def _sqlite_upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE jobs_search USING fts5("
        + ", ".join(SEARCHED)
        + ", content='jobs', content_rowid='id', tokenize='trigram')"
    )
    op.execute("INSERT INTO jobs_search (jobs_search) VALUES ('rebuild')")
    create_sqlite_triggers()


def _sqlite_downgrade() -> None:
    for name in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS jobs_search")


# -- PostgreSQL -------------------------------------------------------------------------------

#: The searched text as one expression (a newline between fields: nobody types one into the
#: search box, so no match spans two fields).  ``queries`` builds the same expression.
PG_SEARCH_EXPRESSION = " || E'\\n' || ".join(SEARCHED)

_PG_FUNCTIONS = {
    "security_bot_job_counts": """
        CREATE FUNCTION security_bot_job_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO job_counts AS c (project, status, verdict, n)
              VALUES (NEW.project, NEW.status, NEW.verdict, 1)
              ON CONFLICT (project, status, verdict) DO UPDATE SET n = c.n + 1;
          ELSIF TG_OP = 'DELETE' THEN
            UPDATE job_counts SET n = n - 1
              WHERE project = OLD.project AND status = OLD.status AND verdict = OLD.verdict;
          ELSIF (OLD.project, OLD.status, OLD.verdict)
                IS DISTINCT FROM (NEW.project, NEW.status, NEW.verdict) THEN
            -- both rows in one statement, in key order: concurrent transitions lock the
            -- counters in the same order and cannot deadlock on them
            INSERT INTO job_counts AS c (project, status, verdict, n)
              SELECT p, s, v, d FROM (VALUES (OLD.project, OLD.status, OLD.verdict, -1),
                                             (NEW.project, NEW.status, NEW.verdict, 1))
                AS t (p, s, v, d)
              ORDER BY p, s, v
              ON CONFLICT (project, status, verdict) DO UPDATE SET n = c.n + EXCLUDED.n;
          END IF;
          RETURN NULL;
        END $$""",
    "security_bot_finding_counts": """
        CREATE FUNCTION security_bot_finding_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          -- Two reviews' findings may name the same rules in another order: the first
          -- finding of a transaction takes one lock, held to its commit, so the counters'
          -- rows are never taken crosswise (the job's own counters were locked before).
          PERFORM pg_advisory_xact_lock(1399874421);
          IF TG_OP = 'INSERT' THEN
            INSERT INTO finding_counts AS c (rule, cwe, suppressed, n)
              VALUES (NEW.rule, NEW.cwe, NEW.suppressed, 1)
              ON CONFLICT (rule, cwe, suppressed) DO UPDATE SET n = c.n + 1;
          ELSE
            UPDATE finding_counts SET n = n - 1
              WHERE rule = OLD.rule AND cwe = OLD.cwe AND suppressed = OLD.suppressed;
          END IF;
          RETURN NULL;
        END $$""",
    "security_bot_finding_counts_truncate": """
        CREATE FUNCTION security_bot_finding_counts_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM finding_counts;
          RETURN NULL;
        END $$""",
    "security_bot_job_counts_truncate": """
        CREATE FUNCTION security_bot_job_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM job_counts;
          RETURN NULL;
        END $$""",
    "security_bot_review_to_job": """
        CREATE FUNCTION security_bot_review_to_job() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          latest RECORD;
        BEGIN
          IF TG_OP = 'INSERT' THEN
            UPDATE jobs SET verdict = NEW.verdict, finding_count = NEW.finding_count,
                            duration_ms = NEW.duration_ms
            WHERE id = NEW.job_id
              AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.job_id = NEW.job_id
                              AND r.id > NEW.id);
          ELSE
            SELECT verdict, finding_count, duration_ms INTO latest FROM reviews
              WHERE job_id = OLD.job_id ORDER BY id DESC LIMIT 1;
            IF FOUND THEN
              UPDATE jobs SET verdict = latest.verdict, finding_count = latest.finding_count,
                              duration_ms = latest.duration_ms WHERE id = OLD.job_id;
            ELSE
              UPDATE jobs SET verdict = '', finding_count = -1, duration_ms = -1
                WHERE id = OLD.job_id;
            END IF;
          END IF;
          RETURN NULL;
        END $$""",
    "security_bot_reviews_truncate": """
        CREATE FUNCTION security_bot_reviews_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE jobs SET verdict = '', finding_count = -1, duration_ms = -1
            WHERE verdict <> '' OR finding_count <> -1 OR duration_ms <> -1;
          RETURN NULL;
        END $$""",
}
_PG_TRIGGERS = {
    "trg_jobs_counts": "AFTER INSERT OR DELETE OR UPDATE OF project, status, verdict ON jobs "
    "FOR EACH ROW EXECUTE FUNCTION security_bot_job_counts()",
    "trg_jobs_counts_truncate": "AFTER TRUNCATE ON jobs "
    "FOR EACH STATEMENT EXECUTE FUNCTION security_bot_job_counts_truncate()",
    "trg_findings_counts": "AFTER INSERT OR DELETE ON findings "
    "FOR EACH ROW EXECUTE FUNCTION security_bot_finding_counts()",
    "trg_findings_counts_truncate": "AFTER TRUNCATE ON findings "
    "FOR EACH STATEMENT EXECUTE FUNCTION security_bot_finding_counts_truncate()",
    "trg_reviews_to_job": "AFTER INSERT OR DELETE ON reviews "
    "FOR EACH ROW EXECUTE FUNCTION security_bot_review_to_job()",
    "trg_reviews_truncate": "AFTER TRUNCATE ON reviews "
    "FOR EACH STATEMENT EXECUTE FUNCTION security_bot_reviews_truncate()",
}
_PG_TRIGGER_TABLES = {
    "trg_jobs_counts": "jobs",
    "trg_jobs_counts_truncate": "jobs",
    "trg_findings_counts": "findings",
    "trg_findings_counts_truncate": "findings",
    "trg_reviews_to_job": "reviews",
    "trg_reviews_truncate": "reviews",
}


def _pg_upgrade() -> None:
    for ddl in _PG_FUNCTIONS.values():
        op.execute(ddl)
    for name, body in _PG_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning(
            "migrate: the pg_trgm extension could not be created (%s); the dashboard's "
            "search works without its index, by scanning",
            type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__,
        )
        return
    op.execute(
        "CREATE INDEX ix_jobs_search_trgm ON jobs USING gin "
        f"(({PG_SEARCH_EXPRESSION}) gin_trgm_ops)"
    )


def _pg_downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_jobs_search_trgm")
    for name, table in _PG_TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for name in _PG_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")


# -- both -------------------------------------------------------------------------------------


def _backfill(dialect: str) -> None:
    """Copy each job's newest review onto it and count the jobs: set-based, one pass each."""
    if dialect == "postgresql":
        op.execute(
            """
            UPDATE jobs SET verdict = r.verdict, finding_count = r.finding_count,
                            duration_ms = r.duration_ms
            FROM (SELECT DISTINCT ON (job_id) job_id, verdict, finding_count, duration_ms
                  FROM reviews ORDER BY job_id, id DESC) AS r
            WHERE r.job_id = jobs.id
            """
        )
    else:
        op.execute(
            """
            UPDATE jobs SET (verdict, finding_count, duration_ms) = (
                SELECT verdict, finding_count, duration_ms FROM reviews
                WHERE reviews.job_id = jobs.id ORDER BY reviews.id DESC LIMIT 1)
            WHERE EXISTS (SELECT 1 FROM reviews WHERE reviews.job_id = jobs.id)
            """
        )
    op.execute(
        "INSERT INTO job_counts (project, status, verdict, n) "
        "SELECT project, status, verdict, count(*) FROM jobs GROUP BY project, status, verdict"
    )
    op.execute(
        "INSERT INTO finding_counts (rule, cwe, suppressed, n) "
        "SELECT rule, cwe, suppressed, count(*) FROM findings GROUP BY rule, cwe, suppressed"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("jobs", sa.Column("verdict", sa.String(16), nullable=False, server_default=""))
    op.add_column(
        "jobs", sa.Column("finding_count", sa.Integer(), nullable=False, server_default="-1")
    )
    op.add_column("jobs", sa.Column("duration_ms", sa.Float(), nullable=False, server_default="-1"))
    op.create_table(
        "job_counts",
        sa.Column("project", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("project", "status", "verdict", name="pk_job_counts"),
    )
    op.create_table(
        "finding_counts",
        sa.Column("rule", sa.String(128), nullable=False),
        sa.Column("cwe", sa.Integer(), nullable=False),
        sa.Column("suppressed", sa.Boolean(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("rule", "cwe", "suppressed", name="pk_finding_counts"),
    )
    _backfill(dialect)
    for name, table, _columns in REPLACED:
        op.drop_index(name, table_name=table)
    op.create_index("ix_jobs_change_patchset", "jobs", ["change", "patchset", "id"])
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_downgrade()
    elif dialect == "postgresql":
        _pg_downgrade()
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_index("ix_jobs_change_patchset", table_name="jobs")
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    op.drop_table("finding_counts")
    op.drop_table("job_counts")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("duration_ms")
        batch.drop_column("finding_count")
        batch.drop_column("verdict")
