"""The demo: a sample project on the embedded fake Gerrit, reviewed by the real bot.

Everything is real but the Gerrit server: HTTP on 127.0.0.1, git over smart HTTP,
pygit2 mirrors, the rules, the templates, SQLite and the scheduler. Each sample
states the outcome it must get, so ``demo --once`` doubles as an end-to-end check.
Later features add their samples to :data:`SAMPLES` through :func:`sample`.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Config, load_config
from bot.resources import data_dir
from bot.service import Service
from bot.store import JobStatus, Store
from fakegerrit import FakeGerrit

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


@dataclass
class Sample:
    """One demo change and the outcome the bot must give it."""

    name: str
    expected: str  # "posted:clean" | "posted:defects" | "carried:<verdict>" | "skipped"
    change: int = 0
    patchset: int = 0
    phase: int = 1  # phase-2 samples are uploaded after phase 1 was processed
    kind: str = "new"  # which of the patch set's jobs gives the outcome: new, recheck, …
    prepare: Callable[[FakeGerrit, Sample, dict[str, Sample]], None] | None = None
    notes: dict[str, Any] = field(default_factory=dict)


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
        Sample("unparsable-and-binary", "posted:clean", prepare=_broken),
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


class Demo:
    """The fake Gerrit loaded with samples, and a bot configured against it."""

    def __init__(self, workdir: Path, *, samples: list[Sample] | None = None) -> None:
        self.workdir = workdir
        self.samples = samples or default_samples()
        self.fake = FakeGerrit(
            workdir / "gerrit", bot_username="security-bot", bot_password=DEMO_PASSWORD
        ).start()
        for user in ("alice", "bob", "carol", "dave"):
            self.fake.add_account(user, name=user.title(), email=f"{user}@example.org")
        self.fake.create_project(PROJECT, BASE_FILES)
        secret = workdir / "gerrit-password"
        secret.write_text(DEMO_PASSWORD)
        secret.chmod(0o600)
        self.config: Config = load_config(
            data_dir("config") / "demo.toml",
            env={},
            overrides={
                "gerrit": {
                    "url": self.fake.url,
                    "username": "security-bot",
                    "password_file": str(secret),
                    "retry_backoff": 0.05,
                    "retry_cap": 0.5,
                },
                "store": {"url": f"sqlite:///{workdir / 'demo.db'}"},
                "scm": {"cache_dir": str(workdir / "mirrors")},
            },
        )

    def load(self, phase: int) -> None:
        by_name = {s.name: s for s in self.samples}
        for s in self.samples:
            if s.phase == phase and s.prepare is not None:
                s.prepare(self.fake, s, by_name)
                log.info("demo: sample %r is change %s patch set %s", s.name, s.change, s.patchset)

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
        self.fake.stop()


def run_once(workdir: Path | None = None, *, as_json: bool = False) -> int:
    """Process every sample once, print the summary, return 0 only if all came out right."""
    with tempfile.TemporaryDirectory(prefix="security-bot-demo-") as tmp:
        demo = Demo(Path(workdir or tmp))
        service = Service(demo.config)
        try:
            service.check_gerrit()
            for phase in sorted({s.phase for s in demo.samples}):
                demo.load(phase)
                service.poller.poll_once()
                service.recheck_poller.poll_once()
                drain_queue(service)
            summary = demo.summary(service.store)
        finally:
            service.close()
            demo.close()
    if as_json:
        print(json.dumps(summary))
    else:
        for row in summary["samples"]:
            mark = "ok  " if row["ok"] else "FAIL"
            print(
                f"{mark} {row['name']:<24} change {row['change']:>3},{row['patchset']:<2} "
                f"expected {row['expected']:<16} got {row['outcome']}"
            )
        print(
            "demo: all samples came out as expected"
            if summary["ok"]
            else "demo: some samples did not"
        )
    return 0 if summary["ok"] else 1


def drain_queue(service: Service, timeout: float = 120.0) -> None:
    """Run every worker until the queue is empty (jobs waiting on a retry delay included)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        threads = [threading.Thread(target=w.drain) for w in service.workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if service.store.pending_count() == 0:
            return
        time.sleep(0.05)
    raise RuntimeError(f"the queue did not drain within {timeout:.0f} s")


def run_forever(*, dashboard_port: int | None = 8080) -> int:
    """The interactive demo: fake Gerrit + bot (+ dashboard) on 127.0.0.1 until Ctrl-C."""
    with tempfile.TemporaryDirectory(prefix="security-bot-demo-") as tmp:
        demo = Demo(Path(tmp))
        service = Service(demo.config)
        server = None
        try:
            service.check_gerrit()
            demo.load(1)
            service.start()
            print(f"fake Gerrit:  {demo.fake.url}  (REST and git over HTTP)", flush=True)
            if dashboard_port is not None:
                server, token = _start_dashboard(demo, service, dashboard_port)
                print(f"dashboard:    {server.url}/  (admin token: {token})", flush=True)
            base = server.url if server is not None else demo.fake.url
            for s in demo.samples:
                if s.phase == 1:
                    print(f"  sample {s.name!r}: change {s.change}", flush=True)
            _wait_idle(service)
            demo.load(2)
            _wait_idle(service)
            summary = demo.summary(service.store)
            for row in summary["samples"]:
                print(f"  {row['name']}: {row['outcome']} (expected {row['expected']})", flush=True)
            print(
                f"Processed changes: {base}/changes. The bot keeps polling; Ctrl-C stops it.",
                flush=True,
            )
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", flush=True)
        finally:
            if server is not None:
                server.stop()
            service.close()
            demo.close()
    return 0


def _start_dashboard(demo: Demo, service: Service, port: int) -> tuple[Any, str]:
    """Serve the dashboard on 127.0.0.1:port (a free port if taken); reading is open."""
    import dataclasses
    import os
    import secrets

    from bot.config import ADMIN_TOKEN_ENV, Secret
    from bot.dashboard import create_app, serve

    # The demo's data is synthetic, so reading is open; actions still need the token,
    # which the person running the demo chooses (or is shown, if they did not).
    token = os.environ.get(ADMIN_TOKEN_ENV) or secrets.token_urlsafe(16)
    config = demo.config.replace(
        dashboard=dataclasses.replace(
            demo.config.dashboard, public_read=True, admin_token=Secret(token)
        )
    )
    app = create_app(
        service.store,
        config,
        health=lambda: {
            **dataclasses.asdict(service.health),
            "scheduler_alive": service.scheduler_alive,
        },
    )
    try:
        server = serve(app, "127.0.0.1", port)
    except OSError:
        log.warning("port %s is taken: serving the dashboard on a free port instead", port)
        server = serve(app, "127.0.0.1", 0)
    shown = "from SECURITY_BOT_ADMIN_TOKEN" if os.environ.get(ADMIN_TOKEN_ENV) else token
    return server, shown


def _wait_idle(service: Service, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    time.sleep(service.config.poll.interval + 0.5)
    while time.monotonic() < deadline:
        if service.store.pending_count() == 0 and not service.store.jobs(status=JobStatus.RUNNING):
            return
        time.sleep(0.2)
