"""Typed, immutable views of the Gerrit REST entities the bot reads.

The client returns plain decoded JSON (as python-gerritclient does); these
dataclasses are built from it with ``from_json``. Parsing is tolerant of
absent optional fields, of unknown fields and of the older documentation-era
shapes (a triplet ``id``, an ``owner`` without ``_account_id``). A required
field that is missing or has the wrong type raises :class:`InvalidRecord` (a
:class:`bot.gerrit.error.BadDataException`) naming the entity and the field, so a
caller can tell a record it should skip from an answer that was not JSON at all.
Timestamps become aware UTC :class:`~datetime.datetime` objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

from bot.gerrit.error import BadDataException
from bot.gerrit.timestamps import parse_timestamp

__all__ = [
    "MAGIC_PATHS",
    "AccountInfo",
    "ChangeInfo",
    "ChangeMessageInfo",
    "CommentInfo",
    "CommentRange",
    "FetchInfo",
    "FileInfo",
    "GroupInfo",
    "InvalidRecord",
    "ReviewResult",
    "RevisionInfo",
    "is_magic_path",
    "parse_changes",
    "parse_comment_map",
    "parse_file_map",
]

#: Paths Gerrit invents: the commit message, the merge list and patch-set-level comments.
MAGIC_PATHS = frozenset({"/COMMIT_MSG", "/MERGE_LIST", "/PATCHSET_LEVEL"})

_EMPTY: Mapping[str, Any] = MappingProxyType({})
T = TypeVar("T")


class InvalidRecord(BadDataException):
    """A decoded JSON record does not have the shape of the entity it should be."""


def is_magic_path(path: str) -> bool:
    """True for Gerrit's magic paths (every path starting with ``/``)."""
    return path.startswith("/")


def _mapping_field() -> Any:
    # Mappings are compared but left out of the hash, so the dataclasses stay hashable.
    return field(default_factory=lambda: _EMPTY, hash=False)


def _raw_field() -> Any:
    return field(default_factory=lambda: _EMPTY, repr=False, compare=False, hash=False)


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


class _Reader:
    """Typed access to one JSON object, with errors naming the entity and field."""

    def __init__(self, entity: str, data: Any, where: str = "") -> None:
        self.entity = entity
        self.where = f" ({where})" if where else ""
        if not isinstance(data, Mapping):
            raise InvalidRecord(
                f"{entity}{self.where}: expected a JSON object, got {_type_name(data)}"
            )
        self.data = data

    def _fail(self, key: str, expected: str, value: Any) -> InvalidRecord:
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return InvalidRecord(
            f"{self.entity}{self.where}: field '{key}' must be {expected}, "
            f"got {_type_name(value)} {shown}"
        )

    def _missing(self, key: str) -> InvalidRecord:
        return InvalidRecord(f"{self.entity}{self.where}: required field '{key}' is missing")

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise self._missing(key)
            return None
        return self.data[key]

    def opt_str(self, key: str, *, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, str):
            raise self._fail(key, "a string", value)
        return value

    def req_str(self, key: str) -> str:
        value = self.opt_str(key, required=True)
        assert value is not None
        return value

    def opt_int(self, key: str, *, required: bool = False) -> int | None:
        value = self._get(key, required)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._fail(key, "an integer", value)
        return value

    def req_int(self, key: str) -> int:
        value = self.opt_int(key, required=True)
        assert value is not None
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._fail(key, "a boolean", value)
        return value

    def opt_bool(self, key: str) -> bool | None:
        value = self._get(key, False)
        if value is not None and not isinstance(value, bool):
            raise self._fail(key, "a boolean", value)
        return value

    def opt_time(self, key: str, *, required: bool = False) -> datetime | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._fail(key, "a timestamp string", value)
        try:
            return parse_timestamp(value)
        except ValueError:
            raise self._fail(key, "a timestamp 'yyyy-mm-dd hh:mm:ss.fffffffff'", value) from None

    def req_time(self, key: str) -> datetime:
        value = self.opt_time(key, required=True)
        assert value is not None
        return value

    def opt_obj(self, key: str, *, required: bool = False) -> Mapping[str, Any] | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, Mapping):
            raise self._fail(key, "a JSON object", value)
        return value

    def get_list(self, key: str) -> list[Any]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(key, "a JSON list", value)
        return value

    def str_tuple(self, key: str) -> tuple[str, ...]:
        items = self.get_list(key)
        for item in items:
            if not isinstance(item, str):
                raise self._fail(key, "a list of strings", items)
        return tuple(items)

    def account(self, key: str, *, required: bool = False) -> AccountInfo | None:
        value = self._get(key, required)
        if value is None:
            return None
        return AccountInfo.from_json(value, where=f"{self.entity}.{key}")

    def frozen(self, key: str) -> Mapping[str, Any]:
        value = self.opt_obj(key)
        return MappingProxyType(dict(value)) if value else _EMPTY


# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountInfo:
    """AccountInfo. ``account_id`` is ``None`` only for doc-era shapes without ``_account_id``."""

    account_id: int | None = None
    name: str | None = None
    display_name: str | None = None
    email: str | None = None
    username: str | None = None
    status: str | None = None
    tags: tuple[str, ...] = ()
    inactive: bool = False
    deleted: bool = False

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> AccountInfo:
        r = _Reader("AccountInfo", data, where)
        return cls(
            account_id=r.opt_int("_account_id"),
            name=r.opt_str("name"),
            display_name=r.opt_str("display_name"),
            email=r.opt_str("email"),
            username=r.opt_str("username"),
            status=r.opt_str("status"),
            tags=r.str_tuple("tags"),
            inactive=r.flag("inactive"),
            deleted=r.flag("deleted"),
        )

    @property
    def label(self) -> str:
        """A human-readable name: display name, name, username, email or the id."""
        for candidate in (self.display_name, self.name, self.username, self.email):
            if candidate:
                return candidate
        return f"account {self.account_id}" if self.account_id is not None else "unknown account"


@dataclass(frozen=True)
class GroupInfo:
    """GroupInfo, as ``GET /accounts/{id}/groups/`` lists them."""

    id: str
    name: str | None = None
    group_id: int | None = None
    description: str | None = None
    owner: str | None = None
    owner_id: str | None = None

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> GroupInfo:
        r = _Reader("GroupInfo", data, where)
        return cls(
            id=r.req_str("id"),
            name=r.opt_str("name"),
            group_id=r.opt_int("group_id"),
            description=r.opt_str("description"),
            owner=r.opt_str("owner"),
            owner_id=r.opt_str("owner_id"),
        )


@dataclass(frozen=True)
class FetchInfo:
    """One download scheme of a revision: ``url`` of the project and ``ref`` of the patch set."""

    url: str
    ref: str
    commands: Mapping[str, str] = _mapping_field()

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> FetchInfo:
        r = _Reader("FetchInfo", data, where)
        return cls(url=r.req_str("url"), ref=r.req_str("ref"), commands=r.frozen("commands"))


@dataclass(frozen=True)
class FileInfo:
    """FileInfo. ``status`` is ``"M"`` when Gerrit omits it (modified files)."""

    status: str = "M"
    binary: bool = False
    old_path: str | None = None
    lines_inserted: int = 0
    lines_deleted: int = 0
    size_delta: int | None = None
    size: int | None = None
    old_mode: int | None = None
    new_mode: int | None = None
    old_sha: str | None = None
    new_sha: str | None = None

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> FileInfo:
        r = _Reader("FileInfo", data, where)
        return cls(
            status=r.opt_str("status") or "M",
            binary=r.flag("binary"),
            old_path=r.opt_str("old_path"),
            lines_inserted=r.opt_int("lines_inserted") or 0,
            lines_deleted=r.opt_int("lines_deleted") or 0,
            size_delta=r.opt_int("size_delta"),
            size=r.opt_int("size"),
            old_mode=r.opt_int("old_mode"),
            new_mode=r.opt_int("new_mode"),
            old_sha=r.opt_str("old_sha"),
            new_sha=r.opt_str("new_sha"),
        )


def parse_file_map(data: Any, *, where: str = "files") -> dict[str, FileInfo]:
    """Parse a path → FileInfo map (magic paths such as ``/COMMIT_MSG`` included)."""
    if not isinstance(data, Mapping):
        raise InvalidRecord(
            f"{where}: expected a JSON object of path -> FileInfo, got {_type_name(data)}"
        )
    return {
        path: FileInfo.from_json(info, where=f"{where}[{path!r}]") for path, info in data.items()
    }


@dataclass(frozen=True)
class RevisionInfo:
    """RevisionInfo. ``commit_sha`` is the key of the ``revisions`` map, when known."""

    number: int | str
    ref: str
    commit_sha: str | None = None
    kind: str | None = None
    created: datetime | None = None
    uploader: AccountInfo | None = None
    real_uploader: AccountInfo | None = None
    branch: str | None = None
    description: str | None = None
    fetch: Mapping[str, FetchInfo] = _mapping_field()
    files: Mapping[str, FileInfo] | None = field(default=None, hash=False)
    commit: Mapping[str, Any] | None = field(default=None, hash=False)
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_json(
        cls, data: Any, *, commit_sha: str | None = None, where: str = ""
    ) -> RevisionInfo:
        r = _Reader("RevisionInfo", data, where or (commit_sha or ""))
        number = r._get("_number", True)
        if isinstance(number, bool) or not isinstance(number, int | str):
            raise r._fail("_number", 'an integer (or "edit")', number)
        fetch_raw = r.opt_obj("fetch") or {}
        fetch = {
            scheme: FetchInfo.from_json(info, where=f"RevisionInfo.fetch[{scheme!r}]")
            for scheme, info in fetch_raw.items()
        }
        files_raw = r.opt_obj("files")
        commit_raw = r.opt_obj("commit")
        return cls(
            number=number,
            ref=r.req_str("ref"),
            commit_sha=commit_sha,
            kind=r.opt_str("kind"),
            created=r.opt_time("created"),
            uploader=r.account("uploader"),
            real_uploader=r.account("real_uploader"),
            branch=r.opt_str("branch"),
            description=r.opt_str("description"),
            fetch=MappingProxyType(fetch),
            files=(
                MappingProxyType(parse_file_map(files_raw, where="RevisionInfo.files"))
                if files_raw is not None
                else None
            ),
            commit=MappingProxyType(dict(commit_raw)) if commit_raw is not None else None,
            raw=MappingProxyType(dict(data)),
        )


@dataclass(frozen=True)
class ChangeMessageInfo:
    """ChangeMessageInfo. ``author`` is ``None`` for messages from Gerrit itself."""

    id: str
    message: str
    date: datetime
    author: AccountInfo | None = None
    real_author: AccountInfo | None = None
    tag: str | None = None
    revision_number: int | None = None
    accounts_in_message: tuple[AccountInfo, ...] = ()

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> ChangeMessageInfo:
        r = _Reader("ChangeMessageInfo", data, where)
        # Very old documentation called the field 'updated'; accept it as a fallback.
        date_key = (
            "date" if r.data.get("date") is not None or "updated" not in r.data else "updated"
        )
        accounts = tuple(
            AccountInfo.from_json(item, where="ChangeMessageInfo.accounts_in_message")
            for item in r.get_list("accounts_in_message")
        )
        return cls(
            id=r.req_str("id"),
            message=r.req_str("message"),
            date=r.req_time(date_key),
            author=r.account("author"),
            real_author=r.account("real_author"),
            tag=r.opt_str("tag"),
            revision_number=r.opt_int("_revision_number"),
            accounts_in_message=accounts,
        )


@dataclass(frozen=True)
class CommentRange:
    """A comment range: lines 1-based, characters 0-based, end exclusive."""

    start_line: int
    start_character: int
    end_line: int
    end_character: int

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> CommentRange:
        r = _Reader("CommentRange", data, where)
        return cls(
            start_line=r.req_int("start_line"),
            start_character=r.req_int("start_character"),
            end_line=r.req_int("end_line"),
            end_character=r.req_int("end_character"),
        )


@dataclass(frozen=True)
class CommentInfo:
    """CommentInfo. ``path`` comes from the map key when the entry itself has none."""

    id: str
    message: str
    updated: datetime
    path: str | None = None
    patch_set: int | None = None
    side: str | None = None
    parent: int | None = None
    line: int | None = None
    range: CommentRange | None = None
    in_reply_to: str | None = None
    author: AccountInfo | None = None
    tag: str | None = None
    unresolved: bool = False
    change_message_id: str | None = None
    commit_id: str | None = None

    @classmethod
    def from_json(cls, data: Any, *, path: str | None = None, where: str = "") -> CommentInfo:
        r = _Reader("CommentInfo", data, where)
        range_raw = r.opt_obj("range")
        return cls(
            id=r.req_str("id"),
            message=r.req_str("message"),
            updated=r.req_time("updated"),
            path=r.opt_str("path") or path,
            patch_set=r.opt_int("patch_set"),
            side=r.opt_str("side"),
            parent=r.opt_int("parent"),
            line=r.opt_int("line"),
            range=CommentRange.from_json(range_raw, where="CommentInfo.range")
            if range_raw
            else None,
            in_reply_to=r.opt_str("in_reply_to"),
            author=r.account("author"),
            tag=r.opt_str("tag"),
            unresolved=r.flag("unresolved"),
            change_message_id=r.opt_str("change_message_id"),
            commit_id=r.opt_str("commit_id"),
        )

    @property
    def is_patchset_level(self) -> bool:
        return self.path == "/PATCHSET_LEVEL"


def parse_comment_map(data: Any, *, where: str = "comments") -> dict[str, list[CommentInfo]]:
    """Parse a path → [CommentInfo] map (as returned by ``GET .../comments``)."""
    if not isinstance(data, Mapping):
        raise InvalidRecord(
            f"{where}: expected a JSON object of path -> [CommentInfo], got {_type_name(data)}"
        )
    result: dict[str, list[CommentInfo]] = {}
    for path, items in data.items():
        if not isinstance(items, list):
            raise InvalidRecord(f"{where}[{path!r}]: expected a JSON list, got {_type_name(items)}")
        result[path] = [
            CommentInfo.from_json(item, path=path, where=f"{where}[{path!r}][{i}]")
            for i, item in enumerate(items)
        ]
    return result


@dataclass(frozen=True)
class ChangeInfo:
    """ChangeInfo. ``number`` is ``_number``; ``id`` is opaque (never parse it)."""

    id: str
    project: str
    branch: str
    change_id: str
    subject: str
    status: str
    number: int
    owner: AccountInfo
    created: datetime
    updated: datetime
    triplet_id: str | None = None
    topic: str | None = None
    hashtags: tuple[str, ...] = ()
    submitted: datetime | None = None
    insertions: int | None = None
    deletions: int | None = None
    work_in_progress: bool = False
    is_private: bool = False
    mergeable: bool | None = None
    has_review_started: bool | None = None
    total_comment_count: int | None = None
    unresolved_comment_count: int | None = None
    meta_rev_id: str | None = None
    virtual_id_number: int | None = None
    full_branch: str | None = None
    current_revision: str | None = None
    current_revision_number: int | None = None
    revisions: Mapping[str, RevisionInfo] = _mapping_field()
    messages: tuple[ChangeMessageInfo, ...] | None = None
    more_changes: bool = False
    labels: Mapping[str, Any] = _mapping_field()
    attention_set: Mapping[str, Any] = _mapping_field()
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> ChangeInfo:
        r = _Reader("ChangeInfo", data, where)
        number = r.req_int("_number")
        r.where = r.where or f" (change {number})"
        revisions_raw = r.opt_obj("revisions") or {}
        revisions = {
            sha: RevisionInfo.from_json(
                info, commit_sha=sha, where=f"change {number}, revision {sha}"
            )
            for sha, info in revisions_raw.items()
        }
        messages: tuple[ChangeMessageInfo, ...] | None = None
        if r.data.get("messages") is not None:
            messages = tuple(
                ChangeMessageInfo.from_json(item, where=f"change {number}, messages[{i}]")
                for i, item in enumerate(r.get_list("messages"))
            )
        return cls(
            id=r.req_str("id"),
            project=r.req_str("project"),
            branch=r.req_str("branch"),
            change_id=r.req_str("change_id"),
            subject=r.req_str("subject"),
            status=r.req_str("status"),
            number=number,
            owner=AccountInfo.from_json(
                r.opt_obj("owner", required=True), where="ChangeInfo.owner"
            ),
            created=r.req_time("created"),
            updated=r.req_time("updated"),
            triplet_id=r.opt_str("triplet_id"),
            topic=r.opt_str("topic"),
            hashtags=r.str_tuple("hashtags"),
            submitted=r.opt_time("submitted"),
            insertions=r.opt_int("insertions"),
            deletions=r.opt_int("deletions"),
            work_in_progress=r.flag("work_in_progress"),
            is_private=r.flag("is_private"),
            mergeable=r.opt_bool("mergeable"),
            has_review_started=r.opt_bool("has_review_started"),
            total_comment_count=r.opt_int("total_comment_count"),
            unresolved_comment_count=r.opt_int("unresolved_comment_count"),
            meta_rev_id=r.opt_str("meta_rev_id"),
            virtual_id_number=r.opt_int("virtual_id_number"),
            full_branch=r.opt_str("full_branch"),
            current_revision=r.opt_str("current_revision"),
            current_revision_number=r.opt_int("current_revision_number"),
            revisions=MappingProxyType(revisions),
            messages=messages,
            more_changes=r.flag("_more_changes"),
            labels=r.frozen("labels"),
            attention_set=r.frozen("attention_set"),
            raw=MappingProxyType(dict(data)),
        )

    @property
    def current_revision_info(self) -> RevisionInfo | None:
        """The RevisionInfo of ``current_revision``, when the query asked for it."""
        if self.current_revision is None:
            return None
        return self.revisions.get(self.current_revision)

    @property
    def current_number(self) -> int | None:
        """The current patch set's number: ``current_revision_number`` or the revision's."""
        if self.current_revision_number is not None:
            return self.current_revision_number
        current = self.current_revision_info
        return current.number if current is not None and isinstance(current.number, int) else None

    def revision(self, patchset: int) -> RevisionInfo | None:
        """The revision of patch set ``patchset``, when the query returned it."""
        for revision in self.revisions.values():
            if revision.number == patchset:
                return revision
        return None

    @property
    def is_open(self) -> bool:
        return self.status == "NEW"


def parse_changes(data: Any) -> list[ChangeInfo]:
    """Parse the flat list returned by a single-query ``GET /changes/``."""
    if not isinstance(data, list):
        raise InvalidRecord(f"change query result: expected a JSON list, got {_type_name(data)}")
    return [ChangeInfo.from_json(item, where=f"result[{i}]") for i, item in enumerate(data)]


@dataclass(frozen=True)
class ReviewResult:
    """ReviewResult. ``change_info`` is present on Gerrit 3.9+ only."""

    labels: Mapping[str, Any] = _mapping_field()
    reviewers: Mapping[str, Any] = _mapping_field()
    ready: bool = False
    error: str | None = None
    change_info: ChangeInfo | None = None

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> ReviewResult:
        r = _Reader("ReviewResult", data, where)
        change_raw = r.opt_obj("change_info")
        return cls(
            labels=r.frozen("labels"),
            reviewers=r.frozen("reviewers"),
            ready=r.flag("ready"),
            error=r.opt_str("error"),
            change_info=(
                ChangeInfo.from_json(change_raw, where="ReviewResult.change_info")
                if change_raw is not None
                else None
            ),
        )
