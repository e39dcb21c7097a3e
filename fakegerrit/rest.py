"""REST routing and handlers of the fake Gerrit."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from . import fixes
from .diffinfo import WHITESPACE, count_lines, diff_content
from .errors import HttpError
from .gitstore import MAGIC_COMMIT_MSG, content_type
from .inputs import (
    ADD_REVIEWER,
    DELETE_REVIEWER,
    HASHTAGS,
    MESSAGE,
    REVIEW,
    TOPIC,
    InputClass,
    parse_request,
)
from .model import Account, Change, NotFound, PatchSet, State, group_uuid, group_visible
from .query import AuthRequired, EvalContext, QueryError, evaluate, parse, query_limit
from .review import post_review
from .views import LIST_CHANGES_OPTIONS, OPTION_BITS, Views

JSON_TYPE = "application/json; charset=UTF-8"
TEXT_TYPE = "text/plain; charset=UTF-8"
GLOBAL_PARAMS = frozenset(
    {"pp", "prettyPrint", "strict", "callback", "alt", "fields", "trace", "experiment",
     "access_token", "$m", "$ct"}
)  # fmt: skip
TRUE = frozenset({"", "true", "t", "yes", "y", "on", "1"})
FALSE = frozenset({"false", "f", "no", "n", "off", "0"})
QUERY_LIMIT = 500
REST_ROOTS = ("changes", "accounts", "config", "projects", "groups")
# Views below /changes/ID/ that take no further segment (…/topic/x is a 404).
_ONE_SEGMENT_VIEWS = frozenset(
    {"comments", "drafts", "robotcomments", "wip", "ready", "hashtags", "topic", "abandon",
     "restore"}
)  # fmt: skip


@dataclass
class Request:
    method: str
    raw_path: str  # still percent-encoded, without query
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    caller: Account | None
    authenticated: bool  # the path had the /a/ prefix


@dataclass
class Response:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        for k, v in self.headers:
            if k.lower() == "content-type":
                return v
        return ""


def is_rest_path(path: str) -> bool:
    p = path[2:] if path.startswith("/a/") else path
    first = p.lstrip("/").split("/", 1)[0]
    return p.startswith("/") and first in REST_ROOTS


def json_response(
    obj: Any,
    status: int = 200,
    pretty: bool = False,
    extra: list[tuple[str, str]] | None = None,
) -> Response:
    if pretty:
        text = json.dumps(obj, indent=2, ensure_ascii=False)
    else:
        text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    headers = [
        ("Content-Type", JSON_TYPE),
        ("Content-Disposition", "attachment"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    headers.extend(extra or [])
    return Response(status, b")]}'\n" + text.encode("utf-8") + b"\n", headers)


def text_response(
    status: int, message: str, headers: list[tuple[str, str]] | None = None
) -> Response:
    if not message.endswith("\n"):
        message += "\n"
    return Response(
        status, message.encode("utf-8"), [("Content-Type", TEXT_TYPE), *(headers or [])]
    )


def decode_id(segment: str) -> str:
    """A path segment decoded as Gerrit's ``IdString.get`` decodes it (``URLDecoder``:
    ``+`` is a space; a ``%`` not followed by two hex digits stays a ``%``)."""
    return unquote_plus(re.sub(r"%(?![0-9a-fA-F]{2})", "%25", segment))


def option_name(key: str) -> str:
    """The args4j option a query parameter names: ``-x`` for one letter, else ``--name``."""
    if key.startswith("-"):
        return key
    return f"-{key}" if len(key) == 1 else f"--{key}"


def parse_bool(name: str, value: str) -> bool:
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise HttpError(400, f'invalid boolean "{name}={value}"')


class Params:
    """Query parameters of one endpoint; unknown ones give 400."""

    def __init__(self, pairs: list[tuple[str, str]], allowed: set[str] | frozenset[str]) -> None:
        self.values: dict[str, list[str]] = {}
        for k, v in pairs:
            if k in GLOBAL_PARAMS:
                continue
            if k not in allowed:
                raise HttpError(400, f'"{option_name(k)}" is not a valid option')
            self.values.setdefault(k, []).append(v)

    def get(self, *names: str) -> str | None:
        given = self.given(*names)
        return None if given is None else self.values[given][-1]

    def given(self, *names: str) -> str | None:
        """Which of ``names`` (aliases of one option) the request used."""
        for n in names:
            if n in self.values:
                return n
        return None

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def flag(self, name: str) -> bool:
        v = self.get(name)
        return False if v is None else parse_bool(name, v)

    def int(self, name: str, *aliases: str) -> int | None:
        key = self.given(name, *aliases)
        if key is None:
            return None
        v = self.values[key][-1]
        if not re.fullmatch(r"[+-]?[0-9]+", v) or not -(2**31) <= int(v) < 2**31:
            raise HttpError(400, f'"{v}" is not a valid value for "{option_name(key)}"')
        return int(v)


def _options(params: Params) -> set[str]:
    opts: set[str] = set()
    for raw in params.all("o"):
        name = raw.upper()  # args4j matches enum names ignoring case, nothing else
        if name not in LIST_CHANGES_OPTIONS:
            raise HttpError(400, f'"{raw}" is not a valid value for "-o"')
        opts.add(name)
    for raw in params.all("O"):
        try:
            if not re.fullmatch(r"[+-]?[0-9a-fA-F]+", raw) or not -(2**31) <= int(raw, 16) < 2**31:
                raise ValueError(raw)
            bits = int(raw, 16)
        except ValueError:
            # QueryChanges parses it with Integer.parseInt(hex, 16); the servlet answers
            # the NumberFormatException's own message.
            raise HttpError(400, f'For input string: "{raw}" under radix 16') from None
        opts.update(name for bit, name in OPTION_BITS.items() if bits & (1 << bit))
    return opts


class RestApi:
    def __init__(
        self,
        state: State,
        *,
        url: Callable[[], str],
        version: str,
        comment_size_limit: int,
    ) -> None:
        self.state = state
        self.url = url
        self.version = version
        self.comment_size_limit = comment_size_limit

    # -------------------------------------------------------------- dispatch

    def handle(self, req: Request) -> Response:
        pretty = any(k in ("pp", "prettyPrint") and v in ("", "1", "true") for k, v in req.query)
        try:
            if req.method not in ("GET", "HEAD") and req.caller is None:
                raise HttpError(403, "Authentication required")
            path = req.raw_path[2:] if req.raw_path.startswith("/a/") else req.raw_path
            raw_segments = path.split("/")[1:]
            if raw_segments and raw_segments[-1] == "":
                raw_segments.pop()
            segments = [decode_id(s) for s in raw_segments]
            result = self.route(req, segments, raw_segments)
            if isinstance(result, Response):
                return result
            return json_response(result, pretty=pretty)
        except HttpError as err:
            if err.json_body is not None:
                return json_response(err.json_body, err.status, pretty, err.headers)
            return text_response(err.status, err.message, err.headers)
        except AuthRequired as err:
            return text_response(403, str(err))

    def route(self, req: Request, seg: list[str], raw: list[str]) -> Any:
        root = seg[0] if seg else ""
        views = Views(self.state, self.url(), self.version, req.caller)

        def only(*methods: str) -> None:
            if req.method == "HEAD" and "GET" in methods:
                return
            if req.method not in methods:
                raise HttpError(405, f"Not implemented: {req.method} {req.raw_path}")

        if root == "config":
            if seg[1:] == ["server", "version"]:
                only("GET")
                Params(req.query, set())
                return self.version
            if seg[1:] == ["server", "info"]:
                only("GET")
                Params(req.query, set())
                return {
                    "auth": {"auth_type": "HTTP", "use_contributor_agreements": False},
                    "change": {"update_delay": 300, "submit_whole_topic": False},
                    "download": {
                        "schemes": {"anonymous http": {"url": self.url() + "/${project}"}}
                    },
                    "gerrit": {"doc_url": self.url() + "/Documentation/"},
                }
            raise HttpError(404, f"Not found: {'/'.join(seg[1:])}")
        if root == "accounts":
            return self.accounts(req, seg, raw, views, only)
        if root == "groups" and len(seg) == 2:
            only("GET")
            Params(req.query, {"o"})
            return self.group(seg[1], req.caller)
        if root == "projects":
            return self.projects(req, seg, raw, only)
        # changes
        if len(seg) == 1:
            only("GET")
            return self.query(req, views)
        with self.state.lock:
            ch = self.resolve_change(raw[1], seg[1])
            return self.change_resource(req, ch, seg[2:], raw[2:], views, only)

    # -------------------------------------------------------------- accounts

    def accounts(
        self, req: Request, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        if len(seg) == 1:
            only("GET")
            params = Params(req.query, {"q", "n", "S", "o", "suggest", "start", "limit"})
            q = (params.get("q") or "").strip()
            found = self.state.resolve_accounts(q.split(":", 1)[-1]) if q else []
            return [views.account(a.account_id) for a in found]
        ident = seg[1]
        if ident == "self":
            if req.caller is None:
                raise HttpError(403, "Authentication required")
            acc = req.caller
        else:
            found = self.state.resolve_accounts(ident)
            if len(found) != 1:
                raise HttpError(404, f"Account '{raw[1]}' not found")
            acc = found[0]
        rest = seg[2:]
        only("GET")
        Params(req.query, set())
        if rest in ([], ["detail"]):
            info = views.account(acc.account_id)
            if rest == ["detail"]:
                info["registered_on"] = "2020-01-01 00:00:00.000000000"
            return info
        if rest == ["groups"]:  # only the groups the caller can see, as Gerrit filters them
            return [
                self._group_info(g, i + 1)
                for i, g in enumerate(sorted(acc.groups))
                if group_visible(self.state, g, req.caller)
            ]
        if rest == ["name"]:
            return acc.name
        if rest == ["username"]:
            return acc.username
        raise HttpError(404, f"Not found: {'/'.join(seg[2:])}")

    def _group_info(self, name: str, number: int) -> dict[str, Any]:
        options = {"visible_to_all": True} if name in self.state.visible_groups else {}
        return {"id": group_uuid(name), "name": name, "group_id": number, "options": options}

    def group(self, ident: str, caller: Account | None) -> dict[str, Any]:
        """``GET /groups/{id}`` by UUID or name: 404 for a group the caller cannot see."""
        names = sorted(
            {g for acc in self.state.accounts.values() for g in acc.groups}
            | self.state.visible_groups
        )
        for number, name in enumerate(names, 1):
            if ident in (name, group_uuid(name), str(number)) and group_visible(
                self.state, name, caller
            ):
                return self._group_info(name, number)
        raise HttpError(404, f"Not found: {ident}")

    def projects(self, req: Request, seg: list[str], raw: list[str], only: Any) -> Any:
        only("GET")

        def info(name: str) -> dict[str, Any]:
            return {"id": raw_quote(name), "name": name, "state": "ACTIVE"}

        if len(seg) == 1:
            Params(req.query, {"d", "n", "S", "p", "r", "m", "t", "b", "type", "state", "all"})
            return {
                name: {k: v for k, v in info(name).items() if k != "name"}
                for name in sorted(self.state.projects)
            }
        name = seg[1]
        if name not in self.state.projects:
            raise HttpError(404, f"Not found: {seg[1]}")
        Params(req.query, set())
        if len(seg) == 2:
            return info(name)
        if seg[2:] == ["HEAD"]:
            return f"refs/heads/{self.state.projects[name]}"
        raise HttpError(404, f"Not found: {'/'.join(seg[2:])}")

    # ----------------------------------------------------------------- query

    def _eval_context(self, req: Request, views: Views) -> EvalContext:
        state = self.state
        return EvalContext(
            now=state.now(),
            caller=req.caller,
            accounts=state.resolve_accounts,
            files=lambda ch: views.modified_paths(ch, ch.current),
            commit_message=lambda ch: state.git.commit_obj(ch.project, ch.current.sha).message,
            texts=lambda ch: [m.message for m in ch.messages] + [c.message for c in ch.comments],
        )

    def query(self, req: Request, views: Views) -> Any:
        params = Params(
            req.query,
            {"q", "n", "limit", "S", "start", "o", "O", "no-limit", "allow-incomplete-results",
             "skip-visibility"},
        )  # fmt: skip
        queries = params.all("q") or ["status:open"]
        if len(queries) > 10:
            raise HttpError(400, "limit of 10 queries")
        start = params.int("S", "start") or 0
        if start < 0:
            raise HttpError(400, "'start' parameter cannot be less than zero")
        limit = params.int("n", "limit")
        no_limit = params.flag("no-limit") and req.caller is not None
        params.flag("allow-incomplete-results")
        opts = _options(params)
        results = []
        with self.state.lock:
            ctx = self._eval_context(req, views)
            for q in queries:
                try:
                    node = parse(q)
                    qlim = query_limit(node)
                    matched = [
                        ch
                        for ch in self.state.changes.values()
                        if not ch.private or (req.caller and req.caller.account_id == ch.owner)
                        if evaluate(node, ch, ctx)
                    ]
                except QueryError as err:
                    raise HttpError(400, str(err)) from None
                matched.sort(key=lambda c: (c.updated, c.number), reverse=True)
                cap = QUERY_LIMIT
                if limit is not None and limit > 0:
                    cap = min(cap, limit)
                if qlim is not None:
                    cap = min(cap, qlim)
                if no_limit and limit is None and qlim is None:
                    cap = len(matched)
                page = matched[start : start + cap]
                more = len(matched) > start + len(page)
                results.append(
                    [
                        views.change_info(ch, opts, more=more and i == len(page) - 1)
                        for i, ch in enumerate(page)
                    ]
                )
        return results[0] if len(queries) == 1 else results

    # --------------------------------------------------------------- changes

    def resolve_change(self, raw_id: str, change_id: str) -> Change:
        changes = self.state.changes.values()
        found: list[Change] = []
        parts = change_id.split("~")
        if len(parts) == 2 and parts[1].isdigit():
            found = [c for c in changes if c.project == parts[0] and c.number == int(parts[1])]
        elif len(parts) == 3:
            project, branch, cid = parts
            branch = branch.removeprefix("refs/heads/")
            found = [
                c
                for c in changes
                if c.project == project and c.branch == branch and c.change_id == cid
            ]
        elif change_id.isdigit():
            found = [c for c in changes if c.number == int(change_id)]
        elif re.fullmatch(r"I[0-9a-f]{40}", change_id):
            found = [c for c in changes if c.change_id == change_id]
        if len(found) > 1:
            raise HttpError(404, f"Multiple changes found for {raw_id}")
        if not found:
            raise HttpError(404, f"Not found: {change_id}")
        return found[0]

    def resolve_revision(self, ch: Change, raw_rev: str, rev: str) -> PatchSet:
        if rev == "current":
            return ch.current
        if rev in ("0", "edit"):
            raise HttpError(404, f"Not found: {rev}")
        numbers = {str(ps.number) for ps in ch.patchsets}
        if rev.isdigit() and (len(rev) < 4 or rev in numbers):
            for ps in ch.patchsets:
                if ps.number == int(rev):
                    return ps
            raise HttpError(404, f"Not found: {rev}")
        if re.fullmatch(r"[0-9a-fA-F]{4,40}", rev):
            matches = [ps for ps in ch.patchsets if ps.sha.startswith(rev.lower())]
            if len(matches) == 1:
                return matches[0]
        raise HttpError(404, f"Not found: {rev}")

    def read_input(self, req: Request, cls: InputClass) -> dict[str, Any]:
        """The request's input for a view taking ``cls`` (see :mod:`fakegerrit.inputs`)."""
        return parse_request(req.method, req.headers, req.body, {k for k, _ in req.query}, cls)

    def change_resource(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        if not seg:
            return self._change_info(req, ch, seg, raw, views, only)
        name = seg[0]
        handler = self._change_views().get(name)
        if (
            handler is None
            or (name in _ONE_SEGMENT_VIEWS and len(seg) != 1)
            or (name == "revisions" and len(seg) < 2)
        ):
            raise HttpError(404, f"Not found: {seg[0]}")
        return handler(req, ch, seg, raw, views, only)

    def _change_views(self) -> dict[str, Callable[..., Any]]:
        """The views below /changes/ID/ by their first segment."""
        return {
            "detail": self._change_info,
            "messages": self._messages,
            "comments": self._comments,
            "drafts": self._comments,
            "robotcomments": self._comments,
            "reviewers": self.reviewers,
            "wip": self._wip,
            "ready": self._wip,
            "hashtags": self._hashtags,
            "topic": self._topic,
            "abandon": self._abandon_or_restore,
            "restore": self._abandon_or_restore,
            "edit": self._edit,
            "edit:publish": self._edit,
            "revisions": lambda req, ch, seg, raw, views, only: self.revision_resource(
                req, ch, seg[1:], raw[1:], views, only
            ),
        }

    def _change_info(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        only("GET")
        params = Params(req.query, {"o", "O", "meta"})
        opts = _options(params)
        if seg and seg[0] == "detail":
            opts |= {
                "LABELS",
                "DETAILED_LABELS",
                "DETAILED_ACCOUNTS",
                "REVIEWER_UPDATES",
                "MESSAGES",
            }
        if len(seg) > 1:
            raise HttpError(404, f"Not found: {seg[1]}")
        return views.change_info(ch, opts)

    def _messages(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        only("GET")
        Params(req.query, set())
        if len(seg) == 1:
            return [views.message_info(m) for m in ch.messages]
        for m in ch.messages:
            if m.id == seg[1]:
                return views.message_info(m)
        raise HttpError(404, f"Not found: {seg[1]}")

    def _comments(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        name = seg[0]
        only("GET")
        Params(req.query, {"enable-context", "context-padding"})
        if name == "comments":
            return views.comments_map(ch)
        if name == "robotcomments" and views.at_least(3, 13):
            raise HttpError(404, f"Not found: {seg[0]}")
        if name == "drafts" and req.caller is None:
            raise HttpError(403, "Authentication required")
        return {}

    def _wip(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        name = seg[0]
        body = self._action_input(req, only)
        if ch.status != "NEW":
            raise HttpError(409, "change is closed")
        if name == "wip" and ch.wip:
            raise HttpError(409, "current revision is already work in progress")
        if name == "ready" and not ch.wip:
            raise HttpError(409, "current revision is not work in progress")
        self.state.set_wip(
            ch.number,
            name == "wip",
            req.caller.account_id if req.caller else None,
            str(body.get("message") or ""),
        )
        return ""

    def _action_input(self, req: Request, only: Any) -> dict[str, Any]:
        """The input of a POST action that takes a message and no query parameters."""
        only("POST")
        Params(req.query, set())
        return self.read_input(req, MESSAGE)

    def _hashtags(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        only("GET", "POST")
        Params(req.query, set())
        if req.method == "POST":
            self._set_hashtags(req, ch, self.read_input(req, HASHTAGS))
        return sorted(ch.hashtags)

    def _set_hashtags(self, req: Request, ch: Change, body: dict[str, Any]) -> None:
        add = [h.strip() for h in body.get("add") or [] if isinstance(h, str) and h.strip()]
        remove = [h.strip() for h in body.get("remove") or [] if isinstance(h, str)]
        before = set(ch.hashtags)
        after = (before | set(add)) - set(remove)
        if after == before:
            return
        ch.hashtags = sorted(after)
        parts = []
        if after - before:
            parts.append("Hashtags added: " + ", ".join(sorted(after - before)))
        if before - after:
            parts.append("Hashtags removed: " + ", ".join(sorted(before - after)))
        assert req.caller is not None
        self.state.add_message(
            ch.number,
            req.caller.account_id,
            "\n".join(parts),
            "autogenerated:gerrit:setHashtag",
            ch.current.number,
        )

    def _topic(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        only("GET", "PUT", "DELETE")
        Params(req.query, set())
        if req.method == "GET":
            return ch.topic or ""
        body = self.read_input(req, TOPIC) if req.method == "PUT" else {}
        topic = str(body.get("topic") or "").strip() or None
        ch.topic = topic
        self.state.touch(ch)
        if topic is None:
            return Response(204, b"", [("Content-Type", TEXT_TYPE)])
        return topic

    def _abandon_or_restore(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        name = seg[0]
        self._action_input(req, only)
        assert req.caller is not None
        if name == "abandon" and ch.status != "NEW":
            raise HttpError(409, f"change is {ch.status.lower()}")
        if name == "restore" and ch.status != "ABANDONED":
            raise HttpError(409, f"change is {ch.status.lower()}")
        self.state.set_status(
            ch.number, "ABANDONED" if name == "abandon" else "NEW", req.caller.account_id
        )
        return views.change_info(ch, set())

    def reviewers(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        def reviewer_info(acc_id: int) -> dict[str, Any]:
            info = views.account(acc_id)
            info["approvals"] = {
                label: f"{'+' if v > 0 else (' ' if v == 0 else '')}{v}"
                for label, votes in sorted(ch.votes.items())
                for a, v in votes.items()
                if a == acc_id
            }
            return info

        Params(req.query, set())
        if len(seg) == 1:
            only("GET", "POST")
            if req.method == "GET":
                return [reviewer_info(a) for a in ch.reviewers]
            body = self.read_input(req, ADD_REVIEWER)
            ident = body.get("reviewer")
            if not isinstance(ident, str):
                raise HttpError(400, "reviewer user or group name is required")
            found = self.state.resolve_accounts(ident)
            if len(found) != 1:
                raise HttpError(
                    400,
                    "",
                    json_body={
                        "input": ident,
                        "error": f"{ident} does not identify a registered user or group",
                    },
                )
            state = "CC" if body.get("state") == "CC" else "REVIEWER"
            ch.reviewers[found[0].account_id] = state
            self.state.touch(ch)
            result: dict[str, Any] = {"input": ident}
            if state == "CC":
                result["ccs"] = [views.account(found[0].account_id)]
            else:
                result["reviewers"] = [reviewer_info(found[0].account_id)]
            return result
        if len(seg) == 2:
            found = [a for a in self.state.resolve_accounts(seg[1]) if a.account_id in ch.reviewers]
            if not found:
                raise HttpError(404, f"Not found: {seg[1]}")
            only("GET", "DELETE")
            if req.method == "GET":
                return [reviewer_info(found[0].account_id)]
            self.read_input(req, DELETE_REVIEWER)
            del ch.reviewers[found[0].account_id]
            self.state.touch(ch)
            return Response(204, b"", [("Content-Type", TEXT_TYPE)])
        raise HttpError(404, f"Not found: {seg[2]}")

    # ------------------------------------------------------------- revisions

    def revision_resource(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        rev = seg[0]
        view = seg[1] if len(seg) > 1 else ""
        if view == "review" and len(seg) == 2 and rev in ("0", "edit"):
            only("POST")
            raise HttpError(409, "cannot post review on edit")
        ps = self.resolve_revision(ch, raw[0], rev)
        if len(seg) == 1:
            only("GET")
            params = Params(req.query, {"o", "O"})
            opts = _options(params) | {"ALL_COMMITS", "ALL_FILES"}
            return views.revision_info(ch, ps, opts, is_current=ps is ch.current)
        if view == "commit" and len(seg) == 2:
            only("GET")
            Params(req.query, {"links"})
            return views.commit_info(ch, ps, with_sha=True)
        if view == "related" and len(seg) == 2:
            only("GET")
            Params(req.query, set())
            return {"changes": []}
        if view == "review" and len(seg) == 2:
            only("GET", "POST")
            Params(req.query, set())
            if req.method == "GET":
                return views.change_info(ch, {"DETAILED_LABELS", "DETAILED_ACCOUNTS"}, only=ps)
            body = self.read_input(req, REVIEW)
            assert req.caller is not None
            status, result = post_review(
                self.state, views, ch, ps, body, req.caller, size_limit=self.comment_size_limit
            )
            return json_response(result, status)
        if view == "comments" and len(seg) == 2:
            only("GET")
            Params(req.query, set())
            return {
                path: [c for c in items if c["patch_set"] == ps.number]
                for path, items in views.comments_map(ch).items()
                if any(c["patch_set"] == ps.number for c in items)
            }
        if view == "patch" and len(seg) == 2:
            only("GET")
            params = Params(req.query, {"zip", "download", "path"})
            params.flag("zip")
            download = params.flag("download")
            text = self.state.git.patch_text(ch.project, ps.sha, params.get("path"))
            return self.encoded(req, text.encode("utf-8"), "text/x-patch", download)
        if view == "files":
            return self.files(req, ch, ps, seg[2:], raw[2:], views, only)
        if view == "fixes" and len(seg) == 4 and seg[3] == "apply":
            only("POST")
            Params(req.query, set())
            return fixes.apply_fix(self.state, views, ch, ps, seg[2], req.caller)
        raise HttpError(404, f"Not found: {seg[1]}")

    def _edit(
        self, req: Request, ch: Change, seg: list[str], raw: list[str], views: Views, only: Any
    ) -> Any:
        """The caller's change edit (``fixes``): GET/DELETE ``edit``, POST ``edit:publish``."""
        if len(seg) != 1:
            raise HttpError(404, f"Not found: {raw[1]}")
        Params(req.query, set())
        if seg[0] == "edit:publish":
            only("POST")
            fixes.publish_edit(self.state, ch, req.caller)
            return Response(204, b"", [("Content-Type", TEXT_TYPE)])
        only("GET", "DELETE")
        if req.method == "DELETE":
            fixes.delete_edit(self.state, ch, req.caller)
            return Response(204, b"", [("Content-Type", TEXT_TYPE)])
        info = fixes.edit_info(self.state, views, ch, req.caller)
        return Response(204, b"", [("Content-Type", TEXT_TYPE)]) if info is None else info

    def encoded(self, req: Request, data: bytes, mime: str, raw_download: bool = False) -> Response:
        """The base64 / JSON switch of /content and /patch."""
        if (req.headers.get("Accept") or "").strip() == "application/json":
            return json_response(
                data.decode("utf-8", errors="replace"),
                extra=[("X-FYI-Content-Encoding", "json"), ("X-FYI-Content-Type", mime)],
            )
        if raw_download:
            return Response(
                200,
                data,
                [
                    ("Content-Type", "application/octet-stream"),
                    ("Content-Disposition", "attachment"),
                ],
            )
        return Response(
            200,
            base64.b64encode(data),
            [
                ("Content-Type", "text/plain; charset=ISO-8859-1"),
                ("X-FYI-Content-Encoding", "base64"),
                ("X-FYI-Content-Type", mime),
            ],
        )

    def _base(self, ch: Change, params: Params) -> tuple[PatchSet | None, int | None]:
        given = [n for n in ("base", "parent", "reviewed", "q") if params.get(n) is not None]
        if len(given) > 1:
            raise HttpError(400, "cannot combine base, parent, reviewed, query")
        base = None
        if params.get("base") is not None:
            b = params.get("base") or ""
            try:
                base = ch.patchset(int(b))
            except (ValueError, KeyError):
                raise HttpError(404, f"Not found: {b}") from None
        parent = params.int("parent")
        return base, parent

    def files(
        self,
        req: Request,
        ch: Change,
        ps: PatchSet,
        seg: list[str],
        raw: list[str],
        views: Views,
        only: Any,
    ) -> Any:
        commit = self.state.git.commit_obj(ch.project, ps.sha)
        nparents = len(commit.parents)
        if not seg:
            only("GET")
            return self._file_list(req, ch, ps, views, nparents)
        path = seg[0]
        action = seg[1] if len(seg) > 1 else ""
        if len(seg) != 2 or action not in ("content", "diff", "download", "reviewed"):
            raise HttpError(404, f"Not found: {seg[1] if len(seg) > 1 else seg[0]}")
        if action == "reviewed":
            only("PUT", "DELETE")
            return Response(204, b"", [("Content-Type", TEXT_TYPE)])
        only("GET")
        if action in ("content", "download"):
            return self._file_content(req, ch, ps, commit, path, raw[0], action == "download")
        return self._file_diff(req, ch, ps, path, raw[0], nparents)

    def _file_list(
        self, req: Request, ch: Change, ps: PatchSet, views: Views, nparents: int
    ) -> Any:
        params = Params(req.query, {"base", "parent", "reviewed", "q"})
        base, parent = self._base(ch, params)
        if params.get("reviewed") is not None:
            params.flag("reviewed")
            return []
        if params.get("q") is not None:
            needle = params.get("q") or ""
            return [p for p in self.state.git.tree_paths(ch.project, ps.sha) if needle in p][:20]
        _check_parent(parent, nparents)
        return views.files_map(ch, ps, base=base)

    def _file_content(
        self,
        req: Request,
        ch: Change,
        ps: PatchSet,
        commit: Any,
        path: str,
        raw_path: str,
        download: bool,
    ) -> Response:
        params = Params(req.query, {"parent"} | ({"suffix"} if download else set()))
        parent = params.int("parent")
        _check_parent(parent, len(commit.parents))
        sha = ps.sha
        if parent is not None:
            sha = str(commit.parents[parent - 1].id)
        if path == MAGIC_COMMIT_MSG:
            data = self.state.git.commit_obj(ch.project, sha).message.encode("utf-8")
        else:
            blob = self.state.git.blob(ch.project, sha, path)
            if blob is None:
                raise HttpError(404, f"Not found: {path}")
            data = blob
        if download:
            return Response(
                200,
                data,
                [
                    ("Content-Type", "application/octet-stream"),
                    ("Content-Disposition", "attachment"),
                ],
            )
        return self.encoded(req, data, content_type(path))

    def _file_diff(
        self, req: Request, ch: Change, ps: PatchSet, path: str, raw_path: str, nparents: int
    ) -> Any:
        params = Params(
            req.query, {"base", "parent", "context", "intraline", "whitespace", "weblinks-only"}
        )
        intraline = params.flag("intraline")
        weblinks_only = params.flag("weblinks-only")
        base, parent = self._base(ch, params)
        _check_parent(parent, nparents)
        ws = params.get("whitespace") or "IGNORE_NONE"
        if ws not in WHITESPACE:
            raise HttpError(400, f'"{ws}" is not a valid value for "--whitespace"')
        context = _context_lines(params.get("context"))
        if weblinks_only:
            return {}
        return self.diff_info(ch, ps, base, path, raw_path, context, ws, intraline)

    def diff_info(
        self,
        ch: Change,
        ps: PatchSet,
        base: PatchSet | None,
        path: str,
        raw_path: str,
        context: int | None,
        ws: str,
        intraline: bool,
    ) -> dict[str, Any]:
        git = self.state.git
        old_sha = base.sha if base is not None else ps.parent
        if path == MAGIC_COMMIT_MSG:
            new_text = git.commit_msg_file(ch.project, ps.sha)
            old_text = git.commit_msg_file(ch.project, base.sha) if base else ""
            change_type = "MODIFIED" if base else "ADDED"
            old_name: str | None = path if base else None
            binary = False
            header: list[str] = []
        else:
            delta = next((d for d in git.diff(ch.project, old_sha, ps.sha) if d.path == path), None)
            if delta is None:
                blob = git.blob(ch.project, ps.sha, path)
                if blob is None:
                    raise HttpError(404, f"Not found: {path}")
                new_text = old_text = blob.decode("utf-8", errors="replace")
                change_type, old_name, binary = "MODIFIED", path, False
                header = []
            else:
                old_bytes = git.blob_data(ch.project, delta.old_oid)
                new_bytes = git.blob_data(ch.project, delta.new_oid)
                old_text = old_bytes.decode("utf-8", errors="replace")
                new_text = new_bytes.decode("utf-8", errors="replace")
                change_type = {
                    "A": "ADDED",
                    "D": "DELETED",
                    "R": "RENAMED",
                    "C": "COPIED",
                    "W": "REWRITE",
                }.get(delta.status, "MODIFIED")
                old_name = None if delta.status == "A" else (delta.old_path or path)
                binary = delta.binary
                a_name = old_name or path
                header = [f"diff --git a/{a_name} b/{path}"]
                if delta.status == "A":
                    header.append(f"new file mode {oct(delta.new_mode or 0o100644)[2:]}")
                elif delta.status == "D":
                    header.append(f"deleted file mode {oct(delta.old_mode or 0o100644)[2:]}")
                header.append(
                    f"index {(delta.old_oid or '0' * 40)[:7]}..{(delta.new_oid or '0' * 40)[:7]}"
                )
                header.append("--- /dev/null" if delta.status == "A" else f"--- a/{a_name}")
                header.append("+++ /dev/null" if delta.status == "D" else f"+++ b/{path}")
        info: dict[str, Any] = {}
        mime = content_type(path) if path != MAGIC_COMMIT_MSG else "text/x-gerrit-commit-message"
        if change_type != "ADDED":
            info["meta_a"] = {
                "name": old_name or path,
                "content_type": mime,
                "lines": count_lines(old_text),
            }
        if change_type != "DELETED":
            info["meta_b"] = {"name": path, "content_type": mime, "lines": count_lines(new_text)}
        info["change_type"] = change_type
        if intraline:
            info["intraline_status"] = "OK"
        info["diff_header"] = header
        if binary:
            info["content"] = []
            info["binary"] = True
        else:
            info["content"] = diff_content(
                old_text, new_text, context=context, whitespace=ws, intraline=intraline
            )
        return info


def _check_parent(parent: int | None, nparents: int) -> None:
    if parent is not None and (parent < 1 or parent > max(nparents, 0)):
        raise HttpError(400, f"invalid parent number: {parent}")


def _context_lines(raw: str | None) -> int | None:
    """The diff's ``context`` parameter: lines of context, None for the whole file."""
    if raw is None:
        return 10
    if raw.upper() == "ALL" or raw == "-1":
        return None
    try:
        return int(raw)
    except ValueError:
        raise HttpError(400, f'"{raw}" is not a valid value for "--context"') from None


def raw_quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


__all__ = [
    "NotFound",
    "Request",
    "Response",
    "RestApi",
    "is_rest_path",
    "json_response",
    "text_response",
]
