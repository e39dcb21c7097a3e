"""GerritSource: the one place the bot reads Gerrit.

Triggers, the pipeline, the reporter's run-marker check and the start-up check all
read through it, and get the typed entities of :mod:`bot.gerrit.models` back, never
raw JSON. Everything that has to be spelled the way Gerrit wants it is spelled here
and nowhere else: the query terms (``status:open -is:wip``, ``-is:private``, the
project/branch scope with its quoting, ``after:"…"``, ``comment:"…"``), the change
ids (``project~number``), the patch-set ref names (``refs/changes/NN/N/P``) and the
git URL of a project.

A change record a query returns that does not validate is handed back as an
:class:`InvalidChange` (the caller logs it and goes on); an answer that is not JSON
at all raises, as the client does, so a poll that got garbage is retried whole.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from bot.config import GerritConfig, PollConfig
from bot.gerrit import error as gerrit_error
from bot.gerrit.account import AccountClient
from bot.gerrit.change import ChangeClient, change_id_for
from bot.gerrit.group import GroupClient
from bot.gerrit.models import (
    AccountInfo,
    ChangeInfo,
    ChangeMessageInfo,
    CommentInfo,
    GroupInfo,
    InvalidRecord,
)
from bot.gerrit.server import ServerClient
from bot.gerrit.timestamps import parse_timestamp

__all__ = [
    "DETAIL_OPTIONS",
    "POLL_OPTIONS",
    "RECHECK_OPTIONS",
    "GerritSource",
    "InvalidChange",
    "change_id",
    "open_changes_query",
    "patchset_ref",
    "recheck_query",
    "scope_terms",
]

#: What a poll for new patch sets needs: the current revision, its files, the owner.
POLL_OPTIONS = ["CURRENT_REVISION", "CURRENT_FILES", "DETAILED_ACCOUNTS"]
#: What the search for recheck requests needs of each candidate change.
RECHECK_OPTIONS = ["CURRENT_REVISION", "DETAILED_ACCOUNTS"]
#: What the review of one patch set needs of the change: its status and current revision
#: (with its kind and ref). Never ``ALL_REVISIONS``: Gerrit would compute the kind of every
#: patch set of a long-lived change. An older patch set under review is read on its own.
DETAIL_OPTIONS = ["CURRENT_REVISION", "DETAILED_ACCOUNTS"]

PATCHSET_LEVEL = "/PATCHSET_LEVEL"


# -- names Gerrit understands ---------------------------------------------------------------------


def change_id(project: str, number: int) -> str:
    """The ``project~number`` id of a change (the client quotes it once)."""
    return change_id_for(project, number)


def patchset_ref(change: int, patchset: int) -> str:
    """The ref a patch set is fetched from: ``refs/changes/<last two digits>/<change>/<ps>``."""
    return f"refs/changes/{change % 100:02d}/{change}/{patchset}"


def quote_value(value: str) -> str:
    """``value`` as one query value Gerrit's lexer reads back unchanged: always in double
    quotes, with ``\\`` and ``"`` escaped. Unquoted, Gerrit rejects any of
    ``! " $ % ' ( ) : ; ? [ ] { }`` (so a regex filter such as ``^openstack/nova$`` made
    every poll answer 400); quoted, every value means what it says."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def encode_query(query: str) -> str:
    """``query`` percent-encoded for the ``q=`` parameter: the client inserts it verbatim,
    and unencoded a ``+`` (``[a-z]+``) would reach Gerrit as a space."""
    return urllib.parse.quote(query, safe="")


def _any_of(operator: str, values: Iterable[str]) -> str:
    terms = [f"{operator}:{quote_value(v)}" for v in values]
    if not terms:
        return ""
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _after(since: datetime) -> str:
    # Whole seconds, UTC: Gerrit's after: is inclusive, so the window never loses a change.
    return f'after:"{since.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")}"'


def _before(until: datetime) -> str:
    # Whole seconds, rounded up: Gerrit's before: is inclusive, so the bound loses nothing.
    utc = until.astimezone(UTC)
    if utc.microsecond:
        utc = utc.replace(microsecond=0) + timedelta(seconds=1)
    return f'before:"{utc.strftime("%Y-%m-%d %H:%M:%S")}"'


def _join(parts: Iterable[str]) -> str:
    return " ".join(p for p in parts if p)


def scope_terms(poll: PollConfig) -> str:
    """The project, branch and extra terms that limit every query to what the bot watches."""
    return _join(
        [_any_of("project", poll.projects), _any_of("branch", poll.branches), poll.query_extra]
    )


def open_changes_query(
    poll: PollConfig, since: datetime | None, before: datetime | None = None
) -> str:
    """Open, non-WIP (and, unless configured, non-private) changes in scope updated since
    (and, with ``before``, not after it)."""
    return _join(
        [
            "status:open",
            "-is:wip",
            "" if poll.include_private else "-is:private",
            scope_terms(poll),
            _after(since) if since is not None else "",
            _before(before) if before is not None else "",
        ]
    )


def recheck_query(poll: PollConfig, keyword: str, since: datetime) -> str:
    """Changes in scope updated since ``since`` whose messages or comments hold ``keyword``."""
    keyword = keyword.replace('"', "")
    return _join([f"comment:{quote_value(keyword)}", scope_terms(poll), _after(since)])


# -- the reader -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvalidChange:
    """A record a change query returned that is not a valid ChangeInfo.

    It is skipped, but its ``updated`` time (when it has a readable one) still counts
    for the poll cursor, like that of every other record Gerrit returned.
    """

    error: str
    updated: datetime | None = None


class GerritSource:
    """Reads changes, revisions, messages, comments and accounts; thread-safe."""

    def __init__(
        self,
        changes: ChangeClient,
        accounts: AccountClient,
        server: ServerClient,
        *,
        gerrit: GerritConfig,
        poll: PollConfig,
        groups: GroupClient | None = None,
    ) -> None:
        self._changes = changes
        self._accounts = accounts
        self._server = server
        self._groups = groups
        self._poll = poll
        self._git_base = gerrit.url.rstrip("/")
        self._authenticated = gerrit.auth_type != "none"

    # -- queries ------------------------------------------------------------------------------

    def open_changes(
        self, since: datetime | None, *, before: datetime | None = None
    ) -> Iterator[ChangeInfo | InvalidChange]:
        """Every open change in scope updated since ``since``, with its current revision.

        ``before`` also bounds the window from above (a poll going on below the oldest
        change the page limit let it read).
        """
        return self._query(open_changes_query(self._poll, since, before), POLL_OPTIONS)

    def recheck_candidates(
        self, keyword: str, since: datetime
    ) -> Iterator[ChangeInfo | InvalidChange]:
        """Changes in scope updated since ``since`` that may hold a recheck request."""
        return self._query(recheck_query(self._poll, keyword, since), RECHECK_OPTIONS)

    def _query(self, query: str, options: list[str]) -> Iterator[ChangeInfo | InvalidChange]:
        for raw in self._changes.iter_all(
            encode_query(query),
            options=options,
            page_size=self._poll.page_size,
            max_pages=self._poll.max_pages,
        ):
            try:
                yield ChangeInfo.from_json(raw)
            except InvalidRecord as exc:
                yield InvalidChange(str(exc), _updated_of(raw))

    # -- one change ---------------------------------------------------------------------------

    def change(
        self, number: int, *, project: str | None = None, patchset: int | None = None
    ) -> ChangeInfo:
        """One change with its current revision and, when ``patchset`` is an older one, that
        revision too: what the review decisions are made from (status, the newest patch
        set, the kind and ref of the one under review).

        The change costs one request (``o=CURRENT_REVISION``); an older patch set one more,
        ``GET …/revisions/<n>/review``, which returns that revision alone with its kind.
        Without ``project`` the change is looked up by number alone (``security-bot
        review`` knows nothing else).
        """
        wanted = change_id(project, number) if project else str(number)
        change = ChangeInfo.from_json(self._changes.get_by_id(wanted, options=DETAIL_OPTIONS))
        if patchset is None or change.revision(patchset) is not None:
            return change
        if change.current_number is not None and patchset > change.current_number:
            return change  # no such patch set: the caller says so
        try:
            older = ChangeInfo.from_json(self._changes.get_review(wanted, patchset))
        except gerrit_error.HTTPError as exc:
            if getattr(exc, "status_code", None) == 404:
                return change  # no such patch set: the caller says so
            raise
        revisions = dict(change.revisions)
        revisions.update(older.revisions)
        return dataclasses.replace(change, revisions=MappingProxyType(revisions))

    def messages(self, project: str, number: int) -> list[ChangeMessageInfo]:
        """The change's messages, oldest first."""
        data = self._changes.get_messages(change_id(project, number))
        return [
            ChangeMessageInfo.from_json(item, where=f"change {number}, messages[{i}]")
            for i, item in enumerate(_list(data, f"messages of change {number}"))
        ]

    def patchset_comments(self, project: str, number: int) -> list[CommentInfo]:
        """The change's published patch-set-level comments (the web UI's replies)."""
        data = self._changes.get_comments(change_id(project, number))
        if not isinstance(data, Mapping):
            raise InvalidRecord(f"comments of change {number}: expected a JSON object")
        return [
            CommentInfo.from_json(item, path=PATCHSET_LEVEL, where=f"change {number}, comment")
            for item in _list(data.get(PATCHSET_LEVEL) or [], f"comments of change {number}")
        ]

    # -- accounts and server ------------------------------------------------------------------

    def account_groups(self, account_id: int) -> list[GroupInfo]:
        """The groups an account is a member of."""
        data = self._accounts.get_groups(account_id)
        return [GroupInfo.from_json(g) for g in _list(data, f"groups of account {account_id}")]

    def group_visible(self, group: str) -> bool | None:
        """Whether the bot's account can see ``group`` (a name or UUID): Gerrit answers 404
        for a group the caller cannot see, and leaves it out of every account's group list.
        None when there is no group client to ask with."""
        if self._groups is None:
            return None
        try:
            GroupInfo.from_json(self._groups.get_by_id(group), where=f"group {group!r}")
        except gerrit_error.HTTPError as exc:
            if getattr(exc, "status_code", None) == 404:
                return False
            raise
        return True

    def own_account(self) -> AccountInfo:
        """The account the bot is authenticated as (authenticated connections only)."""
        return AccountInfo.from_json(self._accounts.get_by_id("self"), where="self")

    def server_version(self) -> str:
        return str(self._server.get_version()).strip()

    def server_time(self) -> datetime | None:
        """Gerrit's own clock (the ``Date`` of its latest answer), or None when unknown."""
        clock = getattr(self._changes.connection, "server_time", None)
        return clock() if callable(clock) else None

    # -- git ----------------------------------------------------------------------------------

    def git_url(self, project: str) -> str:
        """Where a project is fetched from over HTTP.

        Built from the configured URL, never taken from Gerrit's answer, so credentials
        are only ever sent to the server the operator configured.
        """
        prefix = "/a" if self._authenticated else ""
        return f"{self._git_base}{prefix}/{project}"


def _list(data: Any, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise InvalidRecord(f"{what}: expected a JSON list, got {type(data).__name__}")
    return data


def _updated_of(raw: Any) -> datetime | None:
    value = raw.get("updated") if isinstance(raw, Mapping) else None
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None
