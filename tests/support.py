"""Helpers for the integration tests: the demo's harness with the tests' own settings.

The fake Gerrit, the bot's configuration against it and the drain loop are
:mod:`bot.demo.harness`'s; this module adds what is particular to the tests: a
non-ASCII password, short timeouts and retry delays, one worker thread, and the
pytest decisions (a drain that times out is a failure; an unreachable PostgreSQL
server is a skip, or a failure under CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config
from bot.demo import harness, scratch
from bot.service import Service
from fakegerrit import FakeGerrit

BOT_PASSWORD = "bot-secret-\u00e9-42"  # a non-ASCII secret catches encoding slips
PROJECT = "openstack/sample"
ACCOUNTS = ("alice", "bob")

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

# The tests' settings over the bot's defaults: fast failures, no waiting between retries.
SETTINGS: dict[str, dict[str, Any]] = {
    "gerrit": {"timeout": 5.0, "retry_attempts": 3, "retry_backoff": 0.01, "retry_cap": 0.05},
    "poll": {"initial_lookback": 86400.0},
    "worker": {"threads": 1, "retry_backoff": 0.0, "retry_cap": 0.0, "lease_seconds": 60.0},
}


def make_harness(tmp_path: Path) -> harness.Harness:
    """The fake Gerrit with alice, bob and the sample project; bots with the tests' settings."""
    return harness.Harness(
        tmp_path,
        password=BOT_PASSWORD,
        accounts=ACCOUNTS,
        projects={PROJECT: BASE_FILES},
        settings=SETTINGS,
    )


def bot_config(fake: FakeGerrit, tmp_path: Path, **sections: dict[str, Any]) -> Config:
    """The bot's configuration against ``fake`` with the tests' settings (and ``sections``)."""
    return harness.bot_config(
        fake.url,
        tmp_path,
        password=BOT_PASSWORD,
        **harness.merge_sections(SETTINGS, sections),
    )


def drain(service: Service, timeout: float = 60.0) -> None:
    """Run the service's workers until the queue is empty, waiting out retry delays."""
    try:
        harness.drain(service, timeout)
    except harness.DrainTimeout as exc:
        raise AssertionError(str(exc)) from None


@contextmanager
def postgres_database(prefix: str = "security_bot_test") -> Iterator[str]:
    """A throwaway database on the test server (``SECURITY_BOT_TEST_PG_DSN``).

    Skips (with the reason) when the server is unreachable, unless ``CI`` is set:
    then it fails.
    """
    with ExitStack() as stack:
        try:
            url = stack.enter_context(scratch.postgres_database(prefix))
        except scratch.DatabaseUnavailable as exc:
            if os.environ.get("CI"):
                pytest.fail(f"{exc} (CI is set, so this is a failure)")
            pytest.skip(str(exc))
        yield url
