"""Git access for reviews: bare mirrors, one patch-set ref at a time, and what it changed."""

from __future__ import annotations

from bot.scm.mirrors import ChangedFile, FetchError, Mirrors, Revision, ScmError

__all__ = ["ChangedFile", "FetchError", "Mirrors", "Revision", "ScmError"]
