"""Review latency: from a patch set appearing on the fake Gerrit to its review posted.

Each iteration uploads a typical change (three test files, about a hundred changed lines)
to the fake Gerrit, then — instead of waiting for the poll interval — triggers one poll
directly and lets a worker run the job to its end (review posted on Gerrit and recorded
in the store). The clock runs from just before the poll to the worker's return.

Break-down per review: ``poll`` (the query that finds the patch set and the enqueue),
the pipeline's own stage timings ``query``, ``fetch``, ``settings`` (the project's own
settings from the target branch), ``diff``, ``model`` (the project model of the revision),
``analysis``, ``render``, ``post``, and ``store`` (claiming the job plus recording the
review and findings: the worker's wall time less the pipeline's stages).

The first iterations warm the mirror (the first fetch of a project copies its history)
and are reported separately, not in the percentiles.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c

STAGES = (
    "poll",
    "query",
    "fetch",
    "settings",
    "diff",
    "model",
    "analysis",
    "render",
    "post",
    "store",
)


def run(iterations: int, warmup: int, max_seconds: float, nodelay: bool) -> dict[str, Any]:
    from bot.service import Service
    from bot.store import JobStatus

    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            fake.create_project(c.PROJECT, c.base_files())
            outcomes: list[Any] = []
            service = Service(
                c.bot_config(fake.url, root / "state"),
                on_outcome=lambda job, outcome: outcomes.append(outcome),
            )
            worker = service.workers[0]
            samples: list[dict[str, float]] = []
            warm: list[float] = []
            statuses: list[str] = []
            changes: list[int] = []
            try:
                with c.deadline(max_seconds) as expired:
                    for i in range(warmup + iterations):
                        if expired():
                            c.progress(f"latency: time bound reached after {i} iterations")
                            break
                        changes.append(
                            fake.create_change(c.PROJECT, c.typical_change(i), f"Typical {i}")
                        )
                        outcomes.clear()
                        t0 = time.perf_counter()
                        service.poller.poll_once()
                        t1 = time.perf_counter()
                        done = worker.drain()
                        t2 = time.perf_counter()
                        if done != 1 or len(outcomes) != 1:
                            raise RuntimeError(f"expected one job, ran {done}")
                        outcome = outcomes[0]
                        statuses.append(outcome.status.value)
                        total = (t2 - t0) * 1000
                        if i < warmup:
                            warm.append(total)
                            continue
                        timings = dict(outcome.review.timings) if outcome.review else {}
                        sample = {k: float(timings.get(k, 0.0)) for k in STAGES[1:-1]}
                        sample["poll"] = (t1 - t0) * 1000
                        sample["store"] = max(0.0, (t2 - t1) * 1000 - sum(timings.values()))
                        sample["total"] = total
                        samples.append(sample)
                posted_on_gerrit = fake.review_count(changes)
            finally:
                service.close()
    if not samples:
        raise RuntimeError("no latency sample was taken")
    totals = [s["total"] for s in samples]
    breakdown = {
        k: {
            "p50_ms": c.rnd(c.percentile([s[k] for s in samples], 50)),
            "p95_ms": c.rnd(c.percentile([s[k] for s in samples], 95)),
            "mean_ms": c.rnd(sum(s[k] for s in samples) / len(samples)),
        }
        for k in (*STAGES, "total")
    }
    return {
        "latency_p50_ms": c.rnd(c.percentile(totals, 50)),
        "latency_p95_ms": c.rnd(c.percentile(totals, 95)),
        "latency_max_ms": c.rnd(max(totals)),
        "latency_breakdown": breakdown,
        "latency_samples": len(samples),
        "latency_warmup_ms": [c.rnd(w) for w in warm],
        "latency_changed_lines": c.changed_line_count(c.typical_change(0)),
        "latency_statuses": sorted(set(statuses)),
        "latency_reviews_posted": posted_on_gerrit,
        "latency_all_posted": statuses.count(JobStatus.POSTED.value) == len(statuses)
        and posted_on_gerrit == len(changes),
        "bars": {"latency_p50_ms": "<= 300", "latency_p95_ms": "<= 1000"},
    }


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    c.setup_logging()
    iterations = 4 if args.quick else args.iterations
    warmup = 1 if args.quick else args.warmup
    result = run(iterations, warmup, 20.0 if args.quick else args.max_seconds, not args.stock_fake)
    result["quick"] = args.quick
    result["latency_fake_nodelay"] = not args.stock_fake
    c.emit("latency", result, args.out)


if __name__ == "__main__":
    main()
