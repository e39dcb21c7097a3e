"""Fixtures shared by the integration tests: a real fake Gerrit and a bot wired to it.

Both come from one :class:`bot.demo.harness.Harness` per test (see :mod:`tests.support`),
which closes every service built and then stops the fake Gerrit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from bot.demo.harness import Harness
    from bot.service import Service
    from fakegerrit import FakeGerrit


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    from tests.support import make_harness

    with make_harness(tmp_path) as built:
        yield built


@pytest.fixture
def fake_gerrit(harness: Harness) -> FakeGerrit:
    return harness.fake


@pytest.fixture
def make_service(harness: Harness) -> Callable[..., Service]:
    """Build a bot against the fake Gerrit; every service built is closed after the test."""
    return harness.service
