"""The fake Gerrit answers what real Gerrit refuses with Gerrit's status and text, and takes
what Gerrit takes (lenient bodies), over real HTTP and raw sockets.

Each test here is a row of docs/gerrit-fidelity.md.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from fakegerrit import FakeGerrit

PASSWORD = "strict-secret-42"
BOT = ("security-bot", PASSWORD)


@pytest.fixture
def fg(tmp_path: Path) -> Iterator[FakeGerrit]:
    with FakeGerrit(tmp_path, bot_password=PASSWORD).start() as server:
        server.create_project(
            "openstack/nova", {"README.rst": "nova\n", "nova/foo.py": "a = 1\nb = 2\n"}
        )
        yield server


@pytest.fixture
def change(fg: FakeGerrit) -> int:
    return fg.create_change("openstack/nova", {"nova/foo.py": "a = 1\nb = 3\n"}, "Change b")


def query(fg: FakeGerrit, q: str, **params: str) -> requests.Response:
    encoded = "&".join([f"q={quote(q, safe='')}", *(f"{k}={v}" for k, v in params.items())])
    return requests.get(f"{fg.url}/a/changes/?{encoded}", auth=BOT, timeout=10)


def review(fg: FakeGerrit, n: int, data: bytes | str, ctype: str | None) -> requests.Response:
    headers = {"Content-Type": ctype} if ctype else {}
    return requests.post(
        f"{fg.url}/a/changes/{n}/revisions/current/review",
        data=data.encode() if isinstance(data, str) else data,
        headers=headers,
        auth=BOT,
        timeout=10,
    )


def last_message(fg: FakeGerrit, n: int) -> str:
    return str(fg.messages(n)[-1]["message"])


# -- queries --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("project:^openstack/nova$", "line 1:23 no viable alternative at character '$'"),
        ("comment:'recheck'", "line 1:8 no viable alternative at character '''"),
        ('after:"2025-01-02 15:04"', "Invalid time format: 15:04"),
        ('after:"2025-01-02T15:04:05Z"', "Invalid date format: 2025-01-02T15:04:05Z"),
        ("status:open OR", "line 1:14 no viable alternative at input '<EOF>'"),
        ("(" * 5000 + "status:open", "line 1:100 query is nested too deeply"),
    ],
)
def test_queries_gerrit_refuses_are_400_with_its_text(fg: FakeGerrit, q: str, text: str) -> None:
    r = query(fg, q)
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert r.text.startswith(text)


def test_quoted_values_and_lowercase_operators_are_read_as_gerrit_reads_them(
    fg: FakeGerrit, change: int
) -> None:
    for q in (
        'project:"^openstack/nova$" branch:{master}',
        "status:open and not is:wip",
        'status:open after:"2000-01-01 00:00:00 +0100"',
        "status:open ) anything after an unmatched parenthesis",
    ):
        r = query(fg, q)
        assert r.status_code == 200, (q, r.text)
        assert [c["_number"] for c in json.loads(r.text[5:])] == [change], q


def test_deep_nesting_is_answered_not_dropped(fg: FakeGerrit) -> None:
    """Thousands of parentheses: a 400 on a connection that stays usable; a query longer
    than the request line allows is a 414, also an answer."""
    with requests.Session() as s:
        r = s.get(f"{fg.url}/a/changes/", params={"q": "(" * 5000}, auth=BOT, timeout=30)
        assert r.status_code == 400 and "nested too deeply" in r.text
        assert s.get(f"{fg.url}/a/accounts/self", auth=BOT, timeout=10).status_code == 200
    r = requests.get(f"{fg.url}/a/changes/", params={"q": "(" * 200_000}, auth=BOT, timeout=30)
    assert r.status_code == 414


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"o": "NOT_AN_OPTION"}, '"NOT_AN_OPTION" is not a valid value for "-o"'),
        ({"o": "CURRENT_REVISION%20"}, '"CURRENT_REVISION " is not a valid value for "-o"'),
        ({"x": "1"}, '"-x" is not a valid option'),
        ({"bogus": "1"}, '"--bogus" is not a valid option'),
        ({"format": "JSON"}, '"--format" is not a valid option'),  # old docs only
        ({"O": "zz"}, 'For input string: "zz" under radix 16'),
        ({"n": "ten"}, '"ten" is not a valid value for "-n"'),
        ({"limit": "ten"}, '"ten" is not a valid value for "--limit"'),
        ({"no-limit": "True"}, 'invalid boolean "no-limit=True"'),
    ],
)
def test_unknown_options_and_parameters_are_400_with_args4j_text(
    fg: FakeGerrit, params: dict[str, str], text: str
) -> None:
    r = query(fg, "status:open", **params)
    assert (r.status_code, r.text) == (400, text + "\n")


def test_option_names_match_ignoring_case(fg: FakeGerrit, change: int) -> None:
    r = query(fg, "status:open", o="current_revision")
    assert r.status_code == 200 and "current_revision" in json.loads(r.text[5:])[0]


def test_not_found_names_the_decoded_id(fg: FakeGerrit, change: int) -> None:
    r = requests.get(f"{fg.url}/a/changes/openstack%2Fnova~999", auth=BOT, timeout=10)
    assert (r.status_code, r.text) == (404, "Not found: openstack/nova~999\n")
    r = requests.get(f"{fg.url}/a/changes/{change}/revisions/current/files/a+b.py/content",
                     auth=BOT, timeout=10)  # fmt: skip
    assert (r.status_code, r.text) == (404, "Not found: a b.py\n")  # URLDecoder: + is a space


# -- request bodies -------------------------------------------------------------------------


def test_gson_lenient_bodies_are_accepted(fg: FakeGerrit, change: int) -> None:
    # A Python dict's repr: what pygerrit2's review() posts when given a dict.
    body = str({"message": "Looks 'fine'", "labels": {"Code-Review": 1}, "tag": None})
    r = review(fg, change, body, "application/json")
    assert r.status_code == 200, r.text
    assert last_message(fg, change) == "Patch Set 1: Code-Review+1\n\nLooks 'fine'"
    r = review(fg, change, "{message: unquoted; labels = {Code-Review => '0'}}", "application/json")
    assert r.status_code == 200, r.text
    assert last_message(fg, change) == "Patch Set 1: -Code-Review\n\nunquoted"
    # Gson's type adapters: a number into a String field, a string into an int field.
    comments = {"nova/foo.py": [{"line": "2", "message": 42, "unresolved": "TRUE"}]}
    r = review(
        fg, change, json.dumps({"comments": comments}) + " trailing junk", "application/json"
    )
    assert r.status_code == 200, r.text
    posted = fg.comments(change)["nova/foo.py"][-1]
    assert (posted["line"], posted["message"], posted["unresolved"]) == (2, "42", True)


@pytest.mark.parametrize(
    ("data", "ctype", "message"),
    [
        ('"a JSON string is the message"', "application/json", "a JSON string is the message"),
        ("plain text is the message", "text/plain", "plain text is the message"),
        ("message=a+form&labels.Code-Review=1", "application/x-www-form-urlencoded", "a form"),
    ],
)
def test_the_review_message_may_come_as_a_string_or_text(
    fg: FakeGerrit, change: int, data: str, ctype: str, message: str
) -> None:
    r = review(fg, change, data, ctype)
    assert r.status_code == 200, r.text
    assert last_message(fg, change).endswith("\n\n" + message)


@pytest.mark.parametrize(
    ("data", "ctype", "status", "text"),
    [
        ("", "application/json", 400, "Expected JSON object"),
        ("   ", "application/json; charset=UTF-8", 400, "Expected JSON object"),
        ('"x"', "application/json", 200, None),
        ("[1, 2]", "application/json", 400, "Invalid application/json in request"),
        ('{"message": "x",}', "application/json", 400, "Invalid application/json in request"),
        ('{"labels": {"Code-Review": 1, "Code-Review": 1}}', "application/json", 400,
         "Invalid application/json in request"),
        ('{"labels": {"Code-Review": true}}', "application/json", 400,
         "Invalid application/json in request"),
        ('{"message": "\\x41"}', "application/json", 400, "Invalid application/json in request"),
        ("<review/>", "application/xml", 400, "Expected Content-Type: application/json"),
        ("", None, 200, None),
    ],
)  # fmt: skip
def test_bodies_gerrit_refuses_and_its_texts(
    fg: FakeGerrit, change: int, data: str, ctype: str | None, status: int, text: str | None
) -> None:
    r = review(fg, change, data, ctype)
    assert r.status_code == status, r.text
    if text is not None:
        assert r.text == text + "\n"


def test_a_patchset_level_comment_with_any_line_is_refused(fg: FakeGerrit, change: int) -> None:
    for placement in ({"line": 0}, {"line": 1}, {"side": "REVISION"}):
        body = {"comments": {"/PATCHSET_LEVEL": [{"message": "x", **placement}]}}
        r = review(fg, change, json.dumps(body), "application/json")
        assert (r.status_code, r.text) == (
            400,
            "Patchset-level comments can't have side, range, or line\n",
        ), placement
    ok = {"comments": {"/PATCHSET_LEVEL": [{"message": "fine"}]}}
    assert review(fg, change, json.dumps(ok), "application/json").status_code == 200


def test_an_inline_comments_size_counts_what_gerrit_counts(tmp_path: Path) -> None:
    """Message + tag + path + revision (40) + server id (36) + comment id (17), as
    ``Comment.getApproximateSize``: a message under the limit can still be refused."""
    with FakeGerrit(tmp_path, bot_password=PASSWORD, comment_size_limit=200).start() as fg:
        fg.create_project("openstack/nova", {"nova/foo.py": "a = 1\n"})
        n = fg.create_change("openstack/nova", {"nova/foo.py": "a = 2\n"}, "a")
        tag = "autogenerated:security-bot"
        overhead = len(tag) + len("nova/foo.py") + 40 + 36 + 17

        def post(length: int) -> requests.Response:
            comment = {"line": 1, "message": "x" * length}
            body = {"tag": tag, "comments": {"nova/foo.py": [comment]}}
            return review(fg, n, json.dumps(body), "application/json")

        refused = post(200 - overhead + 1)
        assert (refused.status_code, refused.text) == (
            400,
            "One or more comments were rejected in validation: "
            "Comment size exceeds limit (201 > 200)\n",
        )
        assert post(200 - overhead).status_code == 200


def _raw(fg: FakeGerrit, request: bytes) -> bytes:
    host, port = fg.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        # the stream ends where the request does (unless the server has answered already)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "body",
    [
        b"zz\r\n{}\r\n0\r\n\r\n",  # not a hex size
        b"-1\r\n{}\r\n0\r\n\r\n",  # a negative size
        b"5\r\n{}\r\n",  # a chunk shorter than its size, then the end of the stream
        b"2\r\n{}XX0\r\n\r\n",  # no CRLF after the chunk
        b"f" * 20000 + b"\r\n",  # an endless size line
    ],
)
def test_garbage_chunked_bodies_are_400_not_a_dropped_connection(
    fg: FakeGerrit, change: int, body: bytes
) -> None:
    head = (
        f"POST /a/changes/{change}/revisions/current/review HTTP/1.1\r\n"
        f"Host: x\r\nAuthorization: Basic "
    ).encode()
    auth = base64.b64encode(f"{BOT[0]}:{BOT[1]}".encode())
    request = (
        head
        + auth
        + (b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    )
    answer = _raw(fg, request)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"Connection: close" in answer
    # The server is still serving.
    assert requests.get(f"{fg.url}/config/server/version", timeout=10).status_code == 200


def test_a_garbage_content_length_is_400(fg: FakeGerrit) -> None:
    answer = _raw(fg, b"POST /a/changes/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_a_good_chunked_body_is_read(fg: FakeGerrit, change: int) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"message": '
        yield b'"chunked"}'

    r = requests.post(
        f"{fg.url}/a/changes/{change}/revisions/current/review",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        auth=BOT,
        timeout=10,
    )
    assert r.status_code == 200, r.text
    assert last_message(fg, change).endswith("chunked")


# -- git -----------------------------------------------------------------------------------


def test_protocol_v2_is_served_and_v0_advertises_every_ref(fg: FakeGerrit, change: int) -> None:
    url = f"{fg.url}/openstack/nova/info/refs?service=git-upload-pack"
    v2 = requests.get(url, headers={"Git-Protocol": "version=2"}, timeout=10)
    assert v2.status_code == 200 and b"version 2" in v2.content
    assert b"ls-refs" in v2.content and b"refs/changes/" not in v2.content
    v0 = requests.get(url, timeout=10)
    assert v0.status_code == 200 and b"version 2" not in v0.content
    assert f"refs/changes/{change:02d}/{change}/1".encode() in v0.content


def test_the_commit_msg_hook_is_served_anonymously(fg: FakeGerrit) -> None:
    r = requests.get(f"{fg.url}/tools/hooks/commit-msg", timeout=10)
    assert r.status_code == 200 and r.content.startswith(b"#!/bin/sh")
    assert b"Change-Id" in r.content
