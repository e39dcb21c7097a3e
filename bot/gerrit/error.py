"""Exceptions raised by the Gerrit REST client.

The hierarchy and the ``.message`` format are those of python-gerritclient's
``error`` module, so ``except error.HTTPError`` and ``e.message`` keep working
for code written against it. On top of that:

* :class:`HTTPError` carries ``status_code``, ``response``, ``body``, ``url``,
  ``method`` and ``trace_id`` and is chained (``raise ... from``) to the
  underlying ``requests`` error;
* status-specific subclasses (:class:`BadRequest`, :class:`AuthError`,
  :class:`NotFound`, :class:`Conflict`, :class:`RateLimited`,
  :class:`ServerError`) all derive from :class:`HTTPError`;
* network failures are wrapped in :class:`ConnectionError` and
  :class:`Timeout`, which are both :class:`GerritClientException` and the
  matching ``requests`` exception;
* the client's own limits (see :mod:`bot.gerrit.limits`) raise
  :class:`DeadlineExceeded` (a :class:`Timeout`: the caller waits and tries again),
  :class:`ResponseTooLarge` (a :class:`BadDataException`) and :class:`Redirected`
  (an :class:`HTTPError` with the 3xx status: a redirect the client refused to follow);
* a query that kept answering ``_more_changes`` past the page limit raises
  :class:`PagingLimit` after its last page was handed out.
"""

from __future__ import annotations

import json
from typing import Any

import requests

__all__ = [
    "AuthError",
    "BadDataException",
    "BadRequest",
    "ConfigNotFoundException",
    "Conflict",
    "ConnectionError",
    "DeadlineExceeded",
    "GerritClientException",
    "HTTPError",
    "InvalidFileException",
    "InvalidURL",
    "NotFound",
    "PagingLimit",
    "RateLimited",
    "Redirected",
    "ResponseTooLarge",
    "ServerError",
    "Timeout",
    "error_class_for_status",
    "get_error_body",
    "get_full_error_message",
]


class GerritClientException(Exception):
    """Base class of every exception raised by the client.

    The first positional argument is kept as ``.message``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.message: str = args[0] if args else ""


class BadDataException(GerritClientException):
    """Data from the server (or from the caller) does not have the expected shape."""


class InvalidFileException(GerritClientException):
    """A file could not be read or is invalid."""


class ConfigNotFoundException(GerritClientException):
    """Required configuration is missing."""


class HTTPError(GerritClientException):
    """The server answered with a 4xx or 5xx status.

    ``.message`` has the format ``"<code> Client Error: <reason> for url: <url> (<body>)"``
    (``Server Error`` for 5xx), where ``<body>`` is the ``message`` key of a JSON
    error object or else the raw response text.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        response: requests.Response | None = None,
        body: str | None = None,
        url: str | None = None,
        method: str | None = None,
        trace_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response = response
        self.body = body
        self.url = url
        self.method = method
        self.trace_id = trace_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, message={self.message!r})"


class BadRequest(HTTPError):
    """HTTP 400: malformed input, failed validation (for example a comment on an unknown file)."""


class AuthError(HTTPError):
    """HTTP 401 or 403: bad or expired credentials, or missing permission."""


class NotFound(HTTPError):
    """HTTP 404: the resource does not exist or is not visible to the caller."""


class Conflict(HTTPError):
    """HTTP 409: the current state forbids the operation (for example a closed change)."""


class RateLimited(HTTPError):
    """HTTP 429: a quota or rate limit was hit.

    ``retry_after`` holds the delay in seconds requested by a ``Retry-After``
    header, or ``None`` when the server sent none.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(HTTPError):
    """HTTP 5xx."""


class ConnectionError(GerritClientException, requests.exceptions.ConnectionError):
    """The server could not be reached, or the connection broke."""


class Timeout(GerritClientException, requests.exceptions.Timeout):
    """The server did not answer in time (connect or read timeout)."""


class InvalidURL(GerritClientException, requests.exceptions.InvalidURL):
    """The server URL cannot be parsed."""


class DeadlineExceeded(Timeout):
    """The whole exchange (retries and a trickling body included) outlasted ``gerrit.deadline``.

    A :class:`Timeout`, so whoever retries on a timeout retries on this too.
    """


class ResponseTooLarge(BadDataException):
    """The answer was larger than ``gerrit.max_response_bytes``; reading stopped at the cap."""


class Redirected(HTTPError):
    """The server answered with a redirect the client does not follow.

    A POST, PUT or DELETE follows no redirect at all (a review must never be sent to a
    second place, nor counted as posted because another server said 200); a GET or HEAD
    follows one only to the same scheme, host and port. ``location`` is the target,
    without user info.
    """

    def __init__(self, message: str, *, location: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.location = location


class PagingLimit(BadDataException):
    """A query still said ``_more_changes`` after ``poll.max_pages`` pages (or repeated a page).

    Raised after the last page's records were handed out, so the caller has seen them; it
    must not move its cursor past a result it did not read to the end.
    """

    def __init__(self, message: str, *, pages: int = 0, repeated: bool = False) -> None:
        super().__init__(message)
        self.pages = pages
        self.repeated = repeated  # a page brought only records already read: S= is ignored


_STATUS_CLASSES: dict[int, type[HTTPError]] = {
    400: BadRequest,
    401: AuthError,
    403: AuthError,
    404: NotFound,
    409: Conflict,
    429: RateLimited,
}


def error_class_for_status(status_code: int) -> type[HTTPError]:
    """Return the most specific :class:`HTTPError` subclass for an HTTP status."""
    if status_code in _STATUS_CLASSES:
        return _STATUS_CLASSES[status_code]
    if 500 <= status_code <= 599:
        return ServerError
    return HTTPError


def get_error_body(http_error: requests.exceptions.HTTPError) -> str:
    """Return the error text of a ``requests`` HTTP error.

    That is the ``message`` key when the body is a JSON object holding one,
    otherwise the raw response text (Gerrit's trailing newline included).
    """
    response = http_error.response
    text = response.text if response is not None else ""
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    if isinstance(parsed, dict) and "message" in parsed:
        return str(parsed["message"])
    return text


def get_full_error_message(http_error: requests.exceptions.HTTPError) -> str:
    """Return ``"<str(http_error)> (<body>)"``, the message format of :class:`HTTPError`."""
    return f"{http_error} ({get_error_body(http_error)})"
