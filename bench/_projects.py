"""Published OpenStack wheels that ship their tests, pinned, unpacked whole (bench/.cache).

The whole package is unpacked, not only ``<pkg>/tests``: the project model needs the base
classes that live outside the tests tree (nova's ``nova/test.py``).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"

#: name -> pinned version; each wheel was checked to contain its ``<name>/tests`` tree
PROJECTS: dict[str, str] = {
    "nova": "34.0.0",
    "glance": "33.0.0",
    "keystone": "30.0.0",
    "ironic": "39.0.0",
    "manila": "23.0.1",
    "octavia": "19.0.0",
}


def project_tree(name: str) -> Path:
    """The directory holding the unpacked package ``name`` (``<dir>/<name>/tests`` exists)."""
    version = PROJECTS[name]
    wheels = CACHE / "wheels"
    pattern = f"{name}-{version}-*.whl"
    found = sorted(wheels.glob(pattern)) if wheels.exists() else []
    if not found:
        wheels.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", f"{name}=={version}",
             "-d", str(wheels)],
            check=True,
        )  # fmt: skip
        found = sorted(wheels.glob(pattern))
    root = CACHE / "trees" / f"{name}-{version}"
    marker = root / ".complete"
    if not marker.exists():
        with zipfile.ZipFile(found[0]) as wheel:
            for member in wheel.namelist():
                if member.startswith(f"{name}/") and member.endswith(".py"):
                    wheel.extract(member, root)
        marker.touch()
    if not (root / name / "tests").is_dir():
        raise SystemExit(f"{name}=={version}: the wheel has no {name}/tests tree")
    return root
