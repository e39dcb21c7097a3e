"""Gerrit REST client with python-gerritclient's interface.

Typical use::

    from bot.gerrit import client

    conn = client.connect(url, auth_type="basic", username="security-bot",
                          password=token, retry=client.RetryPolicy())
    changes = client.get_client("change", connection=conn)
    page = changes.get_all("status:open+-is:wip", options=["CURRENT_REVISION"])

See :mod:`bot.gerrit.client`, :mod:`bot.gerrit.error` and the typed views in
:mod:`bot.gerrit.models`.
"""

from __future__ import annotations

from bot import __version__
from bot.gerrit import client, error, models, timestamps
from bot.gerrit.account import AccountClient
from bot.gerrit.change import ChangeClient, change_id_for
from bot.gerrit.client import APIClient, RetryPolicy, connect, connect_from_env, get_client
from bot.gerrit.server import ServerClient

__all__ = [
    "APIClient",
    "AccountClient",
    "ChangeClient",
    "RetryPolicy",
    "ServerClient",
    "__version__",
    "change_id_for",
    "client",
    "connect",
    "connect_from_env",
    "error",
    "get_client",
    "models",
    "timestamps",
]
