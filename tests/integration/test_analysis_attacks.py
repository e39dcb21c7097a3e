"""Hostile patch sets against the analysis, through real HTTP, real git and SQLite (issue 17).

#3: one line of 1,500 concatenated literals (CPython runs it) used to make a recursive helper
raise and lose every finding of the file; syntax of a newer Python must be "not analysed".
#18: a defect made only by deleting a line (the patcher's cleanup) used to go unreported.
"""

from __future__ import annotations

import sys

from bot.review.report import CLEAN_VERDICT
from fakegerrit import FakeGerrit
from tests.support import PROJECT, bot_reviews, drain

WITH_CLEANUP = (
    "import os\n"
    "import unittest\n"
    "from unittest import mock\n"
    "\n"
    "\n"
    "class TestUnlink(unittest.TestCase):\n"
    "    def setUp(self):\n"
    "        super().setUp()\n"
    "        self.patcher = mock.patch('os.unlink')\n"
    "        self.patcher.start()\n"
    "        self.addCleanup(self.patcher.stop)\n"
    "\n"
    "    def test_unlink(self):\n"
    "        os.unlink('x')\n"
    "        self.assertTrue(os.unlink.called)\n"
)


def test_deleting_only_the_cleanup_line_is_reported(fake_gerrit: FakeGerrit, make_service) -> None:
    path = "sample/tests/test_unlink.py"
    fake_gerrit.commit_to_branch(PROJECT, {path: WITH_CLEANUP}, "Add the test")
    without = WITH_CLEANUP.replace("        self.addCleanup(self.patcher.stop)\n", "")
    change = fake_gerrit.create_change(PROJECT, {path: without}, "Tidy setUp")
    service = make_service()
    service.poller.poll_once()
    drain(service)
    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    assert "`patcher-not-stopped`" in review["message"]
    assert f"{path}` line 10" in review["message"]


def test_a_long_concatenation_line_keeps_every_finding(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    long = " + ".join(["'a'"] * 1500)
    source = (
        "from unittest import mock\n"
        f"BANNER = {long}\n"
        "\n"
        "\n"
        "def test_call():\n"
        "    m = mock.Mock()\n"
        "    m.called_once_with(1)\n"
    )
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_long.py": source}, "Long")
    service = make_service()
    service.poller.poll_once()
    drain(service)
    (review,) = bot_reviews(fake_gerrit, change)
    assert CLEAN_VERDICT not in review["message"]
    assert "`mock-nonexistent-assertion`" in review["message"]
    assert "Not analysed" not in review["message"]


def test_newer_python_syntax_is_listed_as_not_analysed(
    fake_gerrit: FakeGerrit, make_service
) -> None:
    source = (
        "def first[T](items: list[T]) -> T:\n"
        "    return items[0]\n"
        "\n"
        "\n"
        "def test_first():\n"
        '    assert f"{", ".join(["a"])}" == "a"\n'
    )
    change = fake_gerrit.create_change(PROJECT, {"sample/tests/test_new.py": source}, "PEP 695")
    service = make_service()
    service.poller.poll_once()
    drain(service)
    (review,) = bot_reviews(fake_gerrit, change)
    if sys.version_info >= (3, 12):
        assert "Not analysed" not in review["message"]
    else:
        assert "### Not analysed" in review["message"]
        assert "`sample/tests/test_new.py`: does not parse with Python 3.11" in review["message"]
