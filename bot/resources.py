"""Locate the shipped ``config/`` directory (the documented ``bot.toml``, the demo's TOML).

It lives at the top of the source tree, where operators read it, and is packed into the
wheel as ``bot/_data/config``; an editable install or a source checkout finds it one
level above the package instead, so both layouts work without configuration. (Templates
live inside the packages that render them: ``bot/review/templates``,
``bot/dashboard/templates``.)
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory holding the shipped ``name`` data (``config``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped data directory {name!r} not found next to the bot package")
