"""``security-bot demo``: the bot against the embedded fake Gerrit, loaded with samples.

Everything is real but the Gerrit server: HTTP on 127.0.0.1, git over smart HTTP,
pygit2 mirrors, the rules, the templates, SQLite and the scheduler. :func:`run_once`
(``demo --once``) processes every sample and checks each got the outcome it must, so it
doubles as an end-to-end check; :func:`run_forever` (``demo``, and ``run`` without a
Gerrit) keeps the bot and its dashboard running until Ctrl-C.

The package: :mod:`~bot.demo.harness` (the fake Gerrit, the bot configured against it,
draining: shared with the tests, benchmarks and tools), :mod:`~bot.demo.samples` (the
sample changes and their expected outcomes), :mod:`~bot.demo.scratch` (throwaway
PostgreSQL databases and Chromium's launch options, for tests, benchmarks and tools).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

from bot.config import ADMIN_TOKEN_ENV, Secret
from bot.dashboard import DashboardServer
from bot.demo.harness import drain, serve_dashboard
from bot.demo.samples import PROJECT, Demo
from bot.service import Service
from bot.store import JobStatus

log = logging.getLogger("bot.demo")

__all__ = ["PROJECT", "Demo", "run_forever", "run_once"]


def run_once(workdir: Path | None = None, *, as_json: bool = False) -> int:
    """Process every sample once, print the summary, return 0 only if all came out right."""
    with tempfile.TemporaryDirectory(prefix="security-bot-demo-") as tmp:
        demo = Demo(Path(workdir or tmp))
        try:
            service = demo.harness.service(demo.config)
            service.check_gerrit()
            for phase in sorted({s.phase for s in demo.samples}):
                demo.load(phase)
                service.poller.poll_once()
                service.recheck_poller.poll_once()
                drain(service)
            summary = demo.summary(service.store)
        finally:
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


def _print_push_account(demo: Demo) -> None:
    """An account a newcomer can push with (a password made for this run only)."""
    password = secrets.token_urlsafe(12)
    demo.fake.add_account("newcomer", "New Comer", "newcomer@example.org", password)
    url = demo.fake.url.replace("://", "://newcomer@", 1)
    print(
        f"push a change: git clone {url}/a/{PROJECT} && cd sample && ... && "
        f"git push origin HEAD:refs/for/master  (password: {password})",
        flush=True,
    )


def run_forever(*, dashboard_port: int | None = 8080) -> int:
    """The interactive demo: fake Gerrit + bot (+ dashboard) on 127.0.0.1 until Ctrl-C."""
    with tempfile.TemporaryDirectory(prefix="security-bot-demo-") as tmp:
        demo = Demo(Path(tmp))
        server = None
        try:
            service = demo.harness.service(demo.config)
            service.check_gerrit()
            demo.load(1)
            service.start()
            print(f"fake Gerrit:  {demo.fake.url}  (REST and git over HTTP)", flush=True)
            _print_push_account(demo)
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
            demo.close()
    return 0


def _start_dashboard(demo: Demo, service: Service, port: int) -> tuple[DashboardServer, str]:
    """Serve the dashboard on 127.0.0.1:port (a free port if taken); reading is open."""
    # The demo's data is synthetic, so reading is open; actions still need the token,
    # which the person running the demo chooses (or is shown, if they did not).
    token = os.environ.get(ADMIN_TOKEN_ENV) or secrets.token_urlsafe(16)
    config = demo.config.replace(
        dashboard=dataclasses.replace(
            demo.config.dashboard, public_read=True, admin_token=Secret(token)
        )
    )
    try:
        server = serve_dashboard(service, config, port)
    except OSError:
        log.warning("port %s is taken: serving the dashboard on a free port instead", port)
        server = serve_dashboard(service, config, 0)
    shown = "from SECURITY_BOT_ADMIN_TOKEN" if os.environ.get(ADMIN_TOKEN_ENV) else token
    return server, shown


def _wait_idle(service: Service, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    time.sleep(service.config.poll.interval + 0.5)
    while time.monotonic() < deadline:
        if service.store.pending_count() == 0 and not service.store.jobs(status=JobStatus.RUNNING):
            return
        time.sleep(0.2)
