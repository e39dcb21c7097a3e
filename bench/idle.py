"""Idle cost: the requests the bot makes to Gerrit when nothing happens.

The real scheduler (``Service.start()``: the poll job and the worker jobs on APScheduler)
runs against an idle fake Gerrit for a bounded time with a short poll interval; every
request the fake Gerrit receives is counted. The figure is scaled to the default poll
interval: requests per poll (polls counted at the poller) times polls per minute at 60 s.
Both the measured rate and the scaled one are reported, with the requests broken down by path.
"""

from __future__ import annotations

import collections
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c

DEFAULT_INTERVAL = 60.0


def run(interval: float, seconds: float, nodelay: bool) -> dict[str, Any]:
    from bot.service import Service

    with tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            fake.create_project(c.PROJECT, c.base_files())
            config = c.bot_config(fake.url, root / "state", poll={"interval": interval})
            service = Service(config)
            polls = 0
            poll_once = service.poller.poll_once

            def counted_poll() -> Any:
                nonlocal polls
                polls += 1
                return poll_once()

            service.poller.poll_once = counted_poll  # type: ignore[method-assign]
            fake.clear_requests()
            try:
                started = time.perf_counter()
                service.start()
                time.sleep(seconds)
                service.stop()
                elapsed = time.perf_counter() - started
            finally:
                service.close()
            requests = fake.request_paths()
    by_path = collections.Counter(
        f"{method} {path}" + (f" q={q.split(' after:')[0]}" if q else "")
        for method, path, _git, q in requests
    )
    per_poll = len(requests) / polls if polls else float(len(requests))
    return {
        "idle_requests_per_min": c.rnd(per_poll * 60.0 / DEFAULT_INTERVAL, 2),
        "idle_requests_per_poll": c.rnd(per_poll, 2),
        "idle_requests_total": len(requests),
        "idle_polls": polls,
        "idle_poll_interval_s": interval,
        "idle_seconds": c.rnd(elapsed, 2),
        "idle_requests_per_min_at_measured_interval": c.rnd(len(requests) / elapsed * 60.0, 1),
        "idle_default_interval_s": DEFAULT_INTERVAL,
        "idle_requests_by_path": dict(by_path),
        "idle_git_requests": sum(1 for r in requests if r[2]),
        "idle_only_poll_queries": all(
            method == "GET" and path == "/a/changes/" for method, path, _git, _q in requests
        ),
        "bars": {"idle_requests_per_min": "the poll queries alone"},
    }


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=0.5, help="poll interval (s)")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to run")
    args = parser.parse_args()
    c.setup_logging()
    interval, seconds = (0.25, 1.5) if args.quick else (args.interval, args.seconds)
    result = run(interval, min(seconds, args.max_seconds), not args.stock_fake)
    result["quick"] = args.quick
    c.emit("idle", result, args.out)


if __name__ == "__main__":
    main()
