"""The dashboard over a year of OpenStack: every page and JSON endpoint at a million jobs.

Builds a store of ``--jobs`` processed patch sets (default 1,000,000: about 80% with a
review, 10% of those with findings, the rest skipped or failed, a few still queued),
spread over the last 365 days, through the real schema: the database is migrated to
revision 0004 (``bot.store.migrate``, what ``security-bot migrate`` runs), loaded in bulk
(``executemany`` in large transactions on SQLite, ``COPY`` on PostgreSQL), then migrated
to head, as an operator's upgrade would, so every later revision's backfill runs over the
million rows too.  Then it times every GET route of the dashboard's blueprints through
Flask's test client (the change list first page, a deep page, each sort, a subject
search, each filter, one patch set's page, the rules, the overview, ``/metrics``,
``/healthz`` and the JSON twins), five requests each, and reports the worst.

The built store is kept (SQLite: ``bench/.cache/dashboard_<N>.db``; PostgreSQL: the
database ``security_bot_bench_dashboard_<N>`` on the test server) and reused while the
generator's version, the job count and the migration scripts match.  The loaded data
before the upgrade is kept as well (``…_load…``), so a changed migration costs only the
upgrade, not the load.  ``--rebuild`` loads everything again.

    python bench/dashboard_1m.py                        # both backends, 1,000,000 jobs
    python bench/dashboard_1m.py --db sqlite --jobs 100000
    python bench/dashboard_1m.py --quick                # 20,000 jobs, a smoke run

Writes ``bench/results/dashboard_1m.json`` and, for a full million, merges
``dashboard_worst_ms_1m_sqlite`` / ``dashboard_worst_ms_1m_postgres`` into
``bench/results.json``.  Exits 1 when a page's worst time is over the bar (200 ms).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import _common as c
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import text

from bot.analysis import all_rules
from bot.config import Config, DashboardConfig, GerritConfig, PollConfig
from bot.dashboard import create_app
from bot.demo.scratch import admin_url
from bot.store import Store
from bot.store import migrate as store_migrate
from bot.store.db import create_engine

BAR_MS = 200.0
#: Bump when the generated data changes, so cached stores are rebuilt.
GENERATOR_VERSION = 1
#: The revision the data is loaded at (then migrated to head).
LOAD_REVISION = "0004_file_summaries"
MARKER = "bench:dashboard_1m"
CHUNK = 20_000
SEARCH = "Fix race condition"

PROJECTS = [
    "openstack/nova", "openstack/neutron", "openstack/cinder", "openstack/keystone",
    "openstack/glance", "openstack/swift", "openstack/horizon", "openstack/heat",
    "openstack/ironic", "openstack/octavia", "openstack/manila", "openstack/designate",
    "openstack/barbican", "openstack/placement", "openstack/tempest", "openstack/kolla",
    "openstack/kolla-ansible", "openstack/openstack-ansible", "openstack/magnum",
    "openstack/zun", "openstack/trove", "openstack/watcher", "openstack/masakari",
    "openstack/cyborg", "openstack/blazar", "openstack/aodh", "openstack/ceilometer",
    "openstack/oslo.config", "openstack/oslo.messaging", "openstack/oslo.db",
    "openstack/python-novaclient", "openstack/python-openstackclient",
    "openstack/openstacksdk", "openstack/requirements", "openstack/devstack",
    "openstack/neutron-lib", "openstack/os-vif", "openstack/os-brick",
    "openstack/ovn-octavia-provider", "openstack/networking-ovn",
]  # fmt: skip
VERBS = ["Fix", "Add", "Remove", "Refactor", "Update", "Use", "Drop", "Support", "Handle",
         "Avoid", "Move", "Test"]  # fmt: skip
THINGS = [
    "race condition", "unit tests", "functional tests", "volume attach", "port binding",
    "config option", "policy defaults", "RBAC rules", "database migration", "API microversion",
    "resource tracker", "quota usage", "live migration", "instance resize", "image cache",
    "keystone auth", "token expiry", "DHCP agent", "router HA", "security groups",
    "floating IPs", "metadata service", "placement allocations", "NUMA topology",
    "PCI passthrough", "vGPU support", "serial console", "rescue mode", "shelve offload",
    "cell mapping", "scheduler filters", "weigher", "host aggregate", "availability zone",
    "snapshot cleanup", "backup driver", "multiattach", "encryption keys", "TLS settings",
    "deprecation warning",
]  # fmt: skip
COMPONENTS = ["the scheduler", "the compute manager", "the API", "the driver", "the agent",
              "the client", "the conductor", "the DB layer", "the tests", "the docs",
              "the CLI", "the SDK", "devstack", "the gate", "the fixtures"]  # fmt: skip
FIRST = [
    "Alice",
    "Bob",
    "Chen",
    "Dmitri",
    "Elena",
    "Farid",
    "Gita",
    "Hiro",
    "Ines",
    "Jonas",
    "Kasia",
    "Liam",
    "Maya",
    "Noor",
    "Oleg",
    "Priya",
    "Quinn",
    "Rafael",
    "Sofia",
    "Tariq",
]
LAST = ["Smith", "Wang", "Ivanova", "Kumar", "Garcia", "Sato", "Müller", "Rossi", "Novak",
        "Okafor", "Larsen", "Dubois", "Silva", "Kowalski", "Haddad"]  # fmt: skip

JOB_COLUMNS = (
    "id", "trigger_key", "kind", "project", "change", "patchset", "revision", "subject",
    "owner", "branch", "requested_by", "status", "reason", "reply", "attempts", "run_marker",
    "lease_owner", "lease_expires", "not_before", "created_at", "updated_at", "uploaded_at",
    "finished_at",
)  # fmt: skip
REVIEW_COLUMNS = (
    "id", "job_id", "project", "change", "patchset", "verdict", "message", "comments",
    "carried_from", "files_analysed", "lines_changed", "rules_run", "duration_ms", "timings",
    "errors", "finding_count", "suppressed_count", "posted_at", "run_marker",
)  # fmt: skip
FINDING_COLUMNS = (
    "id", "review_id", "rule", "cwe", "cwe_name", "pillars", "severity", "confidence", "path",
    "line", "end_line", "message", "recommendation", "code", "fingerprint", "function",
    "title", "suppressed", "posted_inline", "nosec_comment",
)  # fmt: skip
EVENT_COLUMNS = ("id", "job_id", "at", "event", "detail")

CLEAN = "No security defects are detected in the code."


# --------------------------------------------------------------------------- the data


class Generator:
    """Deterministic rows for ``n`` jobs, in id order, in chunks (bounded memory)."""

    def __init__(self, n: int, now: datetime) -> None:
        self.n = n
        self.rng = random.Random(20261202)
        self.start = now - timedelta(days=365)
        self.step = (now - timedelta(hours=1) - self.start) / max(1, n)
        self.rules = [(r.id, r.cwe, r.cwe_name, list(r.pillars), r.title) for r in all_rules()]
        weights = [1 / (i + 1) for i in range(len(PROJECTS))]
        self.project_weights = [w / sum(weights) for w in weights]
        self.owners = [f"{f} {la}" for f in FIRST for la in LAST]
        self.review_id = 0
        self.finding_id = 0
        self.event_id = 0
        self.change = 700_000
        self.patchset = 0
        self.patchsets_left = 0
        self.change_project = PROJECTS[0]
        self.change_subject = ""
        self.change_owner = ""

    def _next_patchset(self) -> tuple[str, int, int, str, str]:
        if self.patchsets_left == 0:
            self.change += 1
            self.patchset = 0
            self.patchsets_left = self.rng.choice((1, 1, 2, 2, 3, 4, 6))
            self.change_project = self.rng.choices(PROJECTS, self.project_weights)[0]
            self.change_subject = (
                f"{self.rng.choice(VERBS)} {self.rng.choice(THINGS)} in "
                f"{self.rng.choice(COMPONENTS)}"
            )
            self.change_owner = self.rng.choice(self.owners)
        self.patchset += 1
        self.patchsets_left -= 1
        return (
            self.change_project,
            self.change,
            self.patchset,
            self.change_subject,
            self.change_owner,
        )

    def chunks(self) -> Iterator[tuple[list[tuple[Any, ...]], ...]]:
        jobs: list[tuple[Any, ...]] = []
        reviews: list[tuple[Any, ...]] = []
        findings: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        rng = self.rng
        for job_id in range(1, self.n + 1):
            project, change, ps, subject, owner = self._next_patchset()
            created = self.start + self.step * job_id
            uploaded = created - timedelta(seconds=rng.uniform(5, 90))
            queued_left = self.n - job_id < 20  # the newest few are still in the queue
            roll = rng.random()
            if queued_left:
                status = "pending"
            elif roll < 0.80:
                status = "carried" if rng.random() < 0.08 else "posted"
            elif roll < 0.95:
                status = "skipped"
            else:
                status = "failed"
            kind = "new"
            requested_by = ""
            if status != "pending" and rng.random() < 0.03:
                kind, requested_by = "recheck", rng.choice(self.owners)
            trigger = (
                f"ps:{project}:{change}:{ps}"
                if kind == "new"
                else f"recheck:{change}:{uuid.UUID(int=rng.getrandbits(128)).hex}"
            )
            finished = (
                None if status == "pending" else created + timedelta(seconds=rng.uniform(2, 40))
            )
            reason = {
                "skipped": "no Python test file changed",
                "failed": "gave up after 5 attempts: Gerrit answered 503",
            }.get(status, "")
            jobs.append(
                (
                    job_id, trigger, kind, project, change, ps, f"{rng.getrandbits(160):040x}",
                    subject, owner, "master", requested_by, status, reason, "",
                    0 if status == "pending" else 1, uuid.uuid4().hex, None, None, None,
                    created, finished or created, uploaded, finished,
                )
            )  # fmt: skip
            events.append(self._event(job_id, created, "enqueued", f"kind={kind}"))
            if status in ("posted", "carried"):
                assert finished is not None
                reviews_row, finding_rows = self._review(
                    job_id, project, change, ps, status, finished
                )
                reviews.append(reviews_row)
                findings.extend(finding_rows)
            if finished is not None:
                events.append(self._event(job_id, finished, status, reason))
            if len(jobs) >= CHUNK:
                yield jobs, reviews, findings, events
                jobs, reviews, findings, events = [], [], [], []
        if jobs:
            yield jobs, reviews, findings, events

    def _event(self, job_id: int, at: datetime, event: str, detail: str) -> tuple[Any, ...]:
        self.event_id += 1
        return (self.event_id, job_id, at, event, detail)

    def _review(
        self, job_id: int, project: str, change: int, ps: int, status: str, at: datetime
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        rng = self.rng
        self.review_id += 1
        review_id = self.review_id
        carried = status == "carried"
        defects = not carried and rng.random() < 0.10
        found: list[tuple[Any, ...]] = []
        comments: dict[str, list[dict[str, Any]]] = {}
        lines = ["Security review (bot)", ""]
        if defects:
            for _ in range(rng.choice((1, 1, 2, 2, 3, 5))):
                rule, cwe, cwe_name, pillars, title = rng.choice(self.rules)
                module = rng.choice(THINGS).split()[0].lower()
                path = f"{project.split('/')[1]}/tests/unit/test_{module}.py"
                line = rng.randint(10, 900)
                self.finding_id += 1
                suppressed = rng.random() < 0.1
                message = f"{title}: the value reaches a shell or a mock assertion unchecked."
                found.append(
                    (
                        self.finding_id, review_id, rule, cwe, cwe_name, json.dumps(pillars),
                        "medium", "high", path, line, line, message,
                        "Pass the arguments as a list and keep shell=False.",
                        "    subprocess.call('ls %s' % name, shell=True)",
                        f"{rule}:{path}:{rng.getrandbits(64):016x}", f"test_case_{line}",
                        title, suppressed, not suppressed, "# nosec" if suppressed else "",
                    )
                )  # fmt: skip
                if not suppressed:
                    comments.setdefault(path, []).append(
                        {"line": line, "message": f"**{title}** (CWE-{cwe})\n\n{message}"}
                    )
                    lines.append(f"* `{path}:{line}` {title} (CWE-{cwe})")
        verdict = "defects" if any(not f[17] for f in found) else "clean"
        message = "" if carried else ("\n".join(lines) if verdict == "defects" else CLEAN)
        hits = sum(1 for f in found if not f[17])
        row = (
            review_id, job_id, project, change, ps, verdict, message, json.dumps(comments),
            ps - 1 if carried and ps > 1 else None, rng.randint(1, 6), rng.randint(5, 400),
            40, round(rng.uniform(40, 900), 1),
            json.dumps({"fetch": 80.0, "analyse": 12.0, "post": 4.0}), "[]", hits,
            len(found) - hits, at, uuid.uuid4().hex,
        )  # fmt: skip
        return row, found


# --------------------------------------------------------------------------- building


def _migrations_hash() -> str:
    """The migration scripts' digest: a store migrated by other scripts is migrated again."""
    digest = hashlib.sha256()
    versions = Path(store_migrate.__file__).parent / "migrations" / "versions"
    for script in sorted(versions.glob("*.py")):
        digest.update(script.name.encode() + b"\0" + script.read_bytes())
    return digest.hexdigest()[:16]


def _marker(n: int) -> str:
    return f"{n}:{GENERATOR_VERSION}:{_migrations_hash()}"


def _built(url: str, n: int) -> bool:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            value = conn.execute(
                text("SELECT value FROM poll_cursors WHERE name = :n"), {"n": MARKER}
            ).scalar_one_or_none()
        return value == _marker(n)
    except Exception:
        return False
    finally:
        engine.dispose()


def _sqlite_load(path: Path, gen: Generator) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")

    def ts(value: datetime | None) -> str | None:
        return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")

    def insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in columns)
        quoted = ", ".join(f'"{col}"' for col in columns)
        conn.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)

    done = 0
    for jobs, reviews, findings, events in gen.chunks():
        conn.execute("BEGIN")
        insert("jobs", JOB_COLUMNS, [_dates(r, ts) for r in jobs])
        insert("reviews", REVIEW_COLUMNS, [_dates(r, ts) for r in reviews])
        insert("findings", FINDING_COLUMNS, findings)
        insert("job_events", EVENT_COLUMNS, [_dates(r, ts) for r in events])
        conn.execute("COMMIT")
        done += len(jobs)
        if done % 200_000 < CHUNK:
            c.progress(f"dashboard: sqlite: {done:,} jobs loaded")
    conn.close()


def _dates(row: tuple[Any, ...], ts: Callable[[datetime | None], Any]) -> tuple[Any, ...]:
    return tuple(ts(v) if isinstance(v, datetime) else v for v in row)


def _pg_load(url: str, gen: Generator) -> None:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    done = 0
    with psycopg.connect(dsn) as conn:
        for jobs, reviews, findings, events in gen.chunks():
            with conn.cursor() as cur:
                for table, columns, rows in (
                    ("jobs", JOB_COLUMNS, jobs),
                    ("reviews", REVIEW_COLUMNS, reviews),
                    ("findings", FINDING_COLUMNS, findings),
                    ("job_events", EVENT_COLUMNS, events),
                ):
                    quoted = ", ".join(f'"{col}"' for col in columns)
                    with cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            conn.commit()
            done += len(jobs)
            if done % 200_000 < CHUNK:
                c.progress(f"dashboard: postgres: {done:,} jobs loaded")
        with conn.cursor() as cur:
            for table in ("jobs", "reviews", "findings", "job_events"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        conn.commit()


def _migrate(url: str, revision: str) -> float:
    started = time.perf_counter()
    line = store_migrate.migrate_command(url, revision=revision)
    c.progress(f"dashboard: migrate: {line}")
    return time.perf_counter() - started


def _mark(url: str, marker: str) -> None:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM poll_cursors WHERE name = :n"), {"n": MARKER})
            conn.execute(
                text("INSERT INTO poll_cursors (name, value, updated_at) VALUES (:n, :v, :t)"),
                {"n": MARKER, "v": marker, "t": datetime.now(UTC).replace(tzinfo=None)},
            )
    finally:
        engine.dispose()


def build_sqlite(n: int, rebuild: bool) -> tuple[str, dict[str, Any]]:
    c.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = c.CACHE_DIR / f"dashboard_{n}.db"
    loaded = c.CACHE_DIR / f"dashboard_{n}_load_v{GENERATOR_VERSION}.db"
    url = f"sqlite:///{path}"
    info: dict[str, Any] = {"store": str(path.relative_to(c.BENCH_DIR.parent))}
    if not rebuild and path.exists() and _built(url, n):
        info["reused"] = "the migrated store"
        return url, info
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    if rebuild or not loaded.exists():
        for leftover in loaded.parent.glob(loaded.name + "*"):
            leftover.unlink()
        started = time.perf_counter()
        _migrate(f"sqlite:///{loaded}", LOAD_REVISION)
        _sqlite_load(loaded, Generator(n, datetime.now(UTC)))
        info["load_s"] = round(time.perf_counter() - started, 1)
        info["reused"] = False
    else:
        info["reused"] = "the loaded data (migrated again)"
    shutil.copyfile(loaded, path)
    marker = _marker(n)  # the scripts as they are now, before they run
    info["migrate_s"] = round(_migrate(url, "head"), 1)
    _mark(url, marker)
    return url, info


def _pg_exists(conn: Any, name: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    return found.first() is not None


def build_postgres(n: int, rebuild: bool) -> tuple[str, dict[str, Any]]:
    server = admin_url()
    name = f"security_bot_bench_dashboard_{n}"
    loaded = f"{name}_load_v{GENERATOR_VERSION}"
    url = server.set(database=name).render_as_string(hide_password=False)
    loaded_url = server.set(database=loaded).render_as_string(hide_password=False)
    info: dict[str, Any] = {"database": name}
    admin = sa_create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not rebuild and _pg_exists(conn, name) and _built(url, n):
                info["reused"] = "the migrated store"
                return url, info
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if rebuild or not _pg_exists(conn, loaded):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{loaded}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{loaded}"'))
                started = time.perf_counter()
                _migrate(loaded_url, LOAD_REVISION)
                _pg_load(loaded_url, Generator(n, datetime.now(UTC)))
                info["load_s"] = round(time.perf_counter() - started, 1)
                info["reused"] = False
            else:
                info["reused"] = "the loaded data (migrated again)"
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{loaded}"'))
    finally:
        admin.dispose()
    marker = _marker(n)  # the scripts as they are now, before they run
    info["migrate_s"] = round(_migrate(url, "head"), 1)
    _mark(url, marker)
    # What autovacuum does on its own after a bulk load: statistics and the visibility map.
    engine = sa_create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    return url, info


def store_bytes(store: Store) -> int:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "postgresql":
            return int(
                conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            )
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
        size = conn.execute(text("PRAGMA page_size")).scalar_one()
        return int(pages) * int(size)


# --------------------------------------------------------------------------- timing


def routes(app: Any) -> list[str]:
    """Every GET route of the dashboard's blueprints (static files aside)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint != "static"
    )


def pages(store: Store, app: Any) -> dict[str, str]:
    """The pages to time: every route, the change list in each of its shapes."""
    with store.engine.connect() as conn:
        detail = conn.execute(
            text("SELECT job_id FROM reviews WHERE finding_count > 0 ORDER BY id DESC LIMIT 1")
        ).scalar_one()
        middle = conn.execute(text("SELECT max(id) / 2 FROM jobs")).scalar_one()
        small = conn.execute(
            text("SELECT project FROM jobs WHERE project = 'openstack/masakari' LIMIT 1")
        ).scalar_one_or_none()
    out = {
        "overview": "/",
        "changes first page": "/changes",
        "changes deep page (seek to the middle)": f"/changes?after={middle}&page=10000",
        "changes deep page backwards": f"/changes?before={middle}&page=10000",
        "changes ?q=subject words": "/changes?q=" + SEARCH.replace(" ", "+"),
        "changes ?q=change number": "/changes?q=700123",
        "changes ?q=an owner": "/changes?q=Ines+Okafor",
        "changes ?q=a project's name": "/changes?q=masakari",
        "changes ?q=a long phrase": "/changes?q=vGPU+support+in+the+CLI",
        "changes ?q=no match": "/changes?q=qwertyuiop",
        "changes ?q=one common word": "/changes?q=tests",
        "changes ?verdict=defects": "/changes?verdict=defects",
        "changes ?verdict=none": "/changes?verdict=none",
        "changes ?status=failed": "/changes?status=failed",
        "changes ?project=openstack/nova": "/changes?project=openstack/nova",
        f"changes ?project={small}": f"/changes?project={small}",
        "changes ?project=nova&status=failed": "/changes?project=openstack/nova&status=failed",
        "changes ?verdict=defects deep": f"/changes?verdict=defects&after={middle}",
        "patch set page": f"/changes/{detail}",
        "rules": "/rules",
        "metrics": "/metrics",
        "healthz": "/healthz",
        "api overview": "/api/overview",
        "api changes": "/api/changes",
        "api changes deep": f"/api/changes?after={middle}",
        "api changes ?q": "/api/changes?q=" + SEARCH.replace(" ", "+"),
        "api patch set": f"/api/changes/{detail}",
        "api rules": "/api/rules",
    }
    for key in ("change", "project", "owner", "verdict", "findings", "duration", "status"):
        for direction in ("desc", "asc"):
            out[f"changes sort={key}&dir={direction}"] = f"/changes?sort={key}&dir={direction}"
        out[f"changes sort={key} deep"] = f"/changes?sort={key}&after={middle}"
    covered = {p.split("?")[0] for p in out.values()}
    for rule in routes(app):  # a route this list forgot is timed too (parameterless ones)
        if "<" not in rule and rule not in covered and rule not in ("/login", "/logout"):
            out[f"route {rule}"] = rule
    return out


def time_pages(store: Store, repeats: int) -> dict[str, dict[str, Any]]:
    config = Config(
        gerrit=GerritConfig(url="https://review.opendev.org"),
        poll=PollConfig(interval=60.0),
        dashboard=DashboardConfig(public_read=True),
    )
    app = create_app(store, config)
    client = app.test_client()
    timed = pages(store, app)
    # Jinja compiles each template at its first render, once per process: render each once
    # first (another patch set's page, a search without matches, the error page), so the
    # figures are those of a dashboard that has served a page before.
    detail = int(timed["patch set page"].rsplit("/", 1)[1])
    for path in ("/healthz", "/", "/changes?q=qwertyuiop", f"/changes/{detail - 1}", "/rules"):
        client.get(path)
    client.get("/changes/0")
    out: dict[str, dict[str, Any]] = {}
    for name, path in timed.items():
        times = []
        status = 0
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            status = response.status_code
        out[name] = {
            "path": path,
            "status": status,
            "worst_ms": round(max(times), 1),
            "median_ms": round(sorted(times)[len(times) // 2], 1),
        }
    return out


def label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def run_backend(db: str, n: int, rebuild: bool, repeats: int) -> dict[str, Any]:
    build = build_sqlite if db == "sqlite" else build_postgres
    c.progress(f"dashboard: {db}: building or reusing a store of {n:,} jobs")
    url, info = build(n, rebuild)
    with Store(url) as store:
        info["store_mib"] = round(store_bytes(store) / 2**20, 1)
        c.progress(f"dashboard: {db}: timing {repeats} requests per page")
        timed = time_pages(store, repeats)
    # /healthz answers 503 without a running bot's health; everything else must answer
    bad = {k: v["status"] for k, v in timed.items() if v["status"] >= 400 and k != "healthz"}
    worst_page = max(timed, key=lambda k: timed[k]["worst_ms"])
    return {
        **info,
        "pages": timed,
        "worst_ms": timed[worst_page]["worst_ms"],
        "worst_page": worst_page,
        "non_200": bad,
    }


def merge_results(figures: dict[str, Any]) -> None:
    """Put the figures into ``bench/results.json`` next to the other benchmarks'."""
    path = c.BENCH_DIR / "results.json"
    try:
        merged = json.loads(path.read_text())
    except (OSError, ValueError):
        merged = {}
    merged.setdefault("figures", {}).update(figures)
    merged.update(figures)
    path.write_text(json.dumps(merged, indent=2, sort_keys=False) + "\n")


def main() -> None:
    parser = c.arg_parser(__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1_000_000, help="processed patch sets")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--repeats", type=int, default=5, help="requests per page")
    args = parser.parse_args()
    c.setup_logging()
    n = 20_000 if args.quick else args.jobs
    backends = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    result: dict[str, Any] = {
        "jobs": n,
        "repeats": args.repeats,
        "bar_ms": BAR_MS,
        "quick": args.quick,
    }
    figures: dict[str, Any] = {}
    for db in backends:
        outcome = run_backend(db, n, args.rebuild, args.repeats)
        result[db] = outcome
        key = f"dashboard_worst_ms_{label(n)}_{db}"
        result[key] = outcome["worst_ms"]
        figures[key] = outcome["worst_ms"]
        c.progress(
            f"dashboard: {db}: worst {outcome['worst_ms']} ms ({outcome['worst_page']}), "
            f"store {outcome['store_mib']} MiB"
        )
    result["bars"] = {k: f"<= {BAR_MS:.0f}" for k in figures}
    c.emit("dashboard_1m", result, args.out)
    if n == 1_000_000 and args.out is None:
        merge_results(figures)
    if any(v > BAR_MS for v in figures.values()) or any(result[db]["non_200"] for db in backends):
        sys.exit(1)


if __name__ == "__main__":
    main()
