"""Fixtures shared by the integration tests: a real fake Gerrit and a bot wired to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from bot.service import Service
    from fakegerrit import FakeGerrit


@pytest.fixture
def fake_gerrit(tmp_path: Path) -> Iterator[FakeGerrit]:
    from fakegerrit import FakeGerrit
    from tests.support import BASE_FILES, BOT_PASSWORD, PROJECT

    fake = FakeGerrit(tmp_path / "gerrit", bot_username="security-bot", bot_password=BOT_PASSWORD)
    fake.start()
    for user in ("alice", "bob"):
        fake.add_account(user, name=user.title(), email=f"{user}@example.org")
    fake.create_project(PROJECT, BASE_FILES)
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def make_service(fake_gerrit: FakeGerrit, tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """Build a bot against the fake Gerrit; every service built is closed after the test."""
    from bot.service import Service
    from tests.support import bot_config

    built: list[Service] = []

    def factory(**sections: dict[str, Any]) -> Service:
        service = Service(bot_config(fake_gerrit, tmp_path, **sections))
        built.append(service)
        return service

    yield factory
    for service in built:
        service.close()
