"""The HTTP server of the fake Gerrit: auth, faults, recording, REST and git dispatch."""

from __future__ import annotations

import base64
import binascii
import contextlib
import email.utils
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .faults import (
    Fault,
    FaultInjector,
    RecordedRequest,
    Recorder,
    make_headers,
    rewrite,
    rewrite_query,
    send_hostile,
)
from .fixes import apply_all_and_publish
from .githttp import GitHttpBackend, is_git_path
from .gitstore import MAGIC_PATCHSET_LEVEL, FileChanges
from .hooks import COMMIT_MSG_HOOK, COMMIT_MSG_PATH
from .model import Account, Comment, ManualClock, State, change_ref, group_uuid
from .push import receive_pushed_changes
from .rest import Request, Response, RestApi, is_rest_path, text_response
from .views import Views

REALM = 'Basic realm="Gerrit Code Review"'
_HEX = re.compile(rb"[0-9a-fA-F]{1,16}")
_MAX_LINE = 8192
_MAX_TRAILERS = 100


def _static(path: str) -> Response:
    """What Gerrit serves outside REST and git that clients fetch: the commit-msg hook."""
    if path == COMMIT_MSG_PATH:
        return Response(
            200, COMMIT_MSG_HOOK.encode(), [("Content-Type", "application/octet-stream")]
        )
    return text_response(404, "Not Found")


def _trace_id(headers: dict[str, str], query: list[tuple[str, str]]) -> str | None:
    """The request's trace id: ``trace=<id>``, a bare ``trace`` or ``X-Gerrit-Trace``."""
    trace = headers.get("X-Gerrit-Trace")
    for k, v in query:
        if k == "trace":
            trace = v or f"{int(time.time() * 1000)}-fake"
    return trace


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeGerrit

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a killed bot, a timeout) is normal here, not an error."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without TCP_NODELAY every small response waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header from the fake's own clock, as Gerrit sends its own."""
        return email.utils.format_datetime(self.server.fake.state.clock(), usegmt=True)

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def read_body(self) -> bytes | None:
        """The request body, or None when its framing is broken (answered 400, as a server
        answers a bad chunk-size line or ``Content-Length``, never a dropped connection)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        raw = (self.headers.get("Content-Length") or "0").strip()
        if not raw.isdigit():
            return None
        length = int(raw)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        while True:
            size_line = self.rfile.readline(_MAX_LINE + 1)
            size_text = size_line.split(b";", 1)[0].strip()
            if len(size_line) > _MAX_LINE or not _HEX.fullmatch(size_text):
                return None
            size = int(size_text, 16)
            if size == 0:
                for _ in range(_MAX_TRAILERS):
                    if self.rfile.readline(_MAX_LINE + 1) in (b"\r\n", b"\n", b""):
                        return b"".join(chunks)
                return None
            data = self.rfile.read(size)
            if len(data) != size or self.rfile.readline(_MAX_LINE + 1) not in (b"\r\n", b"\n"):
                return None
            chunks.append(data)


class FakeGerrit:
    """An embedded Gerrit stand-in: real HTTP, Gerrit's REST shapes, git over smart HTTP."""

    def __init__(
        self,
        root: Path,
        *,
        version: str = "3.13.1",
        bot_username: str = "security-bot",
        bot_password: str | None = None,
        clock: Callable[[], datetime] | None = None,
        seed: int | None = None,
        comment_size_limit: int = 16384,
    ) -> None:
        self.root = Path(root)
        self.version = version
        self._manual_clock = ManualClock() if clock is None else None
        self.state = State(self.root, clock or self._manual_clock)  # type: ignore[arg-type]
        self.faults = FaultInjector(seed)
        self.recorder = Recorder()
        self.bot_username = bot_username
        # No default secret: anyone on the machine could post and push as the bot with it.
        self.bot_password = bot_password or secrets.token_urlsafe(18)
        self.bot_account_id = self.state.add_account(
            bot_username, "Security Bot", f"{bot_username}@example.com", self.bot_password
        )
        # Accounts with Gerrit's Push permission on branches and tags (none by default: as
        # on Gerrit, an account may push only to refs/for/* for review).
        self.direct_pushers: set[str] = set()
        self._url = ""
        self.api = RestApi(
            self.state,
            url=lambda: self._url,
            version=version,
            comment_size_limit=comment_size_limit,
        )
        self.git_backend = GitHttpBackend(self.state.git.root)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --------------------------------------------------------------- lifecycle

    def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeGerrit:
        server = _Server((host, port), _Handler)
        server.fake = self
        self._server = server
        self._url = f"http://{host}:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fakegerrit",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGerrit:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if not self._url:
            raise RuntimeError("FakeGerrit is not started")
        return self._url

    # ----------------------------------------------------------------- state

    def add_account(
        self,
        username: str,
        name: str | None = None,
        email: str | None = None,
        password: str | None = None,
    ) -> int:
        return self.state.add_account(username, name, email, password)

    def allow_direct_push(self, username: str) -> None:
        """Grant ``username`` Gerrit's Push permission on branches and tags (a project
        owner's); without it a push other than to ``refs/for/*`` is refused."""
        self.direct_pushers.add(username)

    def add_group(self, name: str, members: list[str], *, visible_to_all: bool = False) -> str:
        """Create a group holding the given usernames; returns its UUID (for allow lists).

        As in Gerrit, a group is visible only to its members unless ``visible_to_all``."""
        with self.state.lock:
            if visible_to_all:
                self.state.visible_groups.add(name)
            for username in members:
                acc = self.state.find_account_exact(username)
                if acc is None:
                    raise ValueError(f"no account {username}")
                if name not in acc.groups:
                    acc.groups.append(name)
        return group_uuid(name)

    def create_project(
        self,
        name: str,
        files: dict[str, str | bytes],
        *,
        branch: str = "master",
        message: str = "Initial commit",
    ) -> str:
        author = self.state.accounts[self.bot_account_id]
        return self.state.create_project(name, dict(files), branch, message, author)

    def commit_to_branch(
        self, project: str, files: FileChanges, message: str, *, branch: str = "master"
    ) -> str:
        author = self.state.accounts[self.bot_account_id]
        return self.state.commit_to_branch(project, files, message, branch, author)

    def create_change(
        self,
        project: str,
        files: FileChanges,
        subject: str,
        *,
        owner: str = "alice",
        branch: str = "master",
        body: str = "",
        renames: dict[str, str] | None = None,
        wip: bool = False,
        private: bool = False,
        topic: str | None = None,
    ) -> int:
        return self.state.create_change(
            project,
            files,
            subject,
            owner=owner,
            branch=branch,
            body=body,
            renames=renames,
            wip=wip,
            private=private,
            topic=topic,
        )

    def upload_patchset(
        self,
        change: int,
        files: FileChanges | None = None,
        *,
        kind: str = "REWORK",
        uploader: str | None = None,
        subject: str | None = None,
        renames: dict[str, str] | None = None,
    ) -> int:
        return self.state.upload_patchset(
            change, files, kind=kind, uploader=uploader, subject=subject, renames=renames
        )

    def apply_fixes_as_owner(self, change: int) -> int:
        """What the change's owner does by hand in the web UI: *Apply fix* on every fix
        stored on the current patch set, then publish the edit (the demo's "fix-applied"
        sample). Returns the new patch set's number."""
        return apply_all_and_publish(self.state, self.url, self.version, change)

    def set_status(self, change: int, status: str) -> None:
        self.state.set_status(change, status)

    def set_wip(self, change: int, wip: bool) -> None:
        self.state.set_wip(change, wip)

    def post_message(
        self, change: int, text: str, *, author: str = "alice", patchset: int | None = None
    ) -> str:
        with self.state.lock:
            acc = self.state.ensure_account(author)
            ch = self.state.change(change)
            ps = patchset or ch.current.number
            body = f"Patch Set {ps}:\n\n{text.strip()}"
            msg = self.state.add_message(change, acc.account_id, body, None, ps)
            self._note_reviewer(change, acc)
            return msg.id

    def post_patchset_comment(
        self, change: int, text: str, *, author: str = "alice", patchset: int | None = None
    ) -> str:
        with self.state.lock:
            acc = self.state.ensure_account(author)
            ch = self.state.change(change)
            ps = ch.patchset(patchset) if patchset else ch.current
            msg = self.state.add_message(
                change, acc.account_id, f"Patch Set {ps.number}:\n\n(1 comment)", None, ps.number
            )
            comment = Comment(
                id=self.state.new_id("comment"),
                path=MAGIC_PATCHSET_LEVEL,
                patch_set=ps.number,
                commit_id=ps.sha,
                message=text,
                updated=msg.date,
                author=acc.account_id,
                unresolved=False,
                change_message_id=msg.id,
            )
            ch.comments.append(comment)
            self._note_reviewer(change, acc)
            return comment.id

    def _note_reviewer(self, change: int, acc: Account) -> None:
        ch = self.state.change(change)
        if acc.account_id != ch.owner:
            ch.reviewers.setdefault(acc.account_id, "REVIEWER")

    # ------------------------------------------------------------ inspection

    def add_fault(self, fault: Fault) -> None:
        self.faults.add(fault)

    def clear_faults(self) -> None:
        self.faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.recorder.all()

    def clear_requests(self) -> None:
        self.recorder.clear()

    def reset(self) -> None:
        self.recorder.clear()
        self.faults.clear()

    def _views(self, caller: Account | None = None) -> Views:
        return Views(self.state, self._url, self.version, caller)

    def reviews(self, change: int) -> list[dict[str, Any]]:
        with self.state.lock:
            return [dict(r) for r in self.state.change(change).reviews]

    def messages(self, change: int) -> list[dict[str, Any]]:
        with self.state.lock:
            views = self._views()
            return [views.message_info(m) for m in self.state.change(change).messages]

    def comments(self, change: int) -> dict[str, list[dict[str, Any]]]:
        with self.state.lock:
            return self._views().comments_map(self.state.change(change))

    def change_info(self, change: int) -> dict[str, Any]:
        with self.state.lock:
            return self._views().change_info(self.state.change(change), {"CURRENT_REVISION"})

    def ref(self, change: int, patchset: int) -> str:
        self.state.change(change).patchset(patchset)
        return change_ref(change, patchset)

    def revision(self, change: int, patchset: int) -> str:
        return self.state.change(change).patchset(patchset).sha

    def repo_path(self, project: str) -> Path:
        return self.state.git.repo_path(project)

    def set_time(self, dt: datetime) -> None:
        if self._manual_clock is None:
            raise RuntimeError("set_time() needs the default clock (no clock= given)")
        self._manual_clock.set(dt)

    def advance(self, seconds: float) -> None:
        if self._manual_clock is None:
            raise RuntimeError("advance() needs the default clock (no clock= given)")
        self._manual_clock.advance(seconds)

    # ------------------------------------------------------------------ HTTP

    def _authenticate(self, header: str | None) -> Account | None:
        if not header or not header.lower().startswith("basic "):
            return None
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        if not sep or not password:
            return None
        acc = self.state.find_account_exact(user)
        if acc is None or acc.password is None or acc.password != password:
            return None
        return acc

    def _serve(self, h: _Handler) -> None:
        split = urlsplit(h.path)
        raw_path = split.path
        query = parse_qsl(split.query, keep_blank_values=True)
        body_read = h.read_body()
        if body_read is None:
            self._bad_framing(h)
            return
        body = body_read
        headers = make_headers(list(h.headers.items()))
        git = not is_rest_path(raw_path) and is_git_path(raw_path)
        faults = {f.kind: f for f in self.faults.pick(h.command, raw_path)}
        query = rewrite_query(faults, query)
        caller: Account | None = None
        applied = ",".join(sorted(faults)) or None

        def record(status: int) -> None:
            self.recorder.add(
                RecordedRequest(
                    method=h.command,
                    path=raw_path,
                    query=query,
                    headers=headers,
                    body=body,
                    status=status,
                    authenticated_as=caller.username if caller else None,
                    git=git,
                    fault=applied,
                )
            )

        if "delay" in faults:
            time.sleep(faults["delay"].delay)
        if "drop" in faults:
            record(0)
            h.close_connection = True
            with contextlib.suppress(OSError):
                h.connection.shutdown(socket.SHUT_RDWR)
            return
        authed_path = raw_path.startswith("/a/") or raw_path == "/a"
        if "status" in faults:
            f = faults["status"]
            extra = [("WWW-Authenticate", REALM)] if f.status == 401 else []
            resp = text_response(f.status, "", extra + list(f.headers))
            resp.body = f.status_body().encode("utf-8")
            self._send(h, resp, record)
            return
        if "html" in faults:
            st = faults["html"].status
            page = (
                f"<html><head><title>{st} Error</title></head>"
                f"<body><h1>{st} Error</h1><p>The proxy could not reach Gerrit.</p></body></html>\n"
            )
            self._send(
                h,
                Response(st, page.encode(), [("Content-Type", "text/html; charset=UTF-8")]),
                record,
            )
            return
        if authed_path:
            caller = self._authenticate(headers.get("Authorization"))
            if caller is None:
                resp = text_response(401, "Unauthorized", [("WWW-Authenticate", REALM)])
                self._send(h, resp, record)
                return
        trace = _trace_id(headers, query)
        if git:
            path_info = raw_path[2:] if authed_path else raw_path
            status, rh, payload = self.git_backend.run(
                method=h.command,
                path_info=path_info,
                query_string=split.query,
                headers=headers,
                body=body,
                remote_user=caller.username if caller else None,
                remote_addr=h.client_address[0],
                direct_pushers=frozenset(self.direct_pushers),
            )
            resp = Response(status, payload, rh)
            self._after_push(status, path_info, caller)
        elif is_rest_path(raw_path):
            resp = self.api.handle(
                Request(h.command, raw_path, query, headers, body, caller, authed_path)
            )
        else:
            resp = _static(raw_path)
        if trace:
            resp.headers.append(("X-Gerrit-Trace", trace))
        if "not_json" in faults:
            resp = Response(
                200,
                b")]}'\n<html>this is not JSON</html>\n",
                [("Content-Type", "application/json; charset=UTF-8")],
            )
        if "truncate" in faults:
            cut = resp.body[: len(resp.body) // 2]
            resp = Response(
                200, cut, [(k, v) for k, v in resp.headers if k.lower() != "content-length"]
            )
        resp = rewrite(faults, resp, self.state.clock())
        send_hostile(h, faults, resp, record) or self._send(h, resp, record)

    @staticmethod
    def _bad_framing(h: _Handler) -> None:
        """A body whose chunking or length is garbage: 400, and the connection is closed
        (what follows on it cannot be framed)."""
        payload = b"Bad Request\n"
        with contextlib.suppress(OSError):
            h.send_response(400)
            h.send_header("Content-Type", "text/plain; charset=UTF-8")
            h.send_header("Content-Length", str(len(payload)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(payload)
            h.wfile.flush()
            _lingering_close(h.connection)
        h.close_connection = True

    def _after_push(self, status: int, path_info: str, caller: Account | None) -> None:
        """A push to ``refs/for/<branch>`` becomes a change or patch set (see push.py)."""
        if status != 200 or caller is None or not path_info.endswith("/git-receive-pack"):
            return
        project = path_info[1 : -len("/git-receive-pack")].removesuffix(".git")
        if self.state.git.exists(project):
            receive_pushed_changes(self.state, project, caller.account_id)

    @staticmethod
    def _send(h: _Handler, resp: Response, record: Callable[[int], None]) -> None:
        record(resp.status)
        try:
            h.send_response(resp.status)
            for k, v in resp.headers:
                if k.lower() in ("content-length", "connection", "transfer-encoding"):
                    continue
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(resp.body)))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(resp.body)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True


def _lingering_close(sock: socket.socket, budget: float = 1.0, limit: int = 1 << 20) -> None:
    """Close as HTTP servers do after an error answer: stop writing, then read away what the
    client still sends (for at most ``budget`` seconds and ``limit`` bytes), so that unread
    input does not make the kernel reset the connection before the client reads the 400."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(budget)
        deadline = time.monotonic() + budget
        read = 0
        while read < limit and time.monotonic() < deadline:
            data = sock.recv(65536)
            if not data:
                break
            read += len(data)
