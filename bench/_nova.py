"""Fetch and unpack the published nova wheel's tests tree (shared by the bench scripts)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
NOVA = "nova==34.0.0"


def nova_tests() -> Path:
    """The unpacked ``nova/tests`` tree (downloaded once into bench/.cache)."""
    wheels = CACHE / "wheels"
    found = sorted(wheels.glob("nova-34.0.0-*.whl")) if wheels.exists() else []
    if not found:
        wheels.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", NOVA, "-d", str(wheels)],
            check=True,
        )
        found = sorted(wheels.glob("nova-34.0.0-*.whl"))
    root = CACHE / "nova"
    tests = root / "nova" / "tests"
    if not tests.exists():
        with zipfile.ZipFile(found[0]) as wheel:
            for name in wheel.namelist():
                if name.startswith("nova/tests/"):
                    wheel.extract(name, root)
    return tests
