"""Memory: the bot's resident memory after 5,000 patch sets, and whether it still grows.

The bot (default settings: two worker threads, SQLite) reviews 5,000 typical patch sets in
batches: each batch is uploaded to the fake Gerrit, found by one poll and reviewed to the
end. The fake Gerrit runs in a child process, so its memory (it keeps every change, review
and request in memory) is not counted. The changes are spread over several projects, as on
a real Gerrit. After each batch the bot process's VmRSS (``/proc/self/status``) is sampled;
the slope over the last half of the run (least squares, MiB per 1,000 patch sets) says
whether memory still grows.
"""

from __future__ import annotations

import gc
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c

from bot.demo.harness import drain

# "Not growing": the fitted growth over the last half stays within this many MiB.
GROWTH_LIMIT_MB = 5.0


def run(total: int, batch: int, projects: int, max_seconds: float, nodelay: bool) -> dict[str, Any]:
    from bot.service import Service

    samples: list[tuple[int, float]] = []
    done_total = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            names = [f"{c.PROJECT}{p:02d}" for p in range(projects)]
            for name in names:
                fake.create_project(name, c.base_files())
            service = Service(c.bot_config(fake.url, root / "state"))
            rss_start = c.rss_mb()
            try:
                with c.deadline(max_seconds) as expired:
                    index = 0
                    while done_total < total:
                        if expired():
                            c.progress(f"memory: time bound reached after {done_total}")
                            break
                        n = min(batch, total - done_total)
                        specs = [
                            (
                                names[(index + i) % projects],
                                c.typical_change(index + i),
                                f"Memory {index + i}",
                            )
                            for i in range(n)
                        ]
                        index += n
                        fake.create_changes(specs)
                        polled = service.poller.poll_once()
                        done = drain(service)
                        if polled.enqueued != n or done != n:
                            raise RuntimeError(f"queued {polled.enqueued}, reviewed {done} of {n}")
                        done_total += done
                        samples.append((done_total, c.rss_mb()))
                        c.progress(
                            f"memory: {done_total} patch sets, RSS {samples[-1][1]:.1f} MiB, "
                            f"{done_total / (time.perf_counter() - started) * 60:.0f} per minute"
                        )
            finally:
                service.close()
    gc.collect()
    if not samples:
        raise RuntimeError("no memory sample was taken")
    half = samples[-1][0] / 2
    last_half = [(n, r) for n, r in samples if n >= half]
    per_1000 = c.slope([n / 1000 for n, _ in last_half], [r for _, r in last_half])
    span = (last_half[-1][0] - last_half[0][0]) / 1000 if len(last_half) > 1 else 0.0
    growth = per_1000 * span
    elapsed = time.perf_counter() - started
    return {
        "rss_mb_after_5000": c.rnd(samples[-1][1], 1),
        "rss_mb_start": c.rnd(rss_start, 1),
        "rss_patch_sets": samples[-1][0],
        "rss_patch_sets_target": total,
        "rss_samples": [[n, c.rnd(r, 1)] for n, r in samples],
        "rss_slope_mb_per_1000_last_half": c.rnd(per_1000, 3),
        "rss_growth_mb_last_half": c.rnd(growth, 2),
        "rss_not_growing": growth <= GROWTH_LIMIT_MB,
        "rss_projects": projects,
        "rss_run_seconds": c.rnd(elapsed, 1),
        "rss_reviews_per_min": c.rnd(samples[-1][0] / elapsed * 60, 1),
        "bars": {
            "rss_mb_after_5000": "<= 250",
            "rss_growth_mb_last_half": f"<= {GROWTH_LIMIT_MB}",
        },
    }


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--patch-sets", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--projects", type=int, default=10)
    args = parser.parse_args()
    c.setup_logging()
    if args.quick:
        total, batch, projects, bound = 12, 4, 2, 20.0
    else:
        total, batch, projects, bound = args.patch_sets, args.batch, args.projects, args.max_seconds
    result = run(total, batch, projects, bound, not args.stock_fake)
    result["quick"] = args.quick
    c.emit("memory", result, args.out)


if __name__ == "__main__":
    main()
