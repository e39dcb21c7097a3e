"""The composition root: the bot assembled from its configuration, run on APScheduler.

:class:`Service` builds every part once (the Gerrit connection with its reader
and writer, the store, the mirrors, the pipeline, both triggers and the workers)
and hands each the parts it needs; nothing else constructs them. One interval
job polls for new patch sets, one for recheck requests, and one per worker drains
the queue. The store is the only shared state, so stopping (or killing) the
process at any point loses nothing: queued jobs stay queued and a claimed job's
lease runs out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from bot import metrics
from bot.config import Config
from bot.gerrit import client as gerrit_client
from bot.gerrit import error as gerrit_error
from bot.gerrit.account import AccountClient
from bot.gerrit.change import ChangeClient
from bot.gerrit.client import RetryPolicy
from bot.gerrit.group import GroupClient
from bot.gerrit.reporter import GerritReporter
from bot.gerrit.server import ServerClient
from bot.gerrit.source import GerritSource
from bot.review.pipeline import Outcome, ReviewPipeline
from bot.review.report import find_run_marker
from bot.review.suggestions import fix_form
from bot.scm import Mirrors
from bot.store import UNAVAILABLE, Job, Outage, Store, retention
from bot.triggers.patchsets import Poller, PollProgress
from bot.triggers.recheck import RecheckPoller
from bot.worker import Worker, make_worker_id

if TYPE_CHECKING:
    from bot.store.leader import PollerElection

log = logging.getLogger("bot.service")


class StartupError(RuntimeError):
    """The bot cannot start; ``str()`` is the one line to show the operator."""


@dataclass
class Health:
    """What the dashboard's /healthz and the overview show about the running bot."""

    started_at: datetime
    last_poll_ok: datetime | None = None
    last_poll_error: str = ""
    gerrit_version: str = ""
    credentials_ok: bool = True
    polling: bool = True  # False on a standby process while another one is the elected poller
    poll_progress: PollProgress = field(default_factory=PollProgress)  # the poller's own
    database_down_since: datetime | None = None  # set while the database does not answer


class Service:
    """The running bot: Gerrit reader and writer, store, mirrors, pipeline, triggers, workers.

    ``source`` (:class:`GerritSource`) and ``reporter`` (:class:`GerritReporter`) are
    the only ways to Gerrit; they replace the raw ``changes`` client earlier versions
    exposed. ``poller`` and ``recheck_poller`` are the two triggers.
    """

    def __init__(
        self,
        config: Config,
        *,
        on_outcome: Callable[[Job, Outcome], None] | None = None,
        store: Store | None = None,
    ) -> None:
        if not config.gerrit.url:
            raise StartupError("gerrit.url: not set (run `security-bot demo` to try the bot)")
        self.config = config
        gerrit = config.gerrit
        authenticated = gerrit.auth_type != "none"
        self.connection = gerrit_client.connect(
            gerrit.url,
            auth_type=gerrit.auth_type if authenticated else None,
            username=gerrit.username if authenticated else None,
            password=gerrit.password.reveal() if authenticated else None,
            timeout=gerrit.timeout,
            retry=RetryPolicy(
                max_attempts=gerrit.retry_attempts,
                backoff=gerrit.retry_backoff,
                cap=gerrit.retry_cap,
            ),
            deadline=gerrit.deadline,
            max_response_bytes=gerrit.max_response_bytes,
        )
        self.connection.on_error = metrics.record_gerrit_error
        changes = ChangeClient(self.connection)
        self.source = GerritSource(
            changes,
            AccountClient(self.connection),
            ServerClient(self.connection),
            gerrit=gerrit,
            poll=config.poll,
            groups=GroupClient(self.connection),
        )
        self.reporter = GerritReporter(
            changes,
            self.source,
            config.review,
            marker_of=find_run_marker,
            comment_size_limit=gerrit.comment_size_limit,
        )
        self.store = store or Store(config.store.url)
        self.mirrors = Mirrors(
            Path(config.scm.cache_dir),
            max_file_bytes=config.review.max_file_bytes,
            username=gerrit.username if authenticated else None,
            password=gerrit.password.reveal() if authenticated else None,
            timeout=config.scm.timeout,
            transport=config.scm.transport,
            first_fetch_depth=config.scm.first_fetch_depth or None,
            gerrit_url=gerrit.url or None,
        )
        self.pipeline = ReviewPipeline(config, self.source, self.reporter, self.mirrors, self.store)
        self.poller = Poller(self.source, self.store, config.poll, config.review)
        self.recheck_poller = RecheckPoller(
            self.source,
            self.store,
            config.poll,
            config.recheck,
            bot_username=gerrit.username,
        )
        base_id = make_worker_id()
        self.health = Health(started_at=datetime.now(UTC), poll_progress=self.poller.progress)
        # The database going away: one log line per outage, and /healthz says since when.
        self.outage = Outage(on_change=self._database_state)
        self.workers = [
            Worker(
                self.store,
                self.pipeline,
                config.worker,
                worker_id=f"{base_id}-{i}",
                on_outcome=on_outcome,
                in_flight_delay=2 * gerrit.timeout,
                on_credentials_rejected=self._credentials_rejected,
                outage=self.outage,
            )
            for i in range(config.worker.threads)
        ]
        # Decides whether this process polls; several processes sharing one database
        # replace it with a leader election so that only one of them queries Gerrit.
        self.poll_gate: Callable[[], bool] = lambda: True
        self.election: PollerElection | None = None
        if self.store.engine.dialect.name == "postgresql":
            from bot.store.leader import PollerElection  # needs psycopg (the postgres extra)

            self.election = PollerElection(self.store.url, outage=self.outage)
            self.poll_gate = self.election.is_leader
        self.scheduler: BackgroundScheduler | None = None
        # The first retention pass after start looks at every job (the later ones start
        # at the high-water mark): see bot.store.retention.
        self._full_prune = True
        self._stopping = threading.Event()  # ends a retention pass between two batches

    def _database_state(self, down_since: datetime | None) -> None:
        self.health.database_down_since = down_since

    def _credentials_rejected(self) -> None:
        self.health.credentials_ok = False
        self.health.last_poll_error = "Gerrit rejected the bot's credentials (HTTP 401)"

    # -- start-up checks ----------------------------------------------------------------------

    def check_gerrit(self) -> None:
        """Fail fast, with one clear line, when Gerrit cannot be reached or refuses us."""
        url = self.config.gerrit.url
        try:
            if self.config.gerrit.auth_type != "none":
                account = self.source.own_account()
                self.recheck_poller.bot_account_id = account.account_id
                log.info("authenticated to %s as %s", url, account.username or account.account_id)
            version = self.source.server_version()
        except gerrit_error.HTTPError as exc:
            status = getattr(exc, "status_code", None)
            if status == 401:
                raise StartupError(
                    f"Gerrit at {url} rejected the credentials of {self.config.gerrit.username!r} "
                    "(HTTP 401): check SECURITY_BOT_GERRIT_PASSWORD or gerrit.password_file"
                ) from None
            raise StartupError(f"Gerrit at {url} answered HTTP {status} at start-up") from None
        except (gerrit_error.ConnectionError, gerrit_error.Timeout) as exc:
            raise StartupError(f"Gerrit at {url} is unreachable: {exc}") from None
        except gerrit_error.GerritClientException as exc:
            raise StartupError(f"Gerrit at {url} gave an unusable answer: {exc}") from None
        self.health.gerrit_version = version
        log.info("Gerrit %s at %s", self.health.gerrit_version, url)
        # inline comments carry fixes as the server takes them (review.fixes)
        self.pipeline.renderer.fixes = fix_form(self.config.review.fixes, version)
        log.info("inline comments carry fixes as: %s", self.pipeline.renderer.fixes)
        if self.config.recheck.enabled and self.config.gerrit.auth_type != "none":
            self.recheck_poller.check_groups()  # one line per group the bot cannot see

    # -- scheduled work -----------------------------------------------------------------------

    def poll_safely(self) -> None:
        """The scheduled poll: one failed poll is logged and retried at the next interval."""
        self._guarded("poll", self.poller.poll_once)

    def recheck_poll_safely(self) -> None:
        """The scheduled search for recheck requests, guarded like the poll."""
        if self.config.recheck.enabled:
            self._guarded("recheck poll", self.recheck_poller.poll_once)

    def _guarded(self, name: str, poll: Callable[[], object]) -> None:
        self.health.polling = self.poll_gate()
        if not self.health.polling:
            return
        interval = self.config.poll.interval
        try:
            poll()
        except gerrit_error.HTTPError as exc:
            status = getattr(exc, "status_code", None)
            self.health.credentials_ok = status != 401
            self.health.last_poll_error = f"Gerrit answered HTTP {status}"
            log.error(
                "%s failed: Gerrit answered HTTP %s; next try in %.0f s", name, status, interval
            )
        except gerrit_error.GerritClientException as exc:
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.health.last_poll_error = text
            log.error("%s failed: %s; next try in %.0f s", name, text, interval)
        except UNAVAILABLE as exc:  # one line per outage, shared with the workers
            self.health.last_poll_error = "database unavailable"
            self.outage.failed(exc)
        except Exception:
            self.health.last_poll_error = "internal error"
            log.exception("%s failed with an internal error", name)
        else:
            self.outage.ok()
            self.health.last_poll_ok = datetime.now(UTC)
            self.health.last_poll_error = ""
            self.health.credentials_ok = True

    def prune_safely(self) -> retention.PruneResult | None:
        """The scheduled retention pass: a failure is logged, the next interval tries again."""
        store = self.config.store
        try:
            result = retention.prune(
                self.store,
                store.retention_days,
                batch_size=store.retention_batch_size,
                full=self._full_prune,
                stopping=self._stopping.is_set,
            )
        except UNAVAILABLE as exc:
            self.outage.failed(exc)
            return None
        except Exception:
            log.exception("retention pass failed with an internal error")
            return None
        if not result.skipped and not self._stopping.is_set():
            self._full_prune = False
        return result

    def start(self) -> None:
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        self._stopping.clear()
        threads = len(self.workers) + 4
        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(threads)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        for job_id, poll in (
            ("poll", self.poll_safely),
            ("recheck-poll", self.recheck_poll_safely),
        ):
            scheduler.add_job(
                poll,
                "interval",
                seconds=self.config.poll.interval,
                next_run_time=datetime.now(UTC),
                id=job_id,
            )
        for i, worker in enumerate(self.workers):
            scheduler.add_job(
                worker.drain,
                "interval",
                seconds=self.config.worker.idle_sleep,
                next_run_time=datetime.now(UTC),
                id=f"worker-{i}",
            )
        if self.config.store.retention_days > 0:
            scheduler.add_job(
                self.prune_safely,
                "interval",
                seconds=self.config.store.retention_interval_seconds,
                # a minute after start: polling and the workers get going first
                next_run_time=datetime.now(UTC) + timedelta(seconds=60),
                id="retention",
            )
        scheduler.start()
        self.scheduler = scheduler
        log.info(
            "bot started: polling every %.0f s with %d worker(s)",
            self.config.poll.interval,
            len(self.workers),
        )

    @property
    def scheduler_alive(self) -> bool:
        return self.scheduler is not None and self.scheduler.running

    def stop(self) -> None:
        self._stopping.set()
        for worker in self.workers:
            worker.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def close(self) -> None:
        self.stop()
        if self.election is not None:
            self.election.close()
        self.store.close()
