"""The key that signs the dashboard's cookies: random, never derived from the admin token.

A key derived from the token let anyone holding one anonymous ``/login`` cookie test
token guesses offline, without limit.  The key comes instead from
``SECURITY_BOT_DASHBOARD_SECRET_KEY`` or from ``dashboard.secret_key_file``; when that
file does not exist it is created with a fresh random key, readable by its owner only
(0600), so restarts and every process on the machine sign with the same key.  Several
processes creating it at once agree on one key: each writes its own temporary file and
hard-links it into place, and only the first link succeeds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

from bot.config import DASHBOARD_KEY_ENV, ConfigError, DashboardConfig

log = logging.getLogger("bot.dashboard")

#: The fewest characters a key may have (a generated key has 64).
MIN_KEY_CHARS = 32


def secret_key(config: DashboardConfig) -> bytes:
    """The configured key, or the one in ``secret_key_file`` (created when missing)."""
    if config.secret_key:
        return config.secret_key.reveal().encode("utf-8")
    if not config.secret_key_file:
        raise ConfigError(
            f"dashboard.secret_key_file: empty; name a file (created when missing) "
            f"or set {DASHBOARD_KEY_ENV}"
        )
    return _read_or_create(Path(config.secret_key_file))


def _read_or_create(path: Path) -> bytes:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    _create(path)
    return _read(path)


def _read(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"dashboard.secret_key_file: cannot read {path} ({reason})") from None
    if mode & stat.S_IRWXO:  # a group (a Kubernetes secret's fsGroup) may be intended
        log.warning(
            "dashboard: %s can be read by every user; anyone who reads it can forge "
            "dashboard cookies (chmod 600 it)",
            path,
        )
    key = text.splitlines()[0].strip() if text.strip() else ""
    if len(key) < MIN_KEY_CHARS:
        raise ConfigError(
            f"dashboard.secret_key_file: {path} holds fewer than {MIN_KEY_CHARS} characters"
        )
    return key.encode("utf-8")


def _create(path: Path) -> None:
    """Write a random key to ``path`` unless another process got there first."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise ConfigError(
            f"dashboard.secret_key_file: cannot create {path} ({exc.strerror})"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return  # another process created it first: everybody uses that one
        log.info("dashboard: created a new cookie-signing key in %s", path)
    except OSError as exc:
        raise ConfigError(
            f"dashboard.secret_key_file: cannot create {path} ({exc.strerror})"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
