"""Locate the shipped data directories (``templates/``, ``config/``).

They live at the top of the source tree and are packed into the wheel as
``bot/_data/<name>``; an editable install or a source checkout finds them one
level above the package instead, so both layouts work without configuration.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory holding the shipped ``name`` data (``templates`` or ``config``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped data directory {name!r} not found next to the bot package")
