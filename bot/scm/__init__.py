"""Git access for reviews: bare mirrors, one patch-set ref at a time, and what it changed.

:mod:`bot.scm.mirrors` keeps one bare mirror per project and fetches a patch set's ref into it
(with git's own client over protocol v2, or libgit2; credentials only to the configured
server); :mod:`bot.scm.diffs` reads the fetched commit's
changed files and added lines from the object database. Nothing is ever checked out, so the
hostile paths a change may hold never touch the file system.
"""

from __future__ import annotations

from bot.scm import gitcli
from bot.scm.diffs import ChangedFile, Revision, ScmError
from bot.scm.mirrors import FetchError, Mirrors

__all__ = ["ChangedFile", "FetchError", "Mirrors", "Revision", "ScmError", "gitcli"]
