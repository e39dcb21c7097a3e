"""HTTP-level errors raised by the REST handlers."""

from __future__ import annotations


class HttpError(Exception):
    """An error answered as ``text/plain`` with ``message + "\\n"`` (or JSON when ``json_body``)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        headers: list[tuple[str, str]] | None = None,
        json_body: object | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []
        self.json_body = json_body
