"""Alembic environment for the store.

The store runs migrations programmatically (see ``bot.store.migrate``), handing
over an open connection in ``config.attributes["connection"]``; no
``alembic.ini`` is needed.  Run by hand, the URL comes from the config's
``sqlalchemy.url`` or the ``SECURITY_BOT_STORE__URL`` environment variable (the bot's
own override of ``store.url``).  Operators use ``security-bot migrate`` instead.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.db import create_engine
from bot.store.schema import include_name, metadata

config = context.config
target_metadata = metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_name=include_name,
        # SQLite cannot ALTER most things; batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )


def _env_url() -> str | None:
    # SECURITY_BOT_STORE_URL (one underscore) was documented here before; still honoured.
    return os.environ.get("SECURITY_BOT_STORE__URL") or os.environ.get("SECURITY_BOT_STORE_URL")


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or _env_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or _env_url() or "sqlite:///security-bot.db"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
