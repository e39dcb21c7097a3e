"""Shared helpers of the benchmarks in ``bench/``.

* :class:`RemoteFake` runs the embedded fake Gerrit in a child process, so the bot's CPU
  time, GIL and resident memory are measured on their own (a real Gerrit is another
  process too). The parent drives it through a small pipe-based call interface.
* :func:`typical_change` builds the "typical change" of the issue: three test files,
  about a hundred changed lines, one of them with a defect the rules find.
* :func:`bot_config` is the bot's default configuration pointed at the fake Gerrit and at
  a temporary state directory (:func:`bot.demo.harness.bot_config`, the one builder the
  demo and the tests use too); nothing else is changed from the documented defaults, but
  the dashboard is off. Queues are drained with :func:`bot.demo.harness.drain`.
* :func:`emit` prints a benchmark's one JSON line and writes ``bench/results/<name>.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.demo import harness

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
CACHE_DIR = BENCH_DIR / ".cache"

BOT_USER = harness.BOT_USER
BOT_PASSWORD = "bench-password"  # the fake Gerrit's bot account, local only
PROJECT = "openstack/benchproject"


# --------------------------------------------------------------------------- arguments


def arg_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick", action="store_true", help="a few-second run (smoke test), not a measurement"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="write the JSON here instead of bench/results/"
    )
    parser.add_argument(
        "--stock-fake",
        action="store_true",
        help="leave Nagle's algorithm on in the fake Gerrit (its ~40 ms stalls included)",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=900.0,
        help="stop measuring (and report what was measured) after this many seconds",
    )
    return parser


def setup_logging() -> None:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s"
    )


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- results


def emit(name: str, result: dict[str, Any], out: Path | None) -> None:
    """Print the one JSON line and write it to ``out`` or ``bench/results/<name>.json``."""
    result = {"benchmark": name, **result}
    line = json.dumps(result, sort_keys=True)
    path = out or RESULTS_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    print(line, flush=True)


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def rnd(value: float, digits: int = 2) -> float:
    return round(float(value), digits)


def rss_mb() -> float:
    """This process's resident set size (VmRSS) in MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("VmRSS not found in /proc/self/status")


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs (0 with fewer than two points)."""
    if len(xs) < 2:
        return 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system) of a process and of the children it has reaped.

    Without ``pid``: this process only (its children, e.g. git, are not the bot's own).
    """
    if pid is None:
        t = os.times()
        return t.user + t.system
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    # fields[11..14] are utime, stime, cutime, cstime (the 14th..17th of the whole line)
    return sum(int(x) for x in fields[11:15]) / ticks


def environment() -> dict[str, Any]:
    """CPU count and versions of what the figures depend on."""
    import pygit2
    import sqlalchemy

    try:
        git = subprocess.run(
            ["git", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        git = "unknown"
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "pygit2": pygit2.__version__,
        "libgit2": pygit2.LIBGIT2_VERSION,
        "sqlalchemy": sqlalchemy.__version__,
        "git": git.removeprefix("git version "),
        "platform": platform.platform(terse=True),
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@contextmanager
def deadline(seconds: float) -> Iterator[Callable[[], bool]]:
    """Yields ``expired()``: true once ``seconds`` have passed."""
    end = time.monotonic() + seconds
    yield lambda: time.monotonic() >= end


# --------------------------------------------------------------------------- the fake Gerrit


def _fake_main(conn: Any, root: str, nodelay: bool) -> None:
    """Child process: own a FakeGerrit, answer ``(method, args, kwargs)`` calls."""
    logging.basicConfig(level=logging.ERROR)
    if nodelay:
        # The stock fake Gerrit writes a response's headers and body in two writes with
        # Nagle's algorithm on; the client's delayed ACK then stalls each such response by
        # ~40 ms (two stalls per git fetch). Gerrit's own server does not behave like this,
        # so the benchmarks switch Nagle off for the stand-in (see docs/benchmarks.md).
        from fakegerrit import server as fake_server

        fake_server._Handler.disable_nagle_algorithm = True

    fake = harness.start_fake(Path(root), password=BOT_PASSWORD)
    helpers: dict[str, Callable[..., Any]] = {
        "request_count": lambda: len(fake.requests),
        "request_paths": lambda: [
            (r.method, r.path, r.git, dict(r.query).get("q", "")) for r in fake.requests
        ],
        "url": lambda: fake.url,
        "create_changes": lambda specs: [
            fake.create_change(project, files, subject) for project, files, subject in specs
        ],
        "review_count": lambda changes: sum(
            1 for c in changes for r in fake.reviews(c) if r.get("tag", "").endswith("security-bot")
        ),
    }
    conn.send(("ok", fake.url))
    try:
        while True:
            try:
                method, args, kwargs = conn.recv()
            except EOFError:
                return
            if method == "__stop__":
                conn.send(("ok", None))
                return
            try:
                target = helpers.get(method) or getattr(fake, method)
                value = target(*args, **kwargs)
                if method == "repo_path":
                    value = str(value)
                conn.send(("ok", value))
            except Exception as exc:  # reported to the parent, which raises it
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        fake.stop()


class RemoteFake:
    """A FakeGerrit in a child process; call its methods as ``remote.create_change(...)``."""

    def __init__(self, root: Path, *, nodelay: bool = True) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_fake_main, args=(child, str(root), nodelay), daemon=True)
        self._proc.start()
        if not self._conn.poll(60):
            self._proc.kill()
            raise RuntimeError("the fake Gerrit did not start within 60 s")
        status, self.url = self._conn.recv()
        if status != "ok":
            raise RuntimeError(f"the fake Gerrit did not start: {self.url}")

    @property
    def pid(self) -> int:
        return int(self._proc.pid or 0)

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send((method, args, kwargs))
        status, value = self._conn.recv()
        if status != "ok":
            raise RuntimeError(f"fake Gerrit {method}: {value}")
        return value

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *a, **kw: self.call(name, *a, **kw)

    def close(self) -> None:
        try:
            self._conn.send(("__stop__", (), {}))
            self._conn.poll(10)
        except (OSError, EOFError):
            pass
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)

    def __enter__(self) -> RemoteFake:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- the bot


def bot_config(url: str, state: Path, **sections: dict[str, Any]) -> Any:
    """The bot's defaults, pointed at ``url`` and at the state directory ``state``."""
    no_dashboard = {"dashboard": {"enabled": False}}
    return harness.bot_config(
        url, state, password=BOT_PASSWORD, **harness.merge_sections(no_dashboard, sections)
    )


# --------------------------------------------------------------------------- content

TEST_IMPORTS = "import unittest\nfrom unittest import mock\n\nfrom benchproject import api\n\n\n"
BASE_TEST = (
    TEST_IMPORTS + "class TestApi(unittest.TestCase):\n"
    "    def setUp(self):\n"
    "        super().setUp()\n"
    "        self.client = mock.Mock()\n"
    "\n"
    "    def test_get(self):\n"
    "        api.get(self.client, 'x')\n"
    "        self.client.get.assert_called_once_with('x')\n"
)


def base_files(modules: int = 40) -> dict[str, str | bytes]:
    """A small OpenStack-style project: package modules and a unit test tree."""
    files: dict[str, str | bytes] = {
        "README.rst": "benchproject\n============\n\nA project the benchmarks review.\n",
        "setup.cfg": "[metadata]\nname = benchproject\n",
        "benchproject/__init__.py": "",
        "benchproject/api.py": "def get(client, key):\n    return client.get(key)\n",
        "benchproject/tests/__init__.py": "",
        "benchproject/tests/unit/__init__.py": "",
    }
    for i in range(modules):
        files[f"benchproject/mod{i:03d}.py"] = (
            f'"""Module {i}."""\n\n\ndef value_{i}(x):\n    return x + {i}\n'
        )
        files[f"benchproject/tests/unit/test_mod{i:03d}.py"] = BASE_TEST
    return files


def _test_methods(tag: str, count: int, *, defect: bool) -> str:
    out = []
    for j in range(count):
        out.append(
            f"\n    def test_{tag}_{j}(self):\n"
            f"        result = api.get(self.client, '{tag}-{j}')\n"
            f"        self.assertIsNotNone(result)\n"
            f"        self.client.get.assert_called_once_with('{tag}-{j}')\n"
        )
    if defect:
        out.append(
            f"\n    def test_{tag}_legacy(self):\n"
            f"        api.get(self.client, '{tag}')\n"
            f"        self.client.get.called_once_with('{tag}')\n"
        )
    return "".join(out)


def typical_change(index: int, modules: int = 40) -> dict[str, str | None]:
    """Three test files, about a hundred changed lines: two tests extended, one added.

    One of the three carries a defect (a mock "assertion" that asserts nothing), so the
    review has a finding and an inline comment, as many real reviews do.
    """
    a = index % modules
    b = (index + 1) % modules
    tag = f"c{index}"
    new_test = (
        TEST_IMPORTS + f"class TestNew{index}(unittest.TestCase):\n"
        "    def setUp(self):\n"
        "        super().setUp()\n"
        "        self.client = mock.Mock()\n" + _test_methods(tag + "n", 6, defect=False)
    )
    return {
        f"benchproject/tests/unit/test_mod{a:03d}.py": BASE_TEST
        + _test_methods(tag + "a", 6, defect=True),
        f"benchproject/tests/unit/test_mod{b:03d}.py": BASE_TEST
        + _test_methods(tag + "b", 7, defect=False),
        f"benchproject/tests/unit/test_new_{index}.py": new_test,
    }


def changed_line_count(files: dict[str, str | None], modules: int = 40) -> int:
    base = base_files(modules)
    total = 0
    for path, content in files.items():
        if content is None:
            continue
        old = base.get(path)
        old_lines = 0 if old is None else str(old).count("\n")
        total += content.count("\n") - old_lines
    return total
