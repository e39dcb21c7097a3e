"""The base of the resource clients (``/changes/``, ``/accounts/``, ``/config/server/``).

It lives apart from :mod:`bot.gerrit.client` so that the resource clients, which derive from
:class:`BaseClient`, and ``client.get_client``, which builds them, import in one direction
only: ``client -> change/account/server -> base``. The resource clients need nothing of the
transport but the request methods named by :class:`Connection`, so this module imports none
of it either.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["NO_CONNECTION_MESSAGE", "BaseClient", "Connection"]

NO_CONNECTION_MESSAGE = (
    "A connection is required: create one with bot.gerrit.client.connect(url, auth_type=..., "
    "username=..., password=...) and pass it as connection=...; configuration is never read "
    "implicitly from the environment (use connect_from_env() to do that explicitly)."
)


class Connection(Protocol):
    """What a resource client asks of its connection (:class:`bot.gerrit.client.APIClient`)."""

    def get_request(self, api: str, params: Any = None) -> Any: ...

    def get_request_bytes(self, api: str, params: Any = None) -> bytes: ...

    def post_request(
        self,
        api: str,
        data: Any = None,
        json_data: Any = None,
        content_type: str | None = None,
    ) -> Any: ...

    def delete_request(self, api: str, data: Any = None) -> Any: ...


class BaseClient:
    """Base of the resource clients: holds the connection and the resource's ``api_path``."""

    api_path: str = "/"

    def __init__(self, connection: Connection | None = None) -> None:
        if connection is None:
            raise ValueError(NO_CONNECTION_MESSAGE)
        self.connection = connection

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.connection!r})"
