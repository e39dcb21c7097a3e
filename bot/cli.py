"""``security-bot``: run the daemon, review one patch set, analyse files, run the demo, list rules.

Exit status: 0 success (``analyze``: no findings), 1 findings / demo samples wrong,
2 usage or configuration error or anything that stopped the command.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot import __version__, analyze
from bot.analysis import all_rules, cwe_name, pillars
from bot.analysis.codes import code_for
from bot.config import Config, ConfigError, load_config

if TYPE_CHECKING:  # imported where used: `analyze` and `rules` start without the store
    from bot.gerrit.models import ChangeInfo
    from bot.review.pipeline import Outcome
    from bot.store import JobSpec

log = logging.getLogger("bot.cli")

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


# -- run / review ---------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    config = _config(args)
    _setup_logging(config.logging.level)
    if not config.gerrit.configured:
        log.info("no gerrit.url configured: starting the demo against the embedded fake Gerrit")
        from bot import demo

        return demo.run_forever(
            dashboard_port=config.dashboard.port if config.dashboard.enabled else None
        )
    from bot.service import Service, StartupError
    from bot.store import Store
    from bot.store.outage import DatabaseAway, wait_for_database

    try:  # a database restarting, or not up yet, is waited for (one log line)
        store = wait_for_database(
            lambda: Store(config.store.url), patience=config.store.startup_wait
        )
    except DatabaseAway as exc:
        raise StartupError(str(exc)) from None
    service = Service(config, store=store)
    service.check_gerrit()
    service.start()
    server = (
        start_dashboard(config, service.store, service=service)
        if config.dashboard.enabled
        else None
    )
    try:
        _wait_for_signal()
    finally:
        log.info("stopping")
        if server is not None:
            server.stop()
        service.close()
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    config = _config(args)
    _setup_logging(config.logging.level)
    from bot.service import Service
    from bot.store import JobStatus
    from bot.worker import JobTaken

    change_text, _, ps_text = args.change.partition(",")
    try:
        change = int(change_text)
        patchset = int(ps_text) if ps_text else None
    except ValueError:
        print(
            f"security-bot: expected CHANGE or CHANGE,PATCHSET, got {args.change!r}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    service = Service(config)
    try:
        service.check_gerrit()
        spec = _review_spec(service.source.change(change, patchset=patchset), patchset)
        if isinstance(spec, str):
            print(f"security-bot: {spec}", file=sys.stderr)
            return EXIT_ERROR
        worker = service.workers[0]
        try:
            if args.dry_run:
                return _print_dry_run(worker.dry_run(spec))
            done = worker.review_now(spec)
        except JobTaken:
            print(
                "security-bot: could not claim the review job (another worker took it first); "
                "it stays with the running bot",
                file=sys.stderr,
            )
            return EXIT_ERROR
        print(
            f"change {change} patch set {spec.patchset}: {done.status.value}"
            f"{': ' + done.reason if done.reason else ''}"
        )
        return EXIT_OK if done.status in (JobStatus.POSTED, JobStatus.CARRIED) else EXIT_ERROR
    finally:
        service.close()


def _review_spec(change: ChangeInfo, patchset: int | None) -> JobSpec | str:
    """The job ``security-bot review`` asks for, or why there is none."""
    from bot.store import JobKind, JobSpec, manual_key

    by_number = {r.number: sha for sha, r in change.revisions.items() if isinstance(r.number, int)}
    patchset = patchset or max(by_number)
    if patchset not in by_number:
        return f"change {change.number} has no patch set {patchset}"
    return JobSpec(
        trigger_key=manual_key(),
        kind=JobKind.RERUN,
        project=change.project,
        change=change.number,
        patchset=patchset,
        revision=by_number[patchset],
        subject=change.subject,
        requested_by="security-bot review (command line)",
    )


def _print_dry_run(outcome: Outcome) -> int:
    if outcome.rendered is None:
        print(f"not reviewed: {outcome.reason}")
        return EXIT_OK
    print(outcome.rendered.message)
    for path, comments in outcome.rendered.comments.items():
        for c in comments:
            print(f"\n--- inline comment on {path} line {c['line']} ---\n{c['message']}")
    return EXIT_OK


# -- dashboard ----------------------------------------------------------------------------------


def _health_provider(service: Any) -> Callable[[], dict[str, Any]]:
    def health() -> dict[str, Any]:
        return {**dataclasses.asdict(service.health), "scheduler_alive": service.scheduler_alive}

    return health


def start_dashboard(
    config: Config,
    store: Any,
    *,
    service: Any = None,
    host: str | None = None,
    port: int | None = None,
) -> Any:
    """Serve the dashboard over ``store`` in a background thread; returns the server."""
    from bot.dashboard import create_app, serve

    if host:  # the Host allow list defaults to the address really bound
        config = config.replace(dashboard=dataclasses.replace(config.dashboard, host=host))
    app = create_app(store, config, health=_health_provider(service) if service else None)
    server = serve(
        app, host or config.dashboard.host, config.dashboard.port if port is None else port
    )
    log.info("dashboard on %s", server.url)
    return server


def _wait_for_signal() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def cmd_dashboard(args: argparse.Namespace) -> int:
    config = _config(args)
    _setup_logging(config.logging.level)
    from bot.store import Store

    store = Store(config.store.url)
    server = start_dashboard(config, store, host=args.host, port=args.port)
    print(f"dashboard: {server.url}", flush=True)
    try:
        _wait_for_signal()
    finally:
        server.stop()
        store.close()
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    config = _config(args)
    _setup_logging(config.logging.level)
    from bot.store.migrate import migrate_command

    print(migrate_command(args.url or config.store.url, revision=args.to, show=args.show))
    return EXIT_OK


def cmd_prune(args: argparse.Namespace) -> int:
    """One retention pass now (``security-bot run`` schedules them itself)."""
    config = _config(args)
    _setup_logging(config.logging.level)
    from bot.store import Store, retention

    days = config.store.retention_days if args.days is None else args.days
    if days < 0 or (args.batch_size is not None and args.batch_size <= 0):
        print(
            "security-bot prune: --days must be 0 or more, --batch-size more than 0",
            file=sys.stderr,
        )
        return EXIT_ERROR
    store = Store(config.store.url)
    try:
        before = retention.store_size(store)
        result = retention.prune(
            store,
            days,
            batch_size=args.batch_size or config.store.retention_batch_size,
            full=args.full,
        )
        if args.vacuum:
            retention.compact(store)
        after = retention.store_size(store)
    finally:
        store.close()
    if args.json:
        out = {
            **result.as_dict(),
            "size_before": dataclasses.asdict(before),
            "size_after": dataclasses.asdict(after),
        }
        print(json.dumps(out, sort_keys=True))
    else:
        print(result.summary())
        print(
            f"store: {before.used_bytes / 2**20:.1f} MiB in use before, "
            f"{after.used_bytes / 2**20:.1f} MiB after; {after.file_bytes / 2**20:.1f} MiB "
            + ("on disk after compaction" if args.vacuum else "on disk (--vacuum compacts)")
        )
    return EXIT_OK


# -- rules / demo -----------------------------------------------------------------------------


def cmd_rules(args: argparse.Namespace) -> int:
    rows = []
    for rule in all_rules():
        rows.append(
            {
                "id": rule.id,
                "code": code_for(rule.id),
                "title": rule.title,
                "cwe": f"CWE-{rule.cwe}",
                "cwe_name": cwe_name(rule.cwe),
                "pillars": [f"CWE-{p}" for p in pillars(rule.cwe)],
                "severity_test": rule.severity_test.value,
                "severity_other": rule.severity_other.value,
                "bandit_ids": list(rule.bandit_ids),
            }
        )
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    elif args.format == "markdown":
        print("| rule | code | CWE | pillar | severity (tests / other) | what it finds |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| `{r['id']}` | `{r['code']}` | {r['cwe']} {r['cwe_name']} | "
                f"{', '.join(r['pillars'])} | "
                f"{r['severity_test']} / {r['severity_other']} | {r['title']} |"
            )
    else:
        for r in rows:
            print(
                f"{r['id']:<32} {r['code']:<7} {r['cwe']:<9} {','.join(r['pillars']):<10} "
                f"{r['severity_test']}/{r['severity_other']:<7} {r['title']}"
            )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from bot import demo

    if args.once:
        logging.basicConfig(
            level=logging.WARNING if args.json else logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        return demo.run_once(as_json=args.json)
    _setup_logging("INFO")
    return demo.run_forever(dashboard_port=args.dashboard_port)


# -- entry point --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="security-bot", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config",
        default=os.environ.get("SECURITY_BOT_CONFIG"),
        help="configuration file (default: $SECURITY_BOT_CONFIG or the shipped bot.toml)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run the bot (the demo when no Gerrit is configured)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("review", help="review one patch set now")
    p.add_argument("change", metavar="CHANGE[,PS]")
    p.add_argument("--dry-run", action="store_true", help="print the review instead of posting it")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("analyze", help="analyse local files or directories, like a linter")
    analyze.add_arguments(p)
    p.set_defaults(func=lambda a: analyze.run(a, _config(a)))

    p = sub.add_parser(
        "demo", help="run the bot against the embedded fake Gerrit with sample changes"
    )
    p.add_argument("--once", action="store_true", help="process the samples, print a summary, exit")
    p.add_argument("--json", action="store_true", help="with --once: print the summary as JSON")
    p.add_argument(
        "--dashboard-port",
        type=int,
        default=None,
        help="serve the dashboard on 127.0.0.1:PORT (default 8080; 0 picks a free port)",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("migrate", help="bring the store's schema up to date (run does it too)")
    p.add_argument("--to", default="head", metavar="REVISION")
    p.add_argument("--show", action="store_true", help="print the current and head revisions only")
    p.add_argument("--url", default=None, help="another database than store.url")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("prune", help="run one retention pass now: prune the details of old jobs")
    p.add_argument(
        "--days",
        type=int,
        default=None,
        help="prune jobs finished more than DAYS ago (default: store.retention_days)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="look at every job, not only those past the last pass's high-water mark",
    )
    p.add_argument("--batch-size", type=int, default=None, help="jobs per transaction")
    p.add_argument(
        "--vacuum",
        action="store_true",
        help="compact the database afterwards (SQLite: stop the bot first)",
    )
    p.add_argument("--json", action="store_true", help="print the result as one JSON line")
    p.set_defaults(func=cmd_prune)

    p = sub.add_parser("dashboard", help="serve the admin dashboard over the store")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser("rules", help="list the rule catalogue")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.set_defaults(func=cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"security-bot: configuration error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as exc:
        from bot.service import StartupError

        if isinstance(exc, StartupError):
            print(f"security-bot: {exc}", file=sys.stderr)
            return EXIT_ERROR
        raise


if __name__ == "__main__":
    sys.exit(main())
