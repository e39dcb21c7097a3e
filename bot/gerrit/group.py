"""``/groups/`` resource client (the one read the bot needs), python-gerritclient compatible."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot.gerrit.base import BaseClient

__all__ = ["GroupClient", "get_client"]


class GroupClient(BaseClient):
    """Client for ``/groups/`` (Gerrit REST API v1)."""

    api_path = "/groups/"

    def get_by_id(self, group_id: Any, detailed: bool = False) -> Any:
        """``GET /groups/{id}`` (a UUID, a legacy number or a name) or ``/groups/{id}/detail``.

        Gerrit answers 404 for a group the caller cannot see, as for one that does not exist.
        """
        suffix = "/detail" if detailed else ""
        return self.connection.get_request(
            f"{self.api_path}{quote(str(group_id), safe='')}{suffix}"
        )


def get_client(connection: Any) -> GroupClient:
    return GroupClient(connection)
