"""``/accounts/`` resource client (the subset the bot needs), python-gerritclient compatible."""

from __future__ import annotations

from typing import Any

from bot.gerrit.base import BaseClient

__all__ = ["AccountClient", "get_client"]


class AccountClient(BaseClient):
    """Client for ``/accounts/`` (Gerrit REST API v1)."""

    api_path = "/accounts/"

    def get_by_id(self, account_id: Any, detailed: bool = False) -> Any:
        """``GET /accounts/{id}/`` or ``/accounts/{id}/detail``.

        As upstream, the id is not quoted (``"self"``, a number, a username);
        it is ``str()``-ed, so ints work. ``get_by_id("self")`` returns the
        caller's own AccountInfo (authenticated connections only).
        """
        return self.connection.get_request(
            f"{self.api_path}{account_id}/{'detail' if detailed else ''}"
        )

    def get_groups(self, account_id: Any) -> Any:
        """``GET /accounts/{id}/groups/``: the GroupInfo list of the groups the account is in."""
        return self.connection.get_request(f"{self.api_path}{account_id}/groups/")


def get_client(connection: Any) -> AccountClient:
    return AccountClient(connection)
