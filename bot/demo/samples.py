"""The demo's sample changes, each with the outcome the bot must give it, and the demo site.

:class:`Demo` is the :mod:`harness <bot.demo.harness>` loaded with the sample project and
its people; :meth:`Demo.load` uploads one phase of samples (phase 2 builds on what phase 1
left: a rebase, recheck requests) and :meth:`Demo.summary` compares every sample's outcome
with the one it must get, which makes ``security-bot demo --once`` an end-to-end check.
A new feature adds its sample to :func:`default_samples`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.demo.harness import Harness
from bot.resources import data_dir
from bot.store import JobStatus, Store
from fakegerrit import FakeGerrit, apply_all_and_publish

log = logging.getLogger("bot.demo")

PROJECT = "openstack/sample"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the fake Gerrit's demo account, local only

SHELL_PY = (
    '"""Run deployment commands."""\n\n'
    "import subprocess\n\n\n"
    "def run(argv):\n"
    "    return subprocess.run(argv, check=True, capture_output=True).stdout\n\n\n"
    "def deploy(name):\n"
    '    return run(["deploy", name])\n'
)

BASE_FILES: dict[str, str | bytes] = {
    "README.rst": "A sample OpenStack-style project for the gerrit-security-bot demo.\n",
    "sample/__init__.py": "",
    "sample/shell.py": SHELL_PY,
    "sample/tests/__init__.py": "",
    "sample/tests/test_shell.py": (
        "from unittest import mock\n\n"
        "from sample import shell\n"
        "from sample.tests import base\n\n\n"
        "class TestDeploy(base.TestCase):\n"
        '    @mock.patch.object(shell, "run")\n'
        "    def test_deploy(self, mock_run):\n"
        '        shell.deploy("web")\n'
        '        mock_run.assert_called_once_with(["deploy", "web"])\n'
    ),
    "sample/tests/base.py": "import unittest\n\n\nclass TestCase(unittest.TestCase):\n    pass\n",
}

CLEAN_TEST = (
    "from unittest import mock\n\n"
    "from sample import shell\n"
    "from sample.tests import base\n\n\n"
    "class TestRun(base.TestCase):\n"
    "    def setUp(self):\n"
    "        super().setUp()\n"
    '        patcher = mock.patch("subprocess.run")\n'
    "        self.mock_run = patcher.start()\n"
    "        self.addCleanup(patcher.stop)\n\n"
    "    def test_run_passes_argv(self):\n"
    '        shell.run(["ls", "-l"])\n'
    "        self.mock_run.assert_called_once_with(\n"
    '            ["ls", "-l"], check=True, capture_output=True)\n\n'
    "    def test_run_returns_stdout(self):\n"
    '        self.mock_run.return_value.stdout = b"ok"\n'
    '        self.assertEqual(b"ok", shell.run(["true"]))\n'
)

DEFECT_TEST = (
    "import subprocess\n"
    "from unittest import mock\n\n"
    "from sample import shell\n"
    "from sample.tests import base\n\n"
    'DEPLOY_KEY_ID = "AKIA4QX7NBWO2LHZ3RTD"\n\n\n'
    "class TestRunner(base.TestCase):\n"
    "    def setUp(self):\n"
    "        super().setUp()\n"
    '        self.patcher = mock.patch.object(shell, "run")\n'
    "        self.mock_run = self.patcher.start()\n\n"
    "    def test_deploy_runs_command(self):\n"
    '        shell.deploy("web")\n'
    '        self.mock_run.called_once_with(["deploy", "web"])\n\n'
    '    def test_listing(self, name="tmp"):\n'
    '        out = subprocess.check_output("ls %s" % name, shell=True)\n'
    '        self.assertTrue(out, b"")\n'
)


# One defect with a mechanical fix: the review's inline comment carries it (Gerrit's
# "Apply fix"), and phase 2 applies it as the author would and publishes the edit.
FIXABLE_TEST = (
    "from unittest import mock\n\n"
    "from sample import shell\n"
    "from sample.tests import base\n\n\n"
    "class TestDeployOnce(base.TestCase):\n"
    '    @mock.patch.object(shell, "run")\n'
    "    def test_deploy_calls_run(self, mock_run):\n"
    '        shell.deploy("db")\n'
    "        mock_run.assert_called_once\n"
)


@dataclass
class Sample:
    """One demo change and the outcome the bot must give it."""

    name: str
    expected: str  # "posted:<clean|defects|incomplete>" | "carried:<verdict>" | "skipped"
    change: int = 0
    patchset: int = 0
    phase: int = 1  # phase-2 samples are uploaded after phase 1 was processed
    kind: str = "new"  # which of the patch set's jobs gives the outcome: new, recheck, …
    prepare: Callable[[FakeGerrit, Sample, dict[str, Sample]], None] | None = None


def _clean(fg: FakeGerrit, s: Sample, _: dict[str, Sample]) -> None:
    s.change = fg.create_change(
        PROJECT,
        {"sample/tests/test_run.py": CLEAN_TEST},
        "Add unit tests for shell.run",
        owner="alice",
    )
    s.patchset = 1


def _defects(fg: FakeGerrit, s: Sample, _: dict[str, Sample]) -> None:
    s.change = fg.create_change(
        PROJECT, {"sample/tests/test_runner.py": DEFECT_TEST}, "Add runner tests", owner="bob"
    )
    s.patchset = 1


def _rebase_base(fg: FakeGerrit, s: Sample, _: dict[str, Sample]) -> None:
    s.change = fg.create_change(
        PROJECT,
        {"sample/tests/test_deploy.py": CLEAN_TEST.replace("TestRun", "TestDeployRun")},
        "Cover deploy with tests",
        owner="carol",
    )
    s.patchset = 1


def _rebase(fg: FakeGerrit, s: Sample, samples: dict[str, Sample]) -> None:
    base = samples["rebase-base"]
    fg.commit_to_branch(PROJECT, {"README.rst": "A sample project (updated).\n"}, "Update README")
    s.change = base.change
    s.patchset = fg.upload_patchset(base.change, kind="TRIVIAL_REBASE", uploader="carol")


def _no_tests(fg: FakeGerrit, s: Sample, _: dict[str, Sample]) -> None:
    s.change = fg.create_change(
        PROJECT,
        {"sample/shell.py": SHELL_PY + "\n\ndef version():\n    return '1.0'\n"},
        "Add shell.version",
        owner="alice",
    )
    s.patchset = 1


def _broken(fg: FakeGerrit, s: Sample, _: dict[str, Sample]) -> None:
    s.change = fg.create_change(
        PROJECT,
        {
            "sample/tests/test_broken.py": "def test_unfinished(:\n    pass\n",
            "sample/tests/data/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
            "sample/tests/test_blob.py": b"\x00\x01binary\x00payload\xff",
        },
        "Add fixtures",
        owner="dave",
    )
    s.patchset = 1


def _fixable(fg: FakeGerrit, s: Sample, _: dict[str, Sample]) -> None:
    s.change = fg.create_change(
        PROJECT,
        {"sample/tests/test_deploy_once.py": FIXABLE_TEST},
        "Check that deploy calls run once",
        owner="carol",
    )
    s.patchset = 1


def _fix_applied(fg: FakeGerrit, s: Sample, samples: dict[str, Sample]) -> None:
    """The author applies the bot's fix in Gerrit and publishes it: patch set 2."""
    target = samples["fixable"]
    s.change = target.change
    s.patchset = apply_all_and_publish(fg.state, fg.url, fg.version, target.change)


def _recheck_by_message(fg: FakeGerrit, s: Sample, samples: dict[str, Sample]) -> None:
    """A reviewer replies with the keyword in the change message (SSH / REST style)."""
    target = samples["clean"]
    s.change, s.patchset = target.change, target.patchset
    fg.post_message(target.change, "recheck-security", author="bob")


def _recheck_by_comment(fg: FakeGerrit, s: Sample, samples: dict[str, Sample]) -> None:
    """A reviewer replies from the web UI: the text is a /PATCHSET_LEVEL comment."""
    target = samples["defects"]
    s.change, s.patchset = target.change, target.patchset
    fg.post_patchset_comment(target.change, "  Recheck-Security  ", author="alice")


def default_samples() -> list[Sample]:
    return [
        Sample("clean", "posted:clean", prepare=_clean),
        Sample("defects", "posted:defects", prepare=_defects),
        Sample("rebase-base", "posted:clean", prepare=_rebase_base),
        Sample("no-test-code", "skipped", prepare=_no_tests),
        Sample("unparsable-and-binary", "posted:incomplete", prepare=_broken),
        Sample("fixable", "posted:defects", prepare=_fixable),
        Sample("fix-applied", "posted:clean", phase=2, prepare=_fix_applied),
        Sample("trivial-rebase", "carried:clean", phase=2, prepare=_rebase),
        Sample(
            "recheck-message", "posted:clean", phase=2, kind="recheck", prepare=_recheck_by_message
        ),
        Sample(
            "recheck-patchset-comment",
            "posted:defects",
            phase=2,
            kind="recheck",
            prepare=_recheck_by_comment,
        ),
    ]


def outcome_of(store: Store, change: int, patchset: int, kind: str = "new") -> str:
    """One of ``posted:<verdict>``, ``carried:<verdict>``, ``skipped``, ``failed``, ``none``…"""
    jobs = [
        j
        for j in store.jobs(change=change, limit=1000)
        if j.patchset == patchset and j.kind.value == kind
    ]
    if not jobs:
        return "none"
    job = jobs[0]
    if job.status in (JobStatus.POSTED, JobStatus.CARRIED):
        review = store.review_for(change, patchset)
        return f"{job.status.value}:{review.verdict if review else '?'}"
    return job.status.value


DEMO_CONFIG = "demo.toml"  # in the shipped configuration directory
DEMO_ACCOUNTS = ("alice", "bob", "carol", "dave")
# Gerrit requests that fail are retried quickly: the fake Gerrit is local.
DEMO_SETTINGS = {"gerrit": {"retry_backoff": 0.05, "retry_cap": 0.5}}


class Demo:
    """The fake Gerrit loaded with samples, and a bot configured against it."""

    def __init__(self, workdir: Path, *, samples: list[Sample] | None = None) -> None:
        self.workdir = workdir
        self.samples = samples or default_samples()
        self.harness = Harness(
            workdir,
            password=DEMO_PASSWORD,
            accounts=DEMO_ACCOUNTS,
            projects={PROJECT: BASE_FILES},
            base=data_dir("config") / DEMO_CONFIG,
            settings=DEMO_SETTINGS,
        )
        self.fake = self.harness.fake
        self.config = self.harness.config()

    def load(self, phase: int) -> None:
        by_name = {s.name: s for s in self.samples}
        for s in self.samples:
            if s.phase == phase and s.prepare is not None:
                s.prepare(self.fake, s, by_name)
                log.info("demo: sample %r is change %s patch set %s", s.name, s.change, s.patchset)

    def sample(self, name: str) -> Sample:
        return next(s for s in self.samples if s.name == name)

    def summary(self, store: Store) -> dict[str, Any]:
        rows = []
        for s in self.samples:
            outcome = outcome_of(store, s.change, s.patchset, s.kind)
            rows.append(
                {
                    "name": s.name,
                    "change": s.change,
                    "patchset": s.patchset,
                    "expected": s.expected,
                    "outcome": outcome,
                    "ok": outcome == s.expected,
                }
            )
        return {"ok": all(r["ok"] for r in rows), "samples": rows}

    def close(self) -> None:
        """Close the bots built on the harness, then the fake Gerrit."""
        self.harness.close()
