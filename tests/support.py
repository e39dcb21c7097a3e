"""Helpers for the integration tests: a bot configured against the fake Gerrit, draining."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Config, build_config
from bot.demo import drain_queue
from bot.service import Service
from fakegerrit import FakeGerrit

BOT_PASSWORD = "bot-secret-\u00e9-42"  # a non-ASCII secret catches encoding slips
PROJECT = "openstack/sample"

BASE_FILES: dict[str, str | bytes] = {
    "sample/__init__.py": "",
    "sample/util.py": "def add(a, b):\n    return a + b\n",
    "sample/tests/__init__.py": "",
    "sample/tests/test_util.py": (
        "from unittest import mock\n"
        "\n"
        "\n"
        "def test_legacy():\n"
        "    m = mock.Mock()\n"
        "    m.called_once_with(1)\n"
    ),
}


def bot_config(fake: FakeGerrit, tmp_path: Path, **sections: dict[str, Any]) -> Config:
    secret = tmp_path / "bot-password"
    secret.write_text(BOT_PASSWORD)
    raw: dict[str, dict[str, Any]] = {
        "gerrit": {
            "url": fake.url,
            "password_file": str(secret),
            "timeout": 5.0,
            "retry_attempts": 3,
            "retry_backoff": 0.01,
            "retry_cap": 0.05,
        },
        "poll": {"initial_lookback": 86400.0},
        "worker": {"threads": 1, "retry_backoff": 0.0, "retry_cap": 0.0, "lease_seconds": 60.0},
        "store": {"url": f"sqlite:///{tmp_path / 'bot.db'}"},
        "scm": {"cache_dir": str(tmp_path / "mirrors")},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    return build_config(raw, env={})


def drain(service: Service, timeout: float = 60.0) -> None:
    """Run the service's workers until the queue is empty, waiting out retry delays."""
    try:
        drain_queue(service, timeout)
    except RuntimeError as exc:
        raise AssertionError(str(exc)) from None
