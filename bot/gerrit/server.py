"""``/config/server/`` resource client (the subset the bot needs), gerritclient-compatible."""

from __future__ import annotations

import re
from typing import Any

from bot.gerrit.base import BaseClient

__all__ = [
    "FIX_SUGGESTIONS_SINCE",
    "ServerClient",
    "get_client",
    "parse_version",
    "takes_fix_suggestions",
]

#: The first release whose ``CommentInput`` (an ordinary, non-robot comment) takes
#: ``fix_suggestions``: Gerrit change 403542 ("Move fix-suggestions from RobotComment to
#: Comment"), released with 3.10, the release that also deprecated robot comments. Older
#: servers ignore the unknown field, so the fix would be silently lost there.
FIX_SUGGESTIONS_SINCE = (3, 10)

_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)")


def parse_version(version: str | None) -> tuple[int, int] | None:
    """``(major, minor)`` of a ``/config/server/version`` answer ("3.10.4", "3.11.0-rc2",
    "3.12.1-45-gabcdef0" for a build from a branch), or None when it does not say."""
    match = _VERSION.match(version or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def takes_fix_suggestions(version: str | None) -> bool:
    """Does a server reporting ``version`` store ``fix_suggestions`` on ordinary comments?
    An unreadable version counts as no: the fallback (a ``suggestion`` block in the text)
    is shown by every version, while a fix sent to an older server is dropped unseen."""
    parsed = parse_version(version)
    return parsed is not None and parsed >= FIX_SUGGESTIONS_SINCE


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
