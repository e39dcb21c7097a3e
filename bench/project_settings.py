"""What reading a project's own settings from the target branch costs a review.

Two bots review typical changes (three test files, about a hundred changed lines) on one
fake Gerrit, each on its own project: A reads ``[security-bot]`` from its branch's
``setup.cfg`` (``project_settings.enabled = true``: one fetch of ``refs/heads/master``,
two blob reads on a cache miss, the parse cached by blob id), B does not. Reviews are
interleaved A, B, A, B… so the machine's noise falls on both alike; the figures are the
medians of each side, their ratio, and the median of A's own ``settings`` stage. The
first review of each side warms its mirror and is not counted.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c

SETTINGS = "[metadata]\nname = benchproject\n\n[security-bot]\nignore = GSB113\n"


def run(iterations: int, max_seconds: float, nodelay: bool) -> dict[str, Any]:
    from bot.service import Service

    sides = {"with": c.PROJECT, "without": c.PROJECT + "-nosettings"}
    with tempfile.TemporaryDirectory(prefix="bench-settings-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            services: dict[str, Any] = {}
            outcomes: dict[str, list[Any]] = {side: [] for side in sides}
            for side, project in sides.items():
                fake.create_project(project, {**c.base_files(), "setup.cfg": SETTINGS})
                services[side] = Service(
                    c.bot_config(
                        fake.url,
                        root / f"state-{side}",
                        poll={"projects": [project]},
                        project_settings={"enabled": side == "with"},
                    ),
                    on_outcome=lambda job, outcome, side=side: outcomes[side].append(outcome),
                )
            totals: dict[str, list[float]] = {side: [] for side in sides}
            stage: list[float] = []
            said = 0
            try:
                with c.deadline(max_seconds) as expired:
                    for i in range(iterations + 1):
                        if expired():
                            c.progress(f"project_settings: time bound after {i} rounds")
                            break
                        for side, project in sides.items():
                            fake.create_change(project, c.typical_change(i), f"Typical {i}")
                            outcomes[side].clear()
                            service = services[side]
                            t0 = time.perf_counter()
                            service.poller.poll_once()
                            if service.workers[0].drain() != 1 or len(outcomes[side]) != 1:
                                raise RuntimeError(f"{side}: expected one review")
                            elapsed = (time.perf_counter() - t0) * 1000
                            review = outcomes[side][0].review
                            if i == 0:
                                continue  # warms the mirror
                            totals[side].append(elapsed)
                            if side == "with":
                                stage.append(float(review.timings.get("settings", 0.0)))
                                said += "Project settings applied" in review.message
            finally:
                for service in services.values():
                    service.close()
    with_ms, without_ms = c.median(totals["with"]), c.median(totals["without"])
    return {
        "settings_review_p50_ms_with": c.rnd(with_ms),
        "settings_review_p50_ms_without": c.rnd(without_ms),
        "settings_review_ratio": c.rnd(with_ms / without_ms, 3),
        "settings_stage_p50_ms": c.rnd(c.median(stage)),
        "settings_stage_p95_ms": c.rnd(c.percentile(stage, 95)),
        "settings_reviews_per_side": len(stage),
        "settings_reviews_saying_so": said,
        "settings_rss_mb": c.rnd(c.rss_mb()),
    }


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=40)
    args = parser.parse_args()
    c.setup_logging()
    iterations = 3 if args.quick else args.iterations
    result = run(iterations, 30.0 if args.quick else args.max_seconds, not args.stock_fake)
    result["quick"] = args.quick
    c.emit("project_settings", result, args.out)


if __name__ == "__main__":
    main()
