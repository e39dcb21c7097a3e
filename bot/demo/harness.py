"""The one harness: the fake Gerrit, the bot configured against it, and draining the queue.

The demo, the tests, the benchmarks and the screenshot tool all need "a bot pointed at
the embedded fake Gerrit": a :class:`~fakegerrit.FakeGerrit` that knows the bot's account
(and a few people and projects), a :class:`~bot.config.Config` built from the shipped
defaults (or a TOML file such as the demo's) with the URL, a password file and a state
directory filled in, a :class:`~bot.service.Service` built from it, and a way to run the
workers until the queue is empty. This module is that, once; callers add only their own
settings (the tests' short timeouts, the demo's sample changes).

State directory layout (``workdir``): ``gerrit/`` the fake's repositories,
``gerrit-password`` the bot's secret (mode 0600), ``bot.db`` the SQLite store,
``mirrors/`` the bot's git mirrors.

Only :mod:`bot.demo` imports :mod:`fakegerrit`; the rest of the bot never does.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bot.config import Config, build_config
from bot.dashboard import DashboardServer, create_app, serve
from bot.service import Service
from fakegerrit import FakeGerrit

BOT_USER = "security-bot"

Sections = Mapping[str, Mapping[str, Any]]


def merge_sections(*layers: Sections | None) -> dict[str, dict[str, Any]]:
    """Section -> key -> value tables merged key by key, later layers winning."""
    merged: dict[str, dict[str, Any]] = {}
    for layer in layers:
        for name, values in (layer or {}).items():
            merged.setdefault(name, {}).update(values)
    return merged


def bot_config(
    url: str,
    state: Path,
    *,
    password: str,
    base: Path | None = None,
    **sections: Mapping[str, Any],
) -> Config:
    """The bot's configuration against the Gerrit at ``url``, its state kept in ``state``.

    Starts from ``base`` (a TOML file) or, without it, the built-in defaults; the URL, the
    bot's account, a password file holding ``password``, the store and the mirrors are
    filled in; ``sections`` (section -> key -> value) win over everything. The process
    environment is ignored, so a developer's ``SECURITY_BOT_*`` variables change nothing.
    """
    state.mkdir(parents=True, exist_ok=True)
    secret = state / "gerrit-password"
    secret.write_text(password, encoding="utf-8")
    secret.chmod(0o600)
    raw = tomllib.loads(base.read_text(encoding="utf-8")) if base is not None else {}
    wired = {
        "gerrit": {"url": url, "username": BOT_USER, "password_file": str(secret)},
        "store": {"url": f"sqlite:///{state / 'bot.db'}"},
        "scm": {"cache_dir": str(state / "mirrors")},
        "dashboard": {"secret_key_file": str(state / "dashboard-secret-key")},
    }
    return build_config(raw, env={}, overrides=merge_sections(wired, sections))


def start_fake(
    root: Path,
    *,
    password: str,
    accounts: Iterable[str] = (),
    projects: Mapping[str, Mapping[str, str | bytes]] | None = None,
    **options: Any,
) -> FakeGerrit:
    """A started fake Gerrit with the bot's account, ``accounts`` and ``projects``.

    Each account is a username; it gets a title-case name and an ``@example.org`` address.
    ``options`` go to :class:`~fakegerrit.FakeGerrit` (``seed``, ``version``, ...).
    """
    fake = FakeGerrit(root, bot_username=BOT_USER, bot_password=password, **options).start()
    try:
        for user in accounts:
            fake.add_account(user, name=user.title(), email=f"{user}@example.org")
        for name, files in (projects or {}).items():
            fake.create_project(name, dict(files))
    except BaseException:
        fake.stop()
        raise
    return fake


def drain(service: Service, timeout: float = 120.0) -> int:
    """Run every worker until the queue is empty; returns how many jobs ran.

    Jobs waiting on a retry delay count as pending, so they are waited out. Raises
    :class:`DrainTimeout` when the queue is not empty after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    done = [0] * len(service.workers)

    def run(i: int) -> None:
        done[i] += service.workers[i].drain()

    while True:
        before = sum(done)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(service.workers))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if service.store.pending_count() == 0:
            return sum(done)
        if time.monotonic() >= deadline:
            raise DrainTimeout(f"the queue did not drain within {timeout:.0f} s")
        if sum(done) == before:
            time.sleep(0.01)  # nothing was claimable: the rest waits on a retry delay


class DrainTimeout(RuntimeError):
    """The queue still held jobs when :func:`drain` gave up."""


def serve_dashboard(
    service: Service,
    config: Config,
    port: int = 0,
    *,
    scheduler_alive: bool | None = None,
) -> DashboardServer:
    """The dashboard over ``service``'s store on 127.0.0.1:``port`` (0: a free port).

    Its health is the service's; ``scheduler_alive`` overrides what the service says
    (a harness that drains by hand runs no scheduler, yet is not a dead bot).
    """

    def health() -> dict[str, Any]:
        alive = service.scheduler_alive if scheduler_alive is None else scheduler_alive
        return {**dataclasses.asdict(service.health), "scheduler_alive": alive}

    return serve(create_app(service.store, config, health=health), "127.0.0.1", port)


class Harness:
    """A fake Gerrit and bots configured against it, all closed together.

    ``settings`` are the caller's own configuration (section -> key -> value), applied to
    every :meth:`config`; ``base`` is a TOML file to start from instead of the defaults;
    ``password`` is the bot's secret (default: one made for this run).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        password: str | None = None,
        accounts: Iterable[str] = (),
        projects: Mapping[str, Mapping[str, str | bytes]] | None = None,
        base: Path | None = None,
        settings: Sections | None = None,
    ) -> None:
        self.workdir = Path(workdir)
        # Without a password the bot's account gets one made for this run: a fixed one
        # would let any local user post and push as the bot while the fake runs.
        self.password = password or secrets.token_urlsafe(18)
        self.base = base
        self.settings = merge_sections(settings)
        self.fake = start_fake(
            self.workdir / "gerrit", password=self.password, accounts=accounts, projects=projects
        )
        self.services: list[Service] = []

    def config(self, **sections: Mapping[str, Any]) -> Config:
        """The bot's configuration against this fake Gerrit (always the same state)."""
        return bot_config(
            self.fake.url,
            self.workdir,
            password=self.password,
            base=self.base,
            **merge_sections(self.settings, sections),
        )

    def service(self, config: Config | None = None, **sections: Mapping[str, Any]) -> Service:
        """A bot built from ``config`` (default: :meth:`config` with ``sections``)."""
        service = Service(config if config is not None else self.config(**sections))
        self.services.append(service)
        return service

    def close(self) -> None:
        """Close every service built here, then stop the fake Gerrit."""
        try:
            for service in self.services:
                service.close()
        finally:
            self.services.clear()
            self.fake.stop()

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


__all__ = [
    "BOT_USER",
    "DrainTimeout",
    "Harness",
    "bot_config",
    "drain",
    "merge_sections",
    "serve_dashboard",
    "start_fake",
]
