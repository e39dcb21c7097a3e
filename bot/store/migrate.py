"""Run the store's Alembic migrations programmatically (no ``alembic.ini`` on disk).

The bot migrates at start; an operator can also do it explicitly (before an
upgrade, say) with ``security-bot migrate [--show] [--to REVISION] [--url URL]``
(:func:`migrate_command`), which reads ``store.url`` from the bot's configuration
unless ``--url`` is given.

A schema change is a new script under ``migrations/versions``; draft one with
``python -c "from bot.store.migrate import make_revision; make_revision(URL, MESSAGE)"``
against a database at head, then edit it by hand.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from bot.store.db import IMMEDIATE, create_engine, safe_url

#: Alembic finds the scripts inside the installed package, wherever that is.
SCRIPT_LOCATION = "bot.store:migrations"

# An arbitrary constant: the PostgreSQL advisory lock several bot processes
# starting together take, so only one of them runs the migrations at a time.
_PG_MIGRATION_LOCK = 0x5EC0B07


def alembic_config(url: str | None = None) -> Config:
    """An Alembic ``Config`` pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        # "%" is ConfigParser interpolation syntax; URL-escaped passwords contain it.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` up to ``revision``, in one transaction.

    Safe when several processes start at once: SQLite serialises them on the
    write lock (``BEGIN IMMEDIATE``), PostgreSQL on an advisory lock.
    """
    config = alembic_config()
    with engine.connect().execution_options(**{IMMEDIATE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.connect().execution_options(**{IMMEDIATE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def make_revision(url: str, message: str, *, autogenerate: bool = True) -> None:
    """Write the next migration script (for developers changing ``schema.py``).

    ``url`` names a database already at head; with ``autogenerate`` the script
    holds the difference between it and the models, to be reviewed by hand.
    Revisions are numbered ``0001``, ``0002``… like the existing ones.
    """
    head = head_revision()
    rev_id = f"{int(head) + 1:04d}" if head and head.isdigit() else None
    config = alembic_config(url)
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    command.revision(config, message=message, autogenerate=autogenerate, rev_id=rev_id)


def migrate_command(url: str, *, revision: str = "head", show: bool = False) -> str:
    """Upgrade the database at ``url`` to ``revision`` (or only report, with ``show``).

    Returns the one line to print, e.g. ``postgresql+psycopg://bot:***@db/bot: 0001 -> 0002``.
    """
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        where = safe_url(url)
        before = current_revision(engine)
        head = head_revision()
        if show:
            state = "up to date" if before == head else "needs migrating"
            return f"{where}: at {before or 'empty (no schema)'}, head is {head} ({state})"
        upgrade(engine, revision)
        after = current_revision(engine)
        if after == before:
            return f"{where}: already at {after}"
        return f"{where}: {before or 'empty'} -> {after}"
    finally:
        engine.dispose()
