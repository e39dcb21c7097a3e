"""Recheck poll cost: HTTP requests per search for ``recheck-security`` requests.

The ``comment:"recheck-security"`` query also matches every change the bot reviewed (each
summary names the keyword). With many such changes active in the poll window, this counts
the REST requests the fake Gerrit receives for one recheck poll, in the same run, for:

* **before**: the search as it was before the fix, emulated by a poller that forgets
  between polls and reads every candidate's messages and comments;
* **after**: the bot's :class:`~bot.triggers.recheck.RecheckPoller`, which reads a change
  again only when its ``updated`` moved, and its comments only after a person's reply.

Polls are measured idle (nothing new), with ``--requests`` new requests on as many
changes, and right after the bot answered them (its own reviews moved those changes).
"""

from __future__ import annotations

import collections
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import _common as c

from bot.demo.harness import drain

CLEAN = 'def test_ok():\n    """A clean test."""\n    assert 2 + 2 == 4\n'


def _as_before() -> Any:
    """A RecheckPoller that searches as before the fix (built on the real one)."""
    from bot.triggers.recheck import RecheckPoller

    class AsBefore(RecheckPoller):
        def poll_once(self) -> Any:
            self.forget()  # nothing remembered between polls
            return super().poll_once()

        def _read(self, change: Any, since: datetime, seen: Any, result: Any) -> Any:
            result.messages_read += 1
            result.comments_read += 1
            return (
                self.source.messages(change.project, change.number),
                self.source.patchset_comments(change.project, change.number),
                frozenset(),
            )

    return AsBefore


def _measure(fake: c.RemoteFake, poller: Any) -> dict[str, Any]:
    """One poll: its REST requests by kind, and how long it took."""
    fake.clear_requests()
    started = time.perf_counter()
    poller.poll_once()
    ms = (time.perf_counter() - started) * 1000.0
    kinds: collections.Counter[str] = collections.Counter()
    for method, path, git, _q in fake.request_paths():
        if git:
            continue
        if path.rstrip("/").endswith("/changes"):
            kinds["query"] += 1
        elif path.endswith("/messages"):
            kinds["messages"] += 1
        elif path.endswith("/comments"):
            kinds["comments"] += 1
        else:
            kinds[f"{method} other"] += 1
    return {"requests": sum(kinds.values()), "by_kind": dict(kinds), "ms": c.rnd(ms, 1)}


def run(changes: int, requests: int, idle_polls: int, nodelay: bool) -> dict[str, Any]:
    from bot.service import Service

    with tempfile.TemporaryDirectory(prefix="bench-recheck-") as tmp:
        root = Path(tmp)
        with c.RemoteFake(root / "gerrit", nodelay=nodelay) as fake:
            fake.create_project(c.PROJECT, c.base_files(4))
            config = c.bot_config(fake.url, root / "state")
            service = Service(config)
            try:
                service.check_gerrit()
                specs = [
                    (c.PROJECT, {f"benchproject/tests/test_r{i}.py": CLEAN}, f"Tests {i}")
                    for i in range(changes)
                ]
                numbers = fake.create_changes(specs)
                service.poller.poll_once()
                drain(service, 1800)
                reviewed = fake.review_count(numbers)
                after = service.recheck_poller
                old = after
                before = _as_before()(
                    old.source,
                    old.store,
                    old.poll,
                    old.config,
                    bot_username=old.bot_username,
                    bot_account_id=old.bot_account_id,
                )
                first = _measure(fake, after)  # nothing remembered yet: reads every change
                idle_before = [_measure(fake, before) for _ in range(idle_polls)]
                idle_after = [_measure(fake, after) for _ in range(idle_polls)]
                for n in numbers[:requests]:
                    fake.post_message(n, "recheck-security", author="bob")
                busy_after = _measure(fake, after)
                busy_before = _measure(fake, before)
                drain(service, 1800)  # the bot answers them: its reviews move those changes
                answered_after = _measure(fake, after)
                answered_before = _measure(fake, before)
            finally:
                service.close()
    pages = max(1, -(-changes // config.poll.page_size))

    def median(polls: list[dict[str, Any]]) -> float:
        return c.median([float(p["requests"]) for p in polls])

    return {
        "recheck_changes_reviewed": reviewed,
        "recheck_query_pages": pages,
        "recheck_new_requests": requests,
        "recheck_first_poll_requests": first["requests"],
        "recheck_idle_poll_requests_before": median(idle_before),
        "recheck_idle_poll_requests_after": median(idle_after),
        "recheck_idle_poll_extra_requests": median(idle_after) - pages,
        "recheck_poll_with_requests_before": busy_before["requests"],
        "recheck_poll_with_requests_after": busy_after["requests"],
        "recheck_poll_after_answers_before": answered_before["requests"],
        "recheck_poll_after_answers_after": answered_after["requests"],
        "recheck_idle_poll_ms_before": c.median([p["ms"] for p in idle_before]),
        "recheck_idle_poll_ms_after": c.median([p["ms"] for p in idle_after]),
        "recheck_polls": {
            "first": first,
            "idle_before": idle_before[0],
            "idle_after": idle_after[0],
            "with_requests_before": busy_before,
            "with_requests_after": busy_after,
            "after_answers_before": answered_before,
            "after_answers_after": answered_after,
        },
        "bars": {
            "recheck_idle_poll_extra_requests": "0 (an idle poll is its query pages alone)",
        },
    }


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200, help="changes the bot reviewed")
    parser.add_argument("--requests", type=int, default=5, help="new recheck requests")
    parser.add_argument("--polls", type=int, default=3, help="idle polls measured each way")
    args = parser.parse_args()
    c.setup_logging()
    changes, requests, polls = (
        (10, 2, 1) if args.quick else (args.changes, args.requests, args.polls)
    )
    result = run(changes, min(requests, changes), polls, not args.stock_fake)
    result["quick"] = args.quick
    c.emit("recheck_cost", result, args.out)


if __name__ == "__main__":
    main()
