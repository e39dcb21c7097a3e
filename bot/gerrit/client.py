"""HTTP connection to a Gerrit server, with python-gerritclient's interface.

``connect()``, ``get_client()`` and :class:`APIClient` accept the same
positional arguments as python-gerritclient 1.2.0 and build the same requests.
Keyword-only extras add a timeout, optional retries with backoff, a
``User-Agent``, strict response decoding and exceptions that carry data (see
:mod:`bot.gerrit.error`).

Retries are urllib3's: a :class:`RetryPolicy` becomes a :class:`PolicyRetry` mounted on the
session's ``HTTPAdapter`` objects. It is a ``urllib3.util.Retry`` subclass because the stock class
cannot express the policy: it re-sends any method after a connection error (a review POST
must never be sent twice); its backoff has no full jitter and skips the first delay; it
sleeps with ``time.sleep`` where the policy brings its own ``sleep`` (tests record delays);
it obeys any ``Retry-After`` up to six hours (and on 413), where the policy gives up at once
when the server asks for longer than ``cap``; it cannot retry 408 only once; and it neither
logs a retry nor tells the bot's metrics about it. The subclass decides each of those in
:meth:`PolicyRetry.increment`, and gives up exactly as requests' own default retry would, so
the exceptions a caller sees are those of a request sent once.

A body cut off after the headers arrived (``ChunkedEncodingError``) is read by requests
outside urllib3's retry, so it is not retried here; it surfaces as
:class:`~bot.gerrit.error.ConnectionError` and the bot's job or poll retry takes it.

Every call has a total ``deadline`` (retries, a slow connection and a trickling answer
included) and every answer a size cap, ``max_response_bytes``, read in chunks so a huge
answer costs the cap and not its size (:mod:`bot.gerrit.limits`). Redirects are not left
to requests: a POST, PUT or DELETE follows none (a review sent on to wherever a 307 points,
and a 200 from there counted as posted, is how a review leaks or is lost), and a GET or
HEAD follows one only to the configured scheme, host and port;
any other raises :class:`~bot.gerrit.error.Redirected`. The ``Date`` of each answer is
kept, so callers can ask for Gerrit's own clock (:meth:`APIClient.server_time`).
"""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, NoReturn, Self, TypedDict, Unpack
from urllib.parse import quote, urljoin, urlsplit

import requests
from requests import auth as requests_auth
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError, NewConnectionError, ReadTimeoutError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from bot import __version__
from bot.gerrit import error, limits
from bot.gerrit.account import AccountClient
from bot.gerrit.base import NO_CONNECTION_MESSAGE, BaseClient
from bot.gerrit.change import ChangeClient
from bot.gerrit.server import ServerClient

__all__ = [
    "APIClient",
    "BaseClient",
    "ConnectOptions",
    "PolicyRetry",
    "RetryPolicy",
    "connect",
    "connect_from_env",
    "get_client",
]

LOG = logging.getLogger("bot.gerrit")

XSSI_PREFIX = ")]}'"
DEFAULT_TIMEOUT = 30.0
#: Seconds one call may take in all (retries and a trickling answer included).
DEFAULT_DEADLINE = 90.0
#: Bytes one answer may hold (decoded); the largest the bot reads are change queries.
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
#: Same-origin redirects a GET follows before giving up.
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_USER_AGENT = f"gerrit-security-bot/{__version__}"

Timeout = float | tuple[float, float] | None

# Statuses worth retrying for an idempotent read. 408 is retried at most once.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD"})
# Statuses whose Retry-After header replaces the computed delay.
RETRY_AFTER_STATUSES = frozenset({429, 503})

_SENSITIVE_QUERY_KEYS = frozenset({"access_token", "password", "token"})
_USERINFO_RE = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")

# --------------------------------------------------------------------------------------------
# Retry policy


@dataclass(frozen=True)
class RetryPolicy:
    """Retries for idempotent reads (GET/HEAD).

    Retried: connection errors, timeouts, 429 and 503 (honouring ``Retry-After``),
    500/502/503/504, and 408 at most once. Never retried: any other 4xx, and
    POST/PUT/DELETE whatever happened.

    ``max_attempts`` counts the first try. The delay before retry ``n``
    (1-based) is ``min(cap, backoff * 2 ** (n - 1))``, drawn uniformly from
    ``[0, that]`` when ``jitter`` is set ("full jitter"). A ``Retry-After``
    header replaces the computed delay; if it asks for longer than ``cap``,
    the client gives up at once and raises the status's error
    (:class:`~bot.gerrit.error.RateLimited` carries ``retry_after``).
    """

    max_attempts: int = 5
    backoff: float = 0.5
    cap: float = 30.0
    jitter: bool = True
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")
        if self.backoff < 0 or self.cap < 0:
            raise ValueError("RetryPolicy.backoff and RetryPolicy.cap must not be negative")

    def compute_delay(
        self, retry_number: int, *, rng: Callable[[], float] = random.random
    ) -> float:
        """Return the delay in seconds before retry ``retry_number`` (1 for the first retry)."""
        ceiling = min(self.cap, self.backoff * (2 ** max(0, retry_number - 1)))
        if self.jitter:
            return ceiling * rng()
        return ceiling


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header (delta seconds or an HTTP date) into seconds."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


#: What a :class:`PolicyRetry` calls before each retry: method, URL path (with query),
#: the failure (a status, ``"timeout"`` or ``"connection"``), the retry number and the delay.
RetryObserver = Callable[[str, str, int | str, int, float], None]

# Giving up is done the way requests' default (``Retry(0, read=False)``) does it, so a request
# that is not retried (a POST, an exhausted GET) raises exactly what a single attempt raises:
# read errors as themselves, connection errors wrapped in ``MaxRetryError``.
_GIVE_UP = Retry(0, read=False)


def _failure(response: BaseHTTPResponse | None, error: Exception | None) -> int | str:
    """A failed attempt as ``on_error`` sees it: the status, ``"timeout"`` or ``"connection"``."""
    if response is not None:
        return response.status
    if isinstance(error, Urllib3Timeout) and not isinstance(error, NewConnectionError):
        return "timeout"  # (urllib3's NewConnectionError derives from ConnectTimeoutError)
    return "connection"


class PolicyRetry(Retry):
    """urllib3's ``Retry`` following a :class:`RetryPolicy` (see the module docstring for why).

    Every retry is planned in :meth:`increment`: the delay (backoff with jitter, or the
    server's ``Retry-After``) travels on the returned instance and :meth:`sleep` waits it
    out with the policy's ``sleep``. When the policy says no more, :meth:`increment` gives
    up at once; with ``raise_on_status=False`` urllib3 then hands the last response back.
    """

    RETRY_AFTER_STATUS_CODES = RETRY_AFTER_STATUSES

    def __init__(
        self,
        *args: Any,
        policy: RetryPolicy,
        observer: RetryObserver | None = None,
        delay: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.observer = observer
        self.delay = delay

    @classmethod
    def from_policy(cls, policy: RetryPolicy, observer: RetryObserver | None = None) -> Self:
        """The retry state before a request's first attempt."""
        return cls(
            total=policy.max_attempts - 1,
            allowed_methods=IDEMPOTENT_METHODS,
            status_forcelist=RETRY_STATUSES,
            raise_on_status=False,
            policy=policy,
            observer=observer,
        )

    def new(self, **kw: Any) -> Self:
        kw.setdefault("policy", self.policy)
        kw.setdefault("observer", self.observer)
        kw.setdefault("delay", self.delay)
        return super().new(**kw)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        delay = self._planned_delay(method, response)
        if delay is None:
            self._give_up(method, url, response, error, _pool, _stacktrace)
        retried = super().increment(method, url, response, error, _pool, _stacktrace)
        retried = retried.new(delay=delay)
        if self.observer is not None:
            failure = _failure(response, error)
            self.observer(method or "", url or "", failure, len(retried.history), delay)
        return retried

    @staticmethod
    def _give_up(
        method: str | None,
        url: str | None,
        response: BaseHTTPResponse | None,
        error: Exception | None,
        pool: ConnectionPool | None,
        stacktrace: TracebackType | None,
    ) -> NoReturn:
        _GIVE_UP.increment(method, url, response, error, pool, stacktrace)  # always raises
        raise AssertionError("unreachable")  # pragma: no cover

    def _planned_delay(self, method: str | None, response: BaseHTTPResponse | None) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to give up now."""
        retry_number = len(self.history) + 1
        if (method or "").upper() not in IDEMPOTENT_METHODS:
            return None
        if retry_number >= self.policy.max_attempts:
            return None
        delay: float | None = self.policy.compute_delay(retry_number)
        if response is not None and delay is not None:
            delay = self._status_delay(response, delay)
        watch = limits.current_deadline()
        if delay is not None and watch is not None and delay >= watch.remaining():
            return None  # the call's deadline passes before the retry could answer
        return delay

    def _status_delay(self, response: BaseHTTPResponse, delay: float) -> float | None:
        status = response.status
        if status not in RETRY_STATUSES:
            return None
        if not limits.small_enough_to_drain(response.headers):
            return None  # urllib3 would read its whole body to retry: hand it back instead
        if status == 408 and any(earlier.status == 408 for earlier in self.history):
            return None
        if status in RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None:
                return None if retry_after > self.policy.cap else retry_after
        return delay

    def get_backoff_time(self) -> float:
        """The delay :meth:`increment` planned for the attempt this instance is for."""
        return self.delay

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        # ``Retry-After`` was already taken into account by increment().
        self.policy.sleep(self.get_backoff_time())


def _timed_out(exc: Exception) -> bool:
    """Whether a ``requests`` exception is a timeout.

    requests reports a read timeout that a ``Retry`` gave up on as
    ``ConnectionError(MaxRetryError(reason=ReadTimeoutError))``; that is a timeout too.
    """
    if isinstance(exc, requests.exceptions.Timeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, ReadTimeoutError)


# --------------------------------------------------------------------------------------------
# Helpers


def _render_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def render_params(params: Any) -> list[tuple[str, Any]] | None:
    """Turn ``requests``-style params into a list of pairs.

    ``None`` values are dropped, sequences become repeated keys (as ``requests``
    does) and booleans are written ``true``/``false``, the only spelling
    Gerrit's case-sensitive boolean parser accepts.
    """
    if params is None:
        return None
    items: Iterable[tuple[Any, Any]]
    if isinstance(params, Mapping):
        items = params.items()
    elif isinstance(params, str | bytes):
        raise TypeError("query parameters must be a mapping or a sequence of pairs")
    else:
        items = params
    rendered: list[tuple[str, Any]] = []
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            rendered.append((key, _render_value(value)))
            continue
        for item in value:
            if item is not None:
                rendered.append((key, _render_value(item)))
    return rendered


def _strip_xssi(text: str) -> str:
    """Remove exactly one leading ``)]}'`` line, if present."""
    if not text.startswith(XSSI_PREFIX):
        return text
    rest = text[len(XSSI_PREFIX) :]
    if rest.startswith("\r\n"):
        return rest[2:]
    if rest.startswith("\n"):
        return rest[1:]
    return rest


def _snippet(text: str, limit: int = 80) -> str:
    return repr(text[:limit]) + ("..." if len(text) > limit else "")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def _same_origin(url: str, base: str) -> bool:
    """Whether ``url`` has ``base``'s scheme, host and port (default ports filled in)."""
    try:
        return _origin(url) == _origin(base)
    except ValueError:  # an unparsable Location (a port that is not a number ...)
        return False


def _url_path(url: str) -> str:
    """Path of a URL, without user info, query or fragment (safe for logs)."""
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "<unparsable url>"


# --------------------------------------------------------------------------------------------
# The connection


class APIClient:
    """A connection to one Gerrit server.

    Compatible with ``gerritclient.client.APIClient``: same positional
    arguments, attributes (``root``, ``api_root``, ``is_authed``, ``session``)
    and request methods. Extras are keyword-only:

    * ``timeout``: seconds (or a ``(connect, read)`` tuple; ``None`` waits forever);
    * ``retry``: a :class:`RetryPolicy` for GET/HEAD, or ``None`` for no retries;
    * ``user_agent``: replaces the default ``gerrit-security-bot/<version>``;
    * ``deadline``: seconds one call may take in all (``None``: no deadline);
    * ``max_response_bytes``: the largest answer read (``None``: no cap).
    """

    def __init__(
        self,
        url: str,
        auth_type: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        user_agent: str | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.root = url
        self._username = username
        self._password = password
        self._auth: requests.auth.AuthBase | None = None
        self._auth_type: str | None = None
        if auth_type:
            if not (username and password):
                raise ValueError("Username and password must be specified.")
            auth_classes: dict[str, type[requests.auth.AuthBase]] = {
                "basic": requests_auth.HTTPBasicAuth,
                "digest": requests_auth.HTTPDigestAuth,
            }
            if auth_type not in auth_classes:
                raise ValueError(f"Unsupported auth_type {auth_type}")
            if auth_type == "basic":
                # requests encodes str credentials as latin-1; Gerrit decodes Basic
                # credentials as UTF-8, so non-ASCII tokens must be sent as UTF-8 bytes.
                self._auth = requests_auth.HTTPBasicAuth(
                    username.encode("utf-8"), password.encode("utf-8")
                )
            else:
                self._auth = auth_classes[auth_type](username, password)  # type: ignore[call-arg]
            self._auth_type = auth_type
        self.api_root = url.rstrip("/") + "/a" if self.is_authed else url.rstrip("/")
        self.timeout = timeout
        self.retry = retry
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        # Gerrit's Date of the latest answer, and this host's monotonic clock when it came.
        self._server_date: tuple[datetime, float] | None = None
        self._date_lock = threading.Lock()
        self._session: requests.Session | None = None
        self._secrets = self._build_secrets(username, password)
        # Called with the status code (or "timeout"/"connection") of every failed attempt,
        # retried ones included; the bot counts them for its /metrics.
        self.on_error: Callable[[int | str], None] | None = None

    def _report_error(self, status: int | str) -> None:
        if self.on_error is not None:
            try:
                self.on_error(status)
            except Exception:  # an observer must never break a request
                LOG.debug("on_error observer failed", exc_info=True)

    # -- identity and secrets -----------------------------------------------------------------

    @staticmethod
    def _build_secrets(username: str | None, password: str | None) -> tuple[str, ...]:
        if not password:
            return ()
        secrets = {password, quote(password, safe=""), quote(password)}
        if username:
            secrets.add(base64.b64encode(f"{username}:{password}".encode()).decode("ascii"))
        # Longest first, so a secret containing another is replaced whole.
        return tuple(sorted(secrets, key=len, reverse=True))

    def scrub(self, text: str) -> str:
        """Remove the password/token (and URL user info) from ``text``."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _USERINFO_RE.sub(r"\g<scheme>***@", text)

    def safe_url(self, url: str) -> str:
        """``url`` without credentials and with sensitive query values redacted."""
        url = self.scrub(url)
        try:
            parts = urlsplit(url)
        except ValueError:
            return url
        if not parts.query:
            return url
        pairs = []
        for pair in parts.query.split("&"):
            key = pair.split("=", 1)[0]
            pairs.append(f"{key}=***" if key.lower() in _SENSITIVE_QUERY_KEYS else pair)
        return parts._replace(query="&".join(pairs)).geturl()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(url={self.scrub(self.root)!r}, auth_type={self._auth_type!r}, "
            f"username={self._username!r}, timeout={self.timeout!r}, retry={self.retry!r})"
        )

    @property
    def is_authed(self) -> bool:
        """Whether credentials were configured."""
        return bool(self._auth)

    @property
    def username(self) -> str | None:
        return self._username

    @staticmethod
    def _make_common_headers() -> dict[str, str]:
        return {"Content-Type": "application/json", "Accept": "application/json"}

    def _make_session(self) -> requests.Session:
        session = requests.Session()
        session.auth = self._auth
        session.headers.update(self._make_common_headers())
        retry: Retry | int = 0
        if self.retry is not None:
            retry = PolicyRetry.from_policy(self.retry, observer=self._retrying)
        for prefix in ("https://", "http://"):
            session.mount(prefix, limits.DeadlineAdapter(max_retries=retry))
        return session

    def _retrying(
        self, method: str, url: str, failure: int | str, number: int, delay: float
    ) -> None:
        """Called by :class:`PolicyRetry` before each retry: count the failure, log one line."""
        self._report_error(failure)
        reason = {"timeout": "timeout", "connection": "connection error"}.get(
            str(failure), f"HTTP {failure}"
        )
        LOG.warning(
            "Gerrit %s %s failed (%s); retry %d of %d in %.2fs",
            method,
            self.scrub(_url_path(url)),
            reason,
            number,
            self.retry.max_attempts - 1 if self.retry else 0,
            delay,
        )

    @property
    def session(self) -> requests.Session:
        """The lazily created ``requests.Session`` (never mutated after creation)."""
        if self._session is None:
            self._session = self._make_session()
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> APIClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transport ----------------------------------------------------------------------------

    def _headers(
        self, content_type: str | None = None, accept: str | None = None
    ) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if accept is not None:
            headers["Accept"] = accept
        return headers

    def _wrap_network_error(
        self, exc: Exception, method: str, url: str, watch: limits.Deadline | None = None
    ) -> error.GerritClientException:
        if watch is not None and watch.expired:
            return self._deadline_error(method, url, watch)
        detail = self.scrub(str(exc)) or type(exc).__name__
        where = f"{method} {self.safe_url(url)}"
        if _timed_out(exc):
            return error.Timeout(f"Gerrit request timed out: {where}: {detail}")
        return error.ConnectionError(f"Gerrit connection failed: {where}: {detail}")

    def request(
        self,
        method: str,
        api: str,
        *,
        params: Any = None,
        content_type: str | None = None,
        accept: str | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request to ``api_root + api`` and return the response, its body read.

        GET and HEAD are retried according to :attr:`retry` (by the session's
        :class:`PolicyRetry`); other methods are sent exactly once. It never raises for a
        4xx/5xx status, but it does for what the caller cannot safely read:
        network failures raise :class:`~bot.gerrit.error.ConnectionError` or
        :class:`~bot.gerrit.error.Timeout` (:class:`~bot.gerrit.error.DeadlineExceeded`
        past :attr:`deadline`), an answer over :attr:`max_response_bytes` raises
        :class:`~bot.gerrit.error.ResponseTooLarge`, and a redirect that is not followed
        raises :class:`~bot.gerrit.error.Redirected`.
        """
        method = method.upper()
        url = self.api_root + api
        headers = self._headers(content_type, accept)
        headers.update(kwargs.pop("headers", None) or {})
        kwargs.setdefault("timeout", self.timeout)
        kwargs["stream"] = True
        kwargs["allow_redirects"] = False
        with limits.deadline(self.deadline, self.max_response_bytes) as watch:
            try:
                response = self.session.request(
                    method, url, params=render_params(params), headers=headers, **kwargs
                )
                response = self._redirected(response, method, headers, kwargs)
                self._read_body(response, method)
            except requests.exceptions.InvalidURL:
                # The parser's message may quote parts of credentials embedded in the URL.
                raise error.InvalidURL(f"invalid Gerrit URL: {self.safe_url(url)}") from None
            except (
                requests.exceptions.Timeout,
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                wrapped = self._wrap_network_error(exc, method, url, watch)
                self._report_error(
                    "timeout" if isinstance(wrapped, error.Timeout) else "connection"
                )
                raise wrapped from exc
            except requests.exceptions.ContentDecodingError as exc:
                raise error.BadDataException(
                    f"Gerrit's answer to {method} {self.safe_url(url)} could not be decoded "
                    f"({type(exc).__name__})"
                ) from None
            if watch is not None and watch.expired:
                # A body without a length ends where the socket was shut: not an answer.
                self._report_error("timeout")
                raise self._deadline_error(method, url, watch)
        self._note_date(response)
        # Retried attempts were reported by PolicyRetry; this is the last one.
        if response.status_code >= 400:
            self._report_error(response.status_code)
        return response

    def _read_body(self, response: requests.Response, method: str) -> None:
        try:
            limits.read_capped(response, self.max_response_bytes)
        except limits.ResponseTooLargeError as exc:
            self._report_error("too_large")
            cap = self.max_response_bytes
            how = "declares" if exc.declared else "holds more than"
            size = f"{exc.size:,} bytes" if exc.declared else f"{cap:,} bytes"
            raise error.ResponseTooLarge(
                f"Gerrit's answer to {method} {self.safe_url(response.url or '')} {how} "
                f"{size}, over gerrit.max_response_bytes ({cap:,}); reading stopped there"
            ) from None

    def _redirected(
        self,
        response: requests.Response,
        method: str,
        headers: dict[str, str],
        kwargs: dict[str, Any],
    ) -> requests.Response:
        """Follow a redirect of a GET/HEAD to the same origin; refuse every other."""
        for _ in range(MAX_REDIRECTS + 1):
            if response.status_code not in REDIRECT_STATUSES:
                return response
            target = urljoin(response.url or "", response.headers.get("Location") or "")
            followable = method in IDEMPOTENT_METHODS and _same_origin(target, self.api_root)
            response.close()
            if not followable:
                break
            response = self.session.request(method, target, headers=headers, **kwargs)
        self._report_error(response.status_code)
        raise self._redirect_error(response, method, target)

    def _redirect_error(
        self, response: requests.Response, method: str, target: str
    ) -> error.Redirected:
        where = self.safe_url(target) or "nowhere"
        if method not in IDEMPOTENT_METHODS:
            why = f"a {method} follows no redirect; the request was not sent again"
        elif _same_origin(target, self.api_root):
            why = f"more than {MAX_REDIRECTS} redirects"
        else:
            why = "a redirect off the configured Gerrit's scheme, host and port is not followed"
        status = response.status_code
        return error.Redirected(
            f"Gerrit answered HTTP {status} to {method} {self.safe_url(response.url or '')}, "
            f"redirecting to {where}: {why} (check gerrit.url)",
            location=where,
            status_code=status,
            response=response,
            body="",
            url=self.safe_url(response.url or ""),
            method=method,
            trace_id=response.headers.get("X-Gerrit-Trace"),
        )

    def _deadline_error(
        self, method: str, url: str, watch: limits.Deadline
    ) -> error.DeadlineExceeded:
        return error.DeadlineExceeded(
            f"Gerrit request exceeded its deadline: {method} {self.safe_url(url)} took "
            f"longer than gerrit.deadline ({watch.seconds:g} s) in all"
        )

    # -- Gerrit's clock -----------------------------------------------------------------------

    def _note_date(self, response: requests.Response) -> None:
        value = response.headers.get("Date")
        if not value:
            return
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        with self._date_lock:
            self._server_date = (when.astimezone(UTC), time.monotonic())

    def server_time(self) -> datetime | None:
        """Gerrit's clock now: the ``Date`` of its latest answer plus the time since it came.

        ``None`` until an answer with a readable ``Date`` header arrived. The header has
        whole seconds, so this may be up to a second behind Gerrit.
        """
        with self._date_lock:
            noted = self._server_date
        if noted is None:
            return None
        when, at = noted
        return when + timedelta(seconds=time.monotonic() - at)

    def _raise_for_status(self, response: requests.Response, method: str) -> None:
        try:
            response.raise_for_status()
        except requests.exceptions.HTTPError as exc:
            status = response.status_code
            message = self.scrub(error.get_full_error_message(exc))
            cls = error.error_class_for_status(status)
            extra: dict[str, Any] = {}
            if cls is error.RateLimited:
                extra["retry_after"] = parse_retry_after(response.headers.get("Retry-After"))
            raise cls(
                message,
                status_code=status,
                response=response,
                body=self.scrub(response.text),
                url=self.safe_url(response.url or ""),
                method=method,
                trace_id=response.headers.get("X-Gerrit-Trace"),
                **extra,
            ) from exc

    def _bad_data(
        self, response: requests.Response, method: str, problem: str
    ) -> error.BadDataException:
        content_type = response.headers.get("Content-Type") or "missing"
        try:
            text = response.content.decode("utf-8", errors="replace")
        except Exception:  # pragma: no cover - content already read
            text = ""
        return error.BadDataException(
            f"Gerrit returned {problem}: HTTP {response.status_code} for {method} "
            f"{self.safe_url(response.url or '')} (Content-Type: {content_type}); "
            f"body starts {self.scrub(_snippet(text))}"
        )

    def decode(self, response: requests.Response, method: str = "GET") -> Any:
        """Decode a successful response.

        204 → ``{}``; ``text/plain`` → the text; otherwise JSON after removing
        exactly one leading ``)]}'`` line. A missing ``Content-Type`` is read as
        JSON when the body starts with the XSSI guard and as text otherwise.
        A body that is not valid JSON raises
        :class:`~bot.gerrit.error.BadDataException`.
        """
        if response.status_code == 204:
            return {}
        content_type = response.headers.get("Content-Type")
        if content_type and "text/plain" in content_type.lower():
            return response.text
        try:
            text = response.content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self._bad_data(response, method, "a body that is not UTF-8") from exc
        if not content_type and not text.startswith(XSSI_PREFIX):
            return response.text
        try:
            return json.loads(_strip_xssi(text))
        except ValueError as exc:
            if "json" in (content_type or "").lower():
                problem = f"invalid JSON ({exc})"
            else:
                problem = "a non-JSON body"
            raise self._bad_data(response, method, problem) from exc

    def _call(self, method: str, api: str, **kwargs: Any) -> Any:
        response = self.request(method, api, **kwargs)
        self._raise_for_status(response, method)
        return self.decode(response, method)

    # -- python-gerritclient request methods --------------------------------------------------

    def get_request_raw(self, api: str, params: Any = None) -> requests.Response:
        """GET ``api`` and return the ``requests.Response`` without checking its status."""
        return self.request("GET", api, params=params)

    def get_request(self, api: str, params: Any = None) -> Any:
        """GET ``api``; raise :class:`~bot.gerrit.error.HTTPError` on 4xx/5xx; decode."""
        return self._call("GET", api, params=params or {})

    def post_request_raw(
        self,
        api: str,
        data: Any = None,
        json_data: Any = None,
        content_type: str | None = None,
    ) -> requests.Response:
        """POST and return the ``requests.Response``; ``content_type`` is for this request only."""
        return self.request("POST", api, data=data, json=json_data, content_type=content_type)

    def post_request(
        self,
        api: str,
        data: Any = None,
        json_data: Any = None,
        content_type: str | None = None,
    ) -> Any:
        """POST (never retried); raise on 4xx/5xx; decode."""
        response = self.post_request_raw(api, data, json_data, content_type)
        self._raise_for_status(response, "POST")
        return self.decode(response, "POST")

    def put_request(self, api: str, data: Any = None, json_data: Any = None, **kwargs: Any) -> Any:
        """PUT (never retried); extra keyword arguments go to ``requests``; raise; decode."""
        return self._call("PUT", api, json=json_data, data=data, **kwargs)

    def delete_request(self, api: str, data: Any = None) -> Any:
        """DELETE with ``data`` as the JSON body (none when ``None``); raise; decode."""
        return self._call("DELETE", api, json=data)

    # -- extras -------------------------------------------------------------------------------

    def get_request_bytes(self, api: str, params: Any = None) -> bytes:
        """GET a base64 endpoint (``.../content``, ``.../patch``) and return the decoded bytes.

        Sends ``Accept: text/plain`` so Gerrit answers with base64 rather than a
        JSON string. If the server answers with JSON anyway, the string is
        returned UTF-8 encoded.
        """
        response = self.request("GET", api, params=params or {}, accept="text/plain")
        self._raise_for_status(response, "GET")
        if response.status_code == 204:
            return b""
        content_type = (response.headers.get("Content-Type") or "").lower()
        encoding = (response.headers.get("X-FYI-Content-Encoding") or "").lower()
        text = response.content
        if "json" in content_type or encoding == "json" or text.startswith(XSSI_PREFIX.encode()):
            value = self.decode(response, "GET")
            if not isinstance(value, str):
                raise self._bad_data(response, "GET", "a JSON value that is not a string")
            return value.encode("utf-8")
        try:
            return base64.b64decode(b"".join(text.split()), validate=True)
        except ValueError as exc:
            raise self._bad_data(response, "GET", "a body that is not base64") from exc


# --------------------------------------------------------------------------------------------
# Resource clients and factories


class ConnectOptions(TypedDict, total=False):
    """The keyword-only extras of :class:`APIClient` that the factories pass on."""

    timeout: Timeout
    retry: RetryPolicy | None
    user_agent: str | None
    deadline: float | None
    max_response_bytes: int | None


def connect(
    url: str,
    auth_type: str | None = None,
    username: str | None = None,
    password: str | None = None,
    **options: Unpack[ConnectOptions],
) -> APIClient:
    """Create a connection (:class:`APIClient`) to the Gerrit server at ``url``."""
    return APIClient(url, auth_type=auth_type, username=username, password=password, **options)


def connect_from_env(
    environ: Mapping[str, str] | None = None, **options: Unpack[ConnectOptions]
) -> APIClient:
    """Explicitly build a connection from ``GERRIT_URL``, ``GERRIT_AUTH_TYPE``,
    ``GERRIT_USERNAME`` and ``GERRIT_PASSWORD`` (no ``.env`` file is read)."""
    env = os.environ if environ is None else environ
    url = env.get("GERRIT_URL")
    if not url:
        raise ValueError("GERRIT_URL is not set")
    return connect(
        url,
        auth_type=env.get("GERRIT_AUTH_TYPE") or None,
        username=env.get("GERRIT_USERNAME") or None,
        password=env.get("GERRIT_PASSWORD") or None,
        **options,
    )


_RESOURCE_CLASSES: dict[str, type[BaseClient]] = {
    "account": AccountClient,
    "change": ChangeClient,
    "server": ServerClient,
}


def get_client(
    resource: str, version: str = "v1", connection: APIClient | None = None
) -> ChangeClient | AccountClient | ServerClient | Any:
    """Return the client for ``resource`` (``"change"``, ``"account"`` or ``"server"``).

    Other resources or versions raise upstream's ``ValueError``; a missing
    ``connection`` raises ``ValueError`` too (no implicit configuration).
    """
    if version != "v1" or resource not in _RESOURCE_CLASSES:
        raise ValueError(f'Cannot load API client for "{resource}" in the API version "{version}".')
    if connection is None:
        raise ValueError(NO_CONNECTION_MESSAGE)
    return _RESOURCE_CLASSES[resource](connection)
