"""Throughput: patch sets reviewed per minute, end to end, with the default settings.

Each round uploads a batch of typical changes (three test files, about a hundred changed
lines each) to the fake Gerrit, then times the bot as it would run them: one poll finds
them all (paging through the query), and the configured worker threads (two by default,
SQLite store) review them until the queue is empty. Every patch set is fetched, diffed,
analysed, rendered, posted to the fake Gerrit and recorded. The figure is the median of
the rounds' patch sets per minute.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c

from bot.demo.harness import drain


def run(batch: int, rounds: int, max_seconds: float, nodelay: bool) -> dict[str, Any]:
    from bot.service import Service
    from bot.store import JobStatus

    per_round: list[float] = []
    reviewed = 0
    statuses: dict[str, int] = {}
    stage_ms: dict[str, float] = {}
    round_stages: list[dict[str, float]] = []
    poll_ms: list[float] = []
    bot_cpu: list[float] = []
    fake_cpu: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            fake.create_project(c.PROJECT, c.base_files())
            config = c.bot_config(fake.url, root / "state")

            def count(job: Any, outcome: Any) -> None:
                statuses[outcome.status.value] = statuses.get(outcome.status.value, 0) + 1
                if outcome.review is not None:
                    for stage, ms in outcome.review.timings.items():
                        stage_ms[stage] = stage_ms.get(stage, 0.0) + ms

            service = Service(config, on_outcome=count)
            # Warm-up: the first review of a project fills its mirror (not timed).
            fake.create_change(c.PROJECT, c.typical_change(0), "Warm-up")
            service.poller.poll_once()
            drain(service)
            statuses.clear()
            all_changes: list[int] = []
            index = 1
            try:
                with c.deadline(max_seconds) as expired:
                    for r in range(rounds):
                        if expired():
                            c.progress(f"throughput: time bound reached after {r} rounds")
                            break
                        specs = [
                            (c.PROJECT, c.typical_change(index + i), f"Throughput {index + i}")
                            for i in range(batch)
                        ]
                        index += batch
                        all_changes += fake.create_changes(specs)
                        started = time.perf_counter()
                        bot_cpu0, fake_cpu0 = c.cpu_seconds(), c.cpu_seconds(fake.pid)
                        stage_ms.clear()
                        polled = service.poller.poll_once()
                        poll_ms.append((time.perf_counter() - started) * 1000)
                        done = drain(service)
                        elapsed = time.perf_counter() - started
                        bot_cpu.append((c.cpu_seconds() - bot_cpu0) * 1000 / batch)
                        fake_cpu.append((c.cpu_seconds(fake.pid) - fake_cpu0) * 1000 / batch)
                        if polled.enqueued != batch or done != batch:
                            raise RuntimeError(
                                f"round {r}: queued {polled.enqueued}, reviewed {done}, "
                                f"expected {batch}"
                            )
                        reviewed += done
                        per_round.append(done / elapsed * 60.0)
                        round_stages.append({k: c.rnd(v / done) for k, v in stage_ms.items()})
                        c.progress(f"throughput: round {r}: {per_round[-1]:.0f} per minute")
                posted = fake.review_count(all_changes)
            finally:
                service.close()
    if not per_round:
        raise RuntimeError("no throughput round completed")
    return {
        "throughput_per_min": c.rnd(c.median(per_round), 1),
        "throughput_rounds_per_min": [c.rnd(x, 1) for x in per_round],
        "throughput_batch": batch,
        "throughput_bot_cpu_ms_per_review": [c.rnd(x, 1) for x in bot_cpu],
        "throughput_fake_gerrit_cpu_ms_per_review": [c.rnd(x, 1) for x in fake_cpu],
        "throughput_poll_ms": [c.rnd(x) for x in poll_ms],
        "throughput_stage_mean_ms_per_round": round_stages,
        "throughput_reviewed": reviewed,
        "throughput_reviews_on_gerrit": posted,
        "throughput_statuses": statuses,
        "throughput_all_posted": statuses.get(JobStatus.POSTED.value, 0) == reviewed == posted,
        "throughput_worker_threads": config.worker.threads,
        "throughput_store": "sqlite",
        "bars": {"throughput_per_min": ">= 1000"},
    }


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=200, help="patch sets per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    c.setup_logging()
    batch, rounds = (8, 1) if args.quick else (args.batch, args.rounds)
    result = run(batch, rounds, 20.0 if args.quick else args.max_seconds, not args.stock_fake)
    result["quick"] = args.quick
    c.emit("throughput", result, args.out)


if __name__ == "__main__":
    main()
