"""A private PostgreSQL cluster for tests and benchmarks that take the database away.

The shared test server cannot be stopped for 30 s in the middle of someone else's run, so
the tests and ``bench/multiworker.py --db-outages`` start a cluster of their own: a fresh
data directory under the system's temporary directory, a free port on 127.0.0.1, trust
authentication, no fsync (nothing here survives the run). It can then be restarted,
stopped and started again at will, which is what an operator's maintenance window or a
crashed database server does to the bot.

The server binaries (``initdb``, ``pg_ctl``) are looked up at run time: Debian installs
them under ``/usr/lib/postgresql/<version>/bin`` (the newest version wins), elsewhere they
are on ``PATH``. PostgreSQL refuses to run as root, so when this process is root the
server runs as the ``postgres`` account (the owner of its data directory).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Where Debian's server binaries live, one directory per major version.
DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"
SERVER_ACCOUNT = "postgres"
SUPERUSER = "postgres"


class ClusterUnavailable(RuntimeError):
    """No private cluster can be started here (no server binaries, or no account to run them)."""


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest Debian version, else PATH)."""

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", Path(path).parent.name)) or (0,)

    found = [d for d in glob.glob(DEBIAN_BINDIRS) if (Path(d) / "initdb").is_file()]
    if found:
        return Path(max(found, key=version))
    initdb = shutil.which("initdb")
    if initdb and (Path(initdb).resolve().parent / "pg_ctl").is_file():
        return Path(initdb).resolve().parent
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateCluster:
    """One throwaway PostgreSQL cluster, started, stopped and restarted at will.

    The port is chosen once, so URLs stay valid across stops and starts.
    """

    def __init__(self, bindir: Path | None = None, *, port: int | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise ClusterUnavailable(
                f"no PostgreSQL server binaries (initdb, pg_ctl) in {DEBIAN_BINDIRS} or on PATH"
            )
        self.bindir = found
        self.port = port or free_port()
        self._user = _server_account()
        self.root = Path(tempfile.mkdtemp(prefix="security-bot-pg-"))
        self.data = self.root / "data"
        self.logfile = self.root / "server.log"
        if self._user is not None:
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
        self._initialised = False

    # -- life cycle ----------------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> None:
        """Start the server (creating the cluster the first time) and wait until it answers."""
        if not self._initialised:
            self._run(
                "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync",
            )  # fmt: skip
            self._initialised = True
        options = " ".join(
            (
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.port}",
                f"-c unix_socket_directories={self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            )
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-o", options,
            "-w", "-t", str(round(timeout)), "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` disconnects every client, ``immediate`` is a crash."""
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        """Stop and start again at once (the sessions, and their advisory locks, are gone)."""
        self.stop(mode)
        self.start()

    @property
    def running(self) -> bool:
        if not self._initialised:
            return False
        status = self._run("pg_ctl", "-D", str(self.data), "status", check=False)
        return status.returncode == 0

    def close(self) -> None:
        """Stop the server (if running) and delete the cluster; idempotent."""
        try:
            if self._initialised:
                self.stop("immediate")
        finally:
            self._initialised = False
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PrivateCluster:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- databases -----------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL of ``database`` on this cluster (trust auth: no password)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` (the server must be running); returns its URL."""
        import psycopg  # the postgres extra; only needed once a cluster is running

        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        conninfo = f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a checked plain name, quoted
        return self.url(name)

    def server_log(self, last: int = 4000) -> str:
        """The end of the server's log, for a failure message."""
        try:
            return self.logfile.read_text(errors="replace")[-last:]
        except OSError:
            return ""

    # -- internals -----------------------------------------------------------------------------

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        extra: dict[str, Any] = {}
        if self._user is not None:
            extra = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"}
        proc = subprocess.run(
            [str(self.bindir / tool), *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            **extra,
        )
        if check and proc.returncode != 0:
            raise ClusterUnavailable(
                f"{tool} failed with status {proc.returncode}: "
                f"{(proc.stderr or proc.stdout).strip()[-1000:]}\n{self.server_log(1000)}"
            )
        return proc


def _server_account() -> pwd.struct_passwd | None:
    """The account to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        raise ClusterUnavailable(
            f"running as root and there is no {SERVER_ACCOUNT!r} account to run PostgreSQL as"
        ) from None


@contextmanager
def private_cluster(database: str = "security_bot") -> Iterator[tuple[PrivateCluster, str]]:
    """A started private cluster with one empty ``database``: (cluster, its URL); deleted after."""
    cluster = PrivateCluster()
    try:
        cluster.start()
        yield cluster, cluster.create_database(database)
    finally:
        cluster.close()

