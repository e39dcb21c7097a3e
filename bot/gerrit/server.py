"""``/config/server/`` resource client (the subset the bot needs), gerritclient-compatible."""

from __future__ import annotations

from typing import Any

from bot.gerrit.base import BaseClient

__all__ = ["ServerClient", "get_client"]


class ServerClient(BaseClient):
    """Client for ``/config/server/`` (Gerrit REST API v1)."""

    api_path = "/config/server/"

    def get_version(self) -> Any:
        """``GET /config/server/version``: the version string, e.g. ``"3.13.1"``."""
        return self.connection.get_request(f"{self.api_path}version")

    def get_config(self) -> Any:
        """``GET /config/server/info``: the ServerInfo entity."""
        return self.connection.get_request(f"{self.api_path}info")


def get_client(connection: Any) -> ServerClient:
    return ServerClient(connection)
