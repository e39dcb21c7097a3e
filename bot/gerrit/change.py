"""``/changes/`` resource client, compatible with python-gerritclient's ``ChangeClient``.

Conventions (as upstream, except where noted):

* ``change_id`` is ``str()``-ed (so ints work; upstream raises ``TypeError``)
  and quoted with ``safe=""``. ``ChangeInfo.id`` values are already
  URL-encoded and would be encoded twice: pass ``_number`` or the raw
  ``project~number`` form (see :func:`change_id_for`).
* ``revision_id``, ``account_id`` and ``message_id`` are ``str()``-ed and quoted.
* Query strings in :meth:`ChangeClient.get_all` are inserted into the URL
  verbatim (``+`` means a space); a plain ``str`` is taken as one query.
* Request bodies hold only the arguments that are not ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from bot.gerrit.base import BaseClient
from bot.gerrit.error import BadDataException, PagingLimit

__all__ = ["ChangeClient", "change_id_for", "get_client"]


def _q(value: Any) -> str:
    return quote(str(value), safe="")


def _body(*pairs: tuple[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in pairs if value is not None}


def _dedup_key(change: Any) -> tuple[Any, Any] | None:
    """``(_number, current_revision)`` of a record, or None when they are not plain values
    (a malformed record is passed on for the caller to reject, never dropped here)."""
    if not isinstance(change, dict):
        return None
    number, revision = change.get("_number"), change.get("current_revision")
    if not isinstance(number, int) or not isinstance(revision, str | None):
        return None
    return number, revision


def change_id_for(project: str, number: int | str) -> str:
    """Build the raw (unencoded) ``project~number`` change id; the client quotes it once."""
    return f"{project}~{number}"


class ChangeClient(BaseClient):
    """Client for ``/changes/`` (Gerrit REST API v1)."""

    api_path = "/changes/"

    # -- paths --------------------------------------------------------------------------------

    def _change(self, change_id: Any) -> str:
        return f"{self.api_path}{_q(change_id)}"

    def _revision(self, change_id: Any, revision_id: Any) -> str:
        return f"{self._change(change_id)}/revisions/{_q(revision_id)}"

    # -- queries ------------------------------------------------------------------------------

    def get_all(
        self,
        query: Sequence[str] | str,
        options: Sequence[str] | None = None,
        limit: int | None = None,
        skip: int | None = None,
    ) -> Any:
        """Query changes: ``GET /changes/?q=...``.

        One query returns a flat list of ChangeInfo, several a list of lists.
        Query strings are inserted verbatim (pre-encode reserved characters;
        ``+`` is a space).
        """
        queries = [query] if isinstance(query, str) else list(query)
        params = _body(("o", options), ("n", limit), ("S", skip))
        path = f"{self.api_path}?q={'&q='.join(queries)}"
        return self.connection.get_request(path, params=params)

    def iter_all(
        self,
        query: str,
        options: Sequence[str] | None = None,
        page_size: int = 100,
        max_pages: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield every change matching one ``query``, following ``_more_changes`` with ``S``.

        Changes updated while paging can move between pages; duplicates are
        dropped on ``(_number, current_revision)`` (on ``_number`` alone when
        the result has no ``current_revision``).

        A Gerrit that ignores ``S`` answers the same page with ``_more_changes`` forever.
        Paging stops, after the records read so far were yielded, with
        :class:`~bot.gerrit.error.PagingLimit` when a page brought nothing new or when
        ``max_pages`` pages were read and Gerrit still says there are more.
        """
        if not isinstance(query, str):
            raise TypeError("iter_all() takes a single query string")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        seen: set[tuple[Any, Any]] = set()
        skip = 0
        pages = 0
        while True:
            page = self.get_all([query], options=options, limit=page_size, skip=skip)
            pages += 1
            if not isinstance(page, list):
                raise BadDataException(
                    f"change query returned {type(page).__name__}, expected a list of ChangeInfo"
                )
            fresh = 0
            for change in page:
                key = _dedup_key(change)
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                fresh += 1
                yield change
            if not page or not (isinstance(page[-1], dict) and page[-1].get("_more_changes")):
                return
            if fresh == 0:
                raise PagingLimit(
                    f"change query: page {pages} (S={skip}) repeated only changes already "
                    "read, yet Gerrit says there are more; it seems to ignore S=",
                    pages=pages,
                    repeated=True,
                )
            if max_pages is not None and pages >= max_pages:
                raise PagingLimit(
                    f"change query: still more changes after {pages} pages of {page_size}",
                    pages=pages,
                )
            skip += len(page)

    def get_by_id(
        self, change_id: Any, detailed: bool = False, options: Sequence[str] | None = None
    ) -> Any:
        """``GET /changes/{id}/`` (trailing slash, as upstream) or ``/changes/{id}/detail``."""
        path = f"{self._change(change_id)}/{'detail' if detailed else ''}"
        return self.connection.get_request(path, params={"o": options})

    def create(self, data: dict[str, Any]) -> Any:
        return self.connection.post_request(self.api_path, json_data=data)

    def delete(self, change_id: Any) -> Any:
        return self.connection.delete_request(self._change(change_id), data={})

    def abandon(self, change_id: Any) -> Any:
        return self.connection.post_request(f"{self._change(change_id)}/abandon", json_data={})

    def restore(self, change_id: Any) -> Any:
        return self.connection.post_request(f"{self._change(change_id)}/restore", json_data={})

    def submit(self, change_id: Any, on_behalf_of: Any = None, notify: str | None = None) -> Any:
        data = _body(("on_behalf_of", on_behalf_of), ("notify", notify))
        return self.connection.post_request(f"{self._change(change_id)}/submit", json_data=data)

    def get_topic(self, change_id: Any) -> Any:
        return self.connection.get_request(f"{self._change(change_id)}/topic")

    # -- comments and review ------------------------------------------------------------------

    def get_comments(self, change_id: Any, comment_type: str | None = None) -> Any:
        """Published comments (``/comments``), or ``"drafts"`` / ``"robotcomments"``.

        ``/robotcomments`` no longer exists on Gerrit 3.13+.
        """
        kind = comment_type if comment_type else "comments"
        return self.connection.get_request(f"{self._change(change_id)}/{kind}")

    def set_review(
        self,
        change_id: Any,
        revision_id: Any = "current",
        message: str | None = None,
        labels: dict[str, int] | None = None,
        comments: dict[str, list[dict[str, Any]]] | None = None,
        tag: str | None = None,
        notify: str | None = None,
        on_behalf_of: Any = None,
        ready: bool | None = None,
        work_in_progress: bool | None = None,
        *,
        omit_duplicate_comments: bool | None = None,
        drafts: str | None = None,
        notify_details: dict[str, Any] | None = None,
        add_to_attention_set: list[dict[str, Any]] | None = None,
        remove_from_attention_set: list[dict[str, Any]] | None = None,
        response_format_options: Sequence[str] | None = None,
        ignore_automatic_attention_set_rules: bool | None = None,
    ) -> Any:
        """``POST /changes/{id}/revisions/{rev}/review`` with a ReviewInput; returns ReviewResult.

        Never retried automatically: after a failure, re-read the messages
        before posting again.
        """
        data = _body(
            ("message", message),
            ("labels", labels),
            ("comments", comments),
            ("tag", tag),
            ("notify", notify),
            ("on_behalf_of", on_behalf_of),
            ("ready", ready),
            ("work_in_progress", work_in_progress),
            ("omit_duplicate_comments", omit_duplicate_comments),
            ("drafts", drafts),
            ("notify_details", notify_details),
            ("add_to_attention_set", add_to_attention_set),
            ("remove_from_attention_set", remove_from_attention_set),
            (
                "response_format_options",
                list(response_format_options) if response_format_options is not None else None,
            ),
            ("ignore_automatic_attention_set_rules", ignore_automatic_attention_set_rules),
        )
        path = f"{self._revision(change_id, revision_id)}/review"
        return self.connection.post_request(path, json_data=data)

    # -- messages -----------------------------------------------------------------------------

    def get_messages(self, change_id: Any) -> Any:
        return self.connection.get_request(f"{self._change(change_id)}/messages")

    def get_message(self, change_id: Any, message_id: Any) -> Any:
        return self.connection.get_request(f"{self._change(change_id)}/messages/{_q(message_id)}")

    # -- revisions and files ------------------------------------------------------------------

    def get_review(self, change_id: Any, revision_id: Any = "current") -> Any:
        """``GET .../revisions/{rev}/review``: a ChangeInfo holding that one revision (with
        its kind), detailed labels and accounts; ``current_revision`` only when it is current."""
        return self.connection.get_request(f"{self._revision(change_id, revision_id)}/review")

    def get_revision(self, change_id: Any, revision_id: Any = "current") -> Any:
        """``GET /changes/{id}/revisions/{rev}``: a RevisionInfo."""
        return self.connection.get_request(self._revision(change_id, revision_id))

    def get_revision_files(
        self, change_id: Any, revision_id: Any = "current", base: Any = None, parent: Any = None
    ) -> Any:
        """``GET .../revisions/{rev}/files``: path → FileInfo, including ``/COMMIT_MSG``."""
        params = _body(("base", base), ("parent", parent))
        path = f"{self._revision(change_id, revision_id)}/files"
        return self.connection.get_request(path, params=params or None)

    def get_file_diff(
        self,
        change_id: Any,
        file_path: str,
        revision_id: Any = "current",
        base: Any = None,
        parent: Any = None,
        context: Any = None,
        intraline: bool | None = None,
        whitespace: str | None = None,
    ) -> Any:
        """``GET .../files/{path}/diff``: a DiffInfo. Booleans are sent as ``true``/``false``."""
        params = _body(
            ("base", base),
            ("parent", parent),
            ("context", context),
            ("intraline", intraline),
            ("whitespace", whitespace),
        )
        path = f"{self._revision(change_id, revision_id)}/files/{_q(file_path)}/diff"
        return self.connection.get_request(path, params=params or None)

    def get_file_content(self, change_id: Any, file_path: str, revision_id: Any = "current") -> Any:
        """``GET .../files/{path}/content`` with ``Accept: application/json``.

        Gerrit then answers with the text as a JSON string (lossy for binary
        files); use :meth:`get_file_content_bytes` for the exact bytes.
        """
        path = f"{self._revision(change_id, revision_id)}/files/{_q(file_path)}/content"
        return self.connection.get_request(path)

    def get_file_content_bytes(
        self, change_id: Any, file_path: str, revision_id: Any = "current"
    ) -> bytes:
        """The exact bytes of a file in a revision (asks Gerrit for base64)."""
        path = f"{self._revision(change_id, revision_id)}/files/{_q(file_path)}/content"
        return self.connection.get_request_bytes(path)

    def get_patch(
        self,
        change_id: Any,
        revision_id: Any = "current",
        download: bool = False,
        path: str | None = None,
    ) -> Any:
        params = {key: value for key, value in (("download", download), ("path", path)) if value}
        url = f"{self._revision(change_id, revision_id)}/patch"
        return self.connection.get_request(url, params=params or None)

    def get_related_changes(self, change_id: Any, revision_id: Any = "current") -> Any:
        return self.connection.get_request(f"{self._revision(change_id, revision_id)}/related")

    # -- reviewers ----------------------------------------------------------------------------

    def get_reviewers(self, change_id: Any) -> Any:
        return self.connection.get_request(f"{self._change(change_id)}/reviewers")

    def get_reviewer(self, change_id: Any, account_id: Any) -> Any:
        return self.connection.get_request(f"{self._change(change_id)}/reviewers/{_q(account_id)}")

    def add_reviewer(
        self,
        change_id: Any,
        reviewer: Any,
        state: str | None = None,
        confirmed: bool | None = None,
        notify: str | None = None,
    ) -> Any:
        data = _body(
            ("reviewer", reviewer), ("state", state), ("confirmed", confirmed), ("notify", notify)
        )
        return self.connection.post_request(f"{self._change(change_id)}/reviewers", json_data=data)

    def delete_reviewer(self, change_id: Any, account_id: Any, notify: str | None = None) -> Any:
        path = f"{self._change(change_id)}/reviewers/{_q(account_id)}"
        return self.connection.delete_request(path, data=_body(("notify", notify)))

    # -- work in progress, hashtags -----------------------------------------------------------

    def set_work_in_progress(self, change_id: Any, message: str | None = None) -> Any:
        path = f"{self._change(change_id)}/wip"
        return self.connection.post_request(path, json_data=_body(("message", message)))

    def set_ready_for_review(self, change_id: Any, message: str | None = None) -> Any:
        path = f"{self._change(change_id)}/ready"
        return self.connection.post_request(path, json_data=_body(("message", message)))

    def get_hashtags(self, change_id: Any) -> Any:
        return self.connection.get_request(f"{self._change(change_id)}/hashtags")

    def set_hashtags(
        self, change_id: Any, add: Sequence[str] | None = None, remove: Sequence[str] | None = None
    ) -> Any:
        path = f"{self._change(change_id)}/hashtags"
        return self.connection.post_request(path, json_data=_body(("add", add), ("remove", remove)))


def get_client(connection: Any) -> ChangeClient:
    return ChangeClient(connection)
