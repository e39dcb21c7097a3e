"""Believe ``X-Forwarded-*`` headers from the configured reverse proxies, and from nobody else.

Behind a TLS-terminating proxy the dashboard sees plain HTTP from the proxy's address.
The proxy says what the browser used in ``X-Forwarded-For`` (the client's address),
``-Proto`` (``https``), ``-Host`` (the public host name) and ``-Port``; believing them
is what makes the login form's origin check pass, marks the cookie ``Secure`` and
sends HSTS.  Anyone can write these headers, so they are taken only when the
connection comes from an address in ``dashboard.trusted_proxies``; otherwise they are
removed before the app sees them.

With several proxies in a row, each appends the address it saw to
``X-Forwarded-For``.  Walking that list from the right, every trusted address is a
proxy of ours; the first address that is not trusted is the client (what a client
wrote further left is ignored).  ``-Proto``, ``-Host`` and ``-Port`` are read from the
outermost trusted proxy: the value as many places from the right as there are trusted
hops (the only value when a proxy sets rather than appends).  Values that are not a
scheme, a host or a port are ignored.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = (
    "HTTP_FORWARDED",  # RFC 7239: never believed, always removed
    "HTTP_X_FORWARDED_BY",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
)
#: where the address the connection really came from is kept (for the logs)
PEER_KEY = "security_bot.peer_addr"

_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")
_PORT = re.compile(r"^[0-9]{1,5}$")


def networks(entries: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``text`` as an IP address (IPv4-mapped IPv6 as IPv4), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


class TrustedProxies:
    """WSGI middleware applying ``X-Forwarded-*`` from trusted proxies, dropping all others."""

    def __init__(self, app: WSGIApp, trusted: Sequence[str]) -> None:
        self.app = app
        self.trusted = networks(trusted)

    def trusts(self, text: str) -> bool:
        found = address(text)
        return found is not None and any(found in net for net in self.trusted)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        headers = {key: environ.pop(key) for key in FORWARDED_HEADERS if key in environ}
        peer = str(environ.get("REMOTE_ADDR", ""))
        environ[PEER_KEY] = peer
        if self.trusted and self.trusts(peer):
            self._apply(environ, peer, headers)
        return self.app(environ, start_response)

    def _apply(self, environ: dict[str, Any], peer: str, headers: dict[str, str]) -> None:
        chain = [part.strip() for part in headers.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [part for part in chain if part] + [peer]
        index = len(hops) - 1
        # Right to left over our own proxies; stop at garbage a client wrote.
        while index > 0 and self.trusts(hops[index]) and address(hops[index - 1]) is not None:
            index -= 1
        client = hops[index]
        proxies = len(hops) - index - (0 if self.trusts(client) else 1)
        environ["REMOTE_ADDR"] = str(address(client) or peer)

        proto = _outermost(headers.get("HTTP_X_FORWARDED_PROTO", ""), proxies).lower()
        if proto in ("http", "https"):
            environ["wsgi.url_scheme"] = proto
        host = _outermost(headers.get("HTTP_X_FORWARDED_HOST", ""), proxies)
        if host and _HOST.match(host):
            environ["HTTP_HOST"] = host
        port = _outermost(headers.get("HTTP_X_FORWARDED_PORT", ""), proxies)
        if port and _PORT.match(port) and 0 < int(port) < 65536:
            environ["SERVER_PORT"] = port
            name = _without_port(str(environ.get("HTTP_HOST", "")))
            default = {"http": "80", "https": "443"}.get(str(environ.get("wsgi.url_scheme")))
            if name:
                environ["HTTP_HOST"] = name if port == default else f"{name}:{port}"


def _without_port(host: str) -> str:
    """``host`` without its ``:port`` (an IPv6 address keeps its brackets)."""
    return host[: host.rfind(":")] if host.rfind(":") > host.rfind("]") else host


def _outermost(value: str, hops: int) -> str:
    """The value the outermost trusted proxy gave: ``hops`` places from the right."""
    values = [part.strip() for part in value.split(",") if part.strip()]
    if not values:
        return ""
    return values[-min(hops, len(values))]
