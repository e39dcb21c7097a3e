"""The fake Gerrit's REST API over real HTTP."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from fakegerrit import FakeGerrit, Fault

BOT = ("security-bot", "bot-secret")
T0 = datetime(2025, 1, 2, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def fg(tmp_path: Path) -> Iterator[FakeGerrit]:
    with FakeGerrit(tmp_path, bot_password=BOT[1]).start() as server:
        server.set_time(T0)
        server.create_project(
            "openstack/nova",
            {"README.rst": "nova\n", "nova/foo.py": "a = 1\nb = 2\n", "nova/bar.py": "x = 1\n"},
        )
        server.add_account("jane", "Jane Roe", "jane@example.com", "jane-secret")
        yield server


def decode(r: requests.Response) -> Any:
    assert r.headers["Content-Type"] == "application/json; charset=UTF-8", r.text
    assert r.text.startswith(")]}'\n") and r.text.endswith("\n")
    return json.loads(r.text[5:])


def get(fg: FakeGerrit, path: str, auth: bool = False, **kw: Any) -> Any:
    url = fg.url + ("/a" if auth else "") + path
    r = requests.get(url, auth=BOT if auth else None, timeout=10, **kw)
    assert r.status_code == 200, r.text
    return decode(r)


def post(fg: FakeGerrit, path: str, body: Any, **kw: Any) -> requests.Response:
    return requests.post(fg.url + "/a" + path, json=body, auth=BOT, timeout=10, **kw)


def new_change(fg: FakeGerrit, **kw: Any) -> int:
    files = kw.pop(
        "files",
        {"nova/tests/test_foo.py": "def test():\n    pass\n", "nova/foo.py": "a = 1\nb = 3\n"},
    )
    return fg.create_change("openstack/nova", files, kw.pop("subject", "Add tests"), **kw)


# ------------------------------------------------------------------ transport


def test_version_and_wire_format(fg: FakeGerrit) -> None:
    r = requests.get(fg.url + "/config/server/version", timeout=10)
    assert r.content == b')]}\'\n"3.13.1"\n'
    assert r.headers["Content-Type"] == "application/json; charset=UTF-8"
    pretty = requests.get(fg.url + "/a/accounts/self?pp=1", auth=BOT, timeout=10)
    assert "\n  " in pretty.text
    assert decode(pretty)["username"] == "security-bot"


def test_auth_errors(fg: FakeGerrit) -> None:
    r = requests.get(fg.url + "/a/accounts/self", timeout=10)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Basic realm="Gerrit Code Review"'
    assert r.headers["Content-Type"].startswith("text/plain")
    r = requests.get(fg.url + "/a/accounts/self", auth=("security-bot", "wrong"), timeout=10)
    assert r.status_code == 401
    n = new_change(fg)
    r = requests.post(
        fg.url + f"/changes/{n}/revisions/1/review", json={"message": "x"}, timeout=10
    )
    assert r.status_code == 403
    assert r.text == "Authentication required\n"
    assert r.headers["Content-Type"] == "text/plain; charset=UTF-8"
    r = requests.get(fg.url + "/accounts/self", timeout=10)
    assert r.status_code == 403
    me = get(fg, "/accounts/self", auth=True)
    assert me["_account_id"] == fg.bot_account_id


def test_errors_are_plain_text(fg: FakeGerrit) -> None:
    r = requests.get(fg.url + "/changes/999/", timeout=10)
    assert (r.status_code, r.text) == (404, "Not found: 999\n")
    assert r.headers["Content-Type"] == "text/plain; charset=UTF-8"
    r = requests.get(fg.url + "/changes/openstack%2Fnova~999", timeout=10)
    assert r.text == "Not found: openstack/nova~999\n"  # decoded, as IdString.get() is
    r = requests.get(fg.url + "/changes/?q=status:open&bogus=1", timeout=10)
    assert r.status_code == 400
    r = requests.get(fg.url + "/changes/?o=NOT_AN_OPTION", timeout=10)
    assert r.status_code == 400
    r = requests.get(fg.url + "/changes/?S=-1", timeout=10)
    assert (r.status_code, r.text) == (400, "'start' parameter cannot be less than zero\n")
    r = requests.get(fg.url + "/changes/", params=[("q", "status:open")] * 11, timeout=10)
    assert (r.status_code, r.text) == (400, "limit of 10 queries\n")
    r = requests.get(fg.url + "/changes/?q=foo:bar", timeout=10)
    assert r.status_code == 400 and "foo:bar" in r.text
    n = new_change(fg)
    r = requests.delete(fg.url + f"/a/changes/{n}/messages", auth=BOT, timeout=10)
    assert r.status_code == 405


def test_trace_header_echoed(fg: FakeGerrit) -> None:
    r = requests.get(
        fg.url + "/config/server/version", headers={"X-Gerrit-Trace": "abc"}, timeout=10
    )
    assert r.headers["X-Gerrit-Trace"] == "abc"


# ---------------------------------------------------------------------- query


def test_query_paging_across_three_pages(fg: FakeGerrit) -> None:
    numbers = []
    for i in range(7):
        numbers.append(new_change(fg, files={f"nova/f{i}.py": "x\n"}, subject=f"c{i}"))
        fg.advance(10)
    seen: list[int] = []
    start = 0
    pages = 0
    while True:
        page = get(fg, f"/changes/?q=status:open+project:openstack/nova&n=3&S={start}")
        pages += 1
        seen.extend(c["_number"] for c in page)
        assert all("_more_changes" not in c for c in page[:-1])
        if not page[-1].get("_more_changes"):
            break
        start += len(page)
    assert pages == 3
    assert seen == list(reversed(numbers))  # newest first


def test_query_shapes_and_options(fg: FakeGerrit) -> None:
    n = new_change(fg)
    fg.post_message(n, "looks fine", author="jane")
    [c] = get(fg, f"/changes/?q=change:{n}&o=CURRENT_REVISION&o=CURRENT_FILES&o=MESSAGES")
    assert c["id"] == f"openstack%2Fnova~{n}"
    assert c["triplet_id"].startswith("openstack%2Fnova~master~I")
    assert c["hashtags"] == [] and c["has_review_started"] is True
    assert c["current_revision_number"] == 1 and c["virtual_id_number"] == n
    assert c["owner"] == {"_account_id": c["owner"]["_account_id"]}
    assert c["updated"] == "2025-01-02 10:00:00.000000000"
    assert "requirements" in c and c["submit_records"][0]["status"] == "NOT_READY"
    rev = c["revisions"][c["current_revision"]]
    assert rev["ref"] == f"refs/changes/{n:02d}/{n}/1"
    assert rev["branch"] == "refs/heads/master" and rev["kind"] == "REWORK"
    assert rev["fetch"] == {
        "anonymous http": {"url": f"{fg.url}/openstack/nova", "ref": rev["ref"]}
    }
    assert "/COMMIT_MSG" not in rev["files"]
    assert rev["files"]["nova/tests/test_foo.py"]["status"] == "A"
    assert "status" not in rev["files"]["nova/foo.py"]
    assert c["messages"][-1]["message"] == "Patch Set 1:\n\nlooks fine"
    assert c["messages"][-1]["author"] == {
        "_account_id": c["messages"][-1]["author"]["_account_id"]
    }
    [c] = get(fg, f"/changes/?q=change:{n}&o=DETAILED_ACCOUNTS&o=CURRENT_REVISION", auth=True)
    assert c["owner"]["username"] == "alice"
    assert "http" in c["revisions"][c["current_revision"]]["fetch"]
    both = get(fg, "/changes/?q=status:open&q=status:merged")
    assert len(both) == 2 and len(both[0]) == 1 and both[1] == []


def test_query_time_and_file_operators(fg: FakeGerrit) -> None:
    old = new_change(fg, files={"nova/tests/unit/test_a.py": "x\n"})
    fg.advance(3600)
    new = new_change(fg, files={"doc/index.rst": "x\n"}, wip=True)

    def q(query: str) -> list[int]:
        return [c["_number"] for c in get(fg, "/changes/", params={"q": query})]

    assert q("status:open -age:30m") == [new]
    assert q("status:open age:30m") == [old]
    assert q('after:"2025-01-02 10:30:00"') == [new]
    assert q('before:"2025-01-02 10:00:00"') == [old]
    assert q("-is:wip") == [old]
    assert q('path:"^.*/tests?/.*"') == [old]
    assert q("file:index.rst") == [new]
    assert q("dir:nova OR ext:rst") == [new, old]


def test_comment_query_covers_messages_and_comments(fg: FakeGerrit) -> None:
    a = new_change(fg)
    b = new_change(fg, files={"nova/bar.py": "y\n"})
    new_change(fg, files={"nova/baz.py": "z\n"})
    fg.post_message(a, "recheck-security", author="jane")
    fg.post_patchset_comment(b, "recheck-security", author="jane")
    found = {c["_number"] for c in get(fg, '/changes/?q=comment:"recheck-security"')}
    assert found == {a, b}


# -------------------------------------------------------------- single change


def test_change_id_forms(fg: FakeGerrit) -> None:
    n = new_change(fg)
    info = fg.change_info(n)
    cid = info["change_id"]
    for ident in (str(n), f"openstack%2Fnova~{n}", f"openstack%2Fnova~master~{cid}", cid):
        assert get(fg, f"/changes/{ident}/")["_number"] == n
        assert get(fg, f"/changes/{ident}")["_number"] == n
    detail = get(fg, f"/changes/{n}/detail")
    assert detail["owner"]["username"] == "alice" and "labels" in detail and "messages" in detail
    # the same Change-Id on another branch is ambiguous
    fg.commit_to_branch("openstack/nova", {"x": "1"}, "branch point", branch="stable")
    other = fg.create_change("openstack/nova", {"y": "1"}, "other", branch="stable")
    fg.state.changes[other].change_id = cid
    r = requests.get(fg.url + f"/changes/{cid}", timeout=10)
    assert (r.status_code, r.text) == (404, f"Multiple changes found for {cid}\n")


def test_revisions_files_content_diff(fg: FakeGerrit) -> None:
    n = new_change(fg)
    sha = fg.revision(n, 1)
    for rev in ("current", "1", sha, sha[:6]):
        files = get(fg, f"/changes/{n}/revisions/{rev}/files")
        assert list(files) == sorted(files)
        assert files["/COMMIT_MSG"]["status"] == "A"
    assert get(fg, f"/changes/{n}/revisions/current/files/") == files
    assert files["nova/foo.py"]["lines_inserted"] == 1 and "status" not in files["nova/foo.py"]
    assert "lines_deleted" not in files["nova/tests/test_foo.py"]
    r = requests.get(fg.url + f"/changes/{n}/revisions/1/files?base=1&parent=1", timeout=10)
    assert r.status_code == 400
    r = requests.get(fg.url + f"/changes/{n}/revisions/1/files?parent=2", timeout=10)
    assert (r.status_code, r.text) == (400, "invalid parent number: 2\n")
    assert "nova/foo.py" in get(fg, f"/changes/{n}/revisions/1/files?parent=1")

    path = f"/changes/{n}/revisions/1/files/nova%2Ffoo.py/content"
    r = requests.get(fg.url + path, timeout=10)
    assert r.headers["X-FYI-Content-Encoding"] == "base64"
    assert r.headers["Content-Type"].startswith("text/plain")
    assert base64.b64decode(r.content) == b"a = 1\nb = 3\n"
    r = requests.get(fg.url + path, headers={"Accept": "application/json"}, timeout=10)
    assert decode(r) == "a = 1\nb = 3\n" and r.headers["X-FYI-Content-Encoding"] == "json"

    diff = get(fg, f"/changes/{n}/revisions/1/files/nova%2Ffoo.py/diff")
    assert diff["change_type"] == "MODIFIED"
    assert diff["content"] == [{"ab": ["a = 1"]}, {"a": ["b = 2"], "b": ["b = 3"]}]
    added = get(
        fg, f"/changes/{n}/revisions/1/files/nova%2Ftests%2Ftest_foo.py/diff?intraline=true"
    )
    assert "meta_a" not in added and added["change_type"] == "ADDED"
    r = requests.get(
        fg.url + f"/changes/{n}/revisions/1/files/nova%2Ffoo.py/diff?intraline=True", timeout=10
    )
    assert (r.status_code, r.text) == (400, 'invalid boolean "intraline=True"\n')
    r = requests.get(fg.url + f"/changes/{n}/revisions/9/files", timeout=10)
    assert r.status_code == 404


def test_wip_ready_hashtags_reviewers(fg: FakeGerrit) -> None:
    n = new_change(fg)
    r = post(fg, f"/changes/{n}/wip", {})
    assert r.content == b')]}\'\n""\n'
    assert fg.change_info(n)["work_in_progress"] is True
    assert post(fg, f"/changes/{n}/ready", {"message": "go"}).content == b')]}\'\n""\n'
    assert "work_in_progress" not in fg.change_info(n)
    assert decode(post(fg, f"/changes/{n}/hashtags", {"add": ["sec"]})) == ["sec"]
    assert get(fg, f"/changes/{n}/hashtags") == ["sec"]
    res = decode(post(fg, f"/changes/{n}/reviewers", {"reviewer": "jane"}))
    assert res["reviewers"][0]["username"] == "jane"
    assert [x["username"] for x in get(fg, f"/changes/{n}/reviewers/")] == ["jane"]


# ---------------------------------------------------------------------- review


def test_review_message_comments_and_result(fg: FakeGerrit) -> None:
    n = new_change(fg)
    fg.upload_patchset(n, {"nova/bar.py": "x = 2\n"})
    body = {
        "message": "  Two findings.  ",
        "tag": "autogenerated:security-bot",
        "comments": {
            "nova/bar.py": [
                {"line": 1, "message": "first", "unresolved": True},
                {
                    "range": {
                        "start_line": 1,
                        "start_character": 0,
                        "end_line": 1,
                        "end_character": 3,
                    },
                    "message": "second",
                },
                {"line": 1, "message": "   "},
            ],
        },
        "robot_comments": {"nowhere.py": [{"line": 1, "message": "ignored"}]},
        "unknown_field": 1,
    }
    r = post(fg, f"/changes/{n}/revisions/2/review", body)
    result = decode(r)
    assert "labels" not in result and result["change_info"]["_number"] == n
    msg = fg.messages(n)[-1]
    assert msg["message"] == "Patch Set 2:\n\n(2 comments)\n\nTwo findings."
    assert msg["tag"] == "autogenerated:security-bot" and msg["_revision_number"] == 2
    assert msg["accounts_in_message"] == [] and msg["author"]["username"] == "security-bot"
    comments = fg.comments(n)["nova/bar.py"]
    assert [c["message"] for c in comments] == ["first", "second"]
    assert comments[0]["unresolved"] is True and comments[1]["unresolved"] is False
    assert all(c["change_message_id"] == msg["id"] for c in comments)
    assert comments[0]["commit_id"] == fg.revision(n, 2) and comments[0]["patch_set"] == 2
    assert comments[1]["line"] == 1 and comments[1]["range"]["end_character"] == 3
    assert fg.reviews(n)[-1]["_patchset"] == 2
    assert get(fg, f"/changes/{n}/comments") == fg.comments(n)
    # omit_duplicate_comments within the same patch set
    post(
        fg,
        f"/changes/{n}/revisions/2/review",
        {
            "comments": {"nova/bar.py": [{"line": 1, "message": "first"}]},
            "omit_duplicate_comments": True,
        },
    )
    assert len(fg.comments(n)["nova/bar.py"]) == 2


def test_review_validation_rejects_whole_review(fg: FakeGerrit) -> None:
    n = new_change(fg)
    before = (fg.messages(n), fg.comments(n))

    def err(body: Any, **kw: Any) -> tuple[int, str]:
        r = post(fg, f"/changes/{n}/revisions/1/review", body, **kw)
        return r.status_code, r.text

    ok = {"line": 1, "message": "fine"}
    assert err({"message": "m", "comments": {"nova/foo.py": [ok], "nova/bar.py": [ok]}}) == (
        400,
        f"file nova/bar.py not found in revision {n},1\n",
    )
    assert err({"comments": {"nova/foo.py": [{"line": -1, "message": "x"}]}}) == (
        400,
        "negative line number -1 not allowed on nova/foo.py\n",
    )
    bad_range = {"start_line": 3, "start_character": 0, "end_line": 2, "end_character": 0}
    assert err({"comments": {"nova/foo.py": [{"range": bad_range, "message": "x"}]}}) == (
        400,
        "Range (3:0 - 2:0) is not valid for the comment on nova/foo.py\n",
    )
    assert err({"comments": {"/PATCHSET_LEVEL": [{"line": 1, "message": "x"}]}}) == (
        400,
        "Patchset-level comments can't have side, range, or line\n",
    )
    assert err({"message": "x" * 20000}) == (
        400,
        (
            "One or more comments were rejected in validation: "
            "Comment size exceeds limit (20000 > 16384)\n"
        ),
    )
    assert err({"ready": True, "work_in_progress": True})[0] == 400

    def raw_post(data: str, content_type: str) -> requests.Response:
        return requests.post(
            fg.url + f"/a/changes/{n}/revisions/1/review",
            data=data,
            auth=BOT,
            headers={"Content-Type": content_type},
            timeout=10,
        )

    r = raw_post("{bad", "application/json")
    assert (r.status_code, r.text) == (400, "Invalid application/json in request\n")
    r = raw_post("<review/>", "application/xml")
    assert (r.status_code, r.text) == (400, "Expected Content-Type: application/json\n")
    r = raw_post("", "application/json")
    assert (r.status_code, r.text) == (400, "Expected JSON object\n")
    assert (fg.messages(n), fg.comments(n)) == before
    r = post(fg, f"/changes/{n}/revisions/edit/review", {"message": "x"})
    assert (r.status_code, r.text) == (409, "cannot post review on edit\n")


def test_review_on_closed_change(fg: FakeGerrit) -> None:
    n = new_change(fg)
    fg.set_status(n, "MERGED")
    assert fg.messages(n)[-1]["tag"] == "autogenerated:gerrit:merged"
    r = post(fg, f"/changes/{n}/revisions/1/review", {"labels": {"Code-Review": 1}})
    assert (r.status_code, r.text) == (409, "change is closed\n")
    r = post(
        fg,
        f"/changes/{n}/revisions/1/review",
        {"comments": {"nova/foo.py": [{"line": 1, "message": "late"}]}},
    )
    assert r.status_code == 200


def test_review_votes_and_empty_review(fg: FakeGerrit) -> None:
    n = new_change(fg)
    count = len(fg.messages(n))
    r = post(
        fg, f"/changes/{n}/revisions/current/review", {"labels": {"Code-Review": -1, "Bogus": 1}}
    )
    assert decode(r)["labels"] == {"Code-Review": -1}
    assert fg.messages(n)[-1]["message"] == "Patch Set 1: Code-Review-1"
    post(fg, f"/changes/{n}/revisions/current/review", {"tag": "x"})
    assert len(fg.messages(n)) == count + 1  # nothing to record: no message


def test_patchset_kinds_and_messages(fg: FakeGerrit) -> None:
    n = new_change(fg)
    fg.commit_to_branch("openstack/nova", {"nova/other.py": "o\n"}, "advance")
    assert fg.upload_patchset(n, kind="TRIVIAL_REBASE") == 2
    assert fg.upload_patchset(n, kind="NO_CODE_CHANGE", subject="Better subject") == 3
    assert fg.upload_patchset(n, kind="NO_CHANGE") == 4
    [c] = get(fg, f"/changes/?q=change:{n}&o=ALL_REVISIONS&o=ALL_COMMITS")
    kinds = {r["_number"]: r["kind"] for r in c["revisions"].values()}
    assert kinds == {1: "REWORK", 2: "TRIVIAL_REBASE", 3: "NO_CODE_CHANGE", 4: "NO_CHANGE"}
    revs = {r["_number"]: r for r in c["revisions"].values()}
    assert revs[2]["commit"]["parents"][0]["subject"] == "advance"
    assert revs[3]["commit"]["subject"] == "Better subject"
    assert len({fg.revision(n, i) for i in range(1, 5)}) == 4
    assert fg.messages(n)[-1]["message"] == "Uploaded patch set 4."
    assert fg.messages(n)[-1]["tag"] == "autogenerated:gerrit:newPatchSet"
    files2 = get(fg, f"/changes/{n}/revisions/2/files")
    assert set(files2) == {"/COMMIT_MSG", "nova/foo.py", "nova/tests/test_foo.py"}


def test_patchset_level_comment_helper(fg: FakeGerrit) -> None:
    n = new_change(fg)
    cid = fg.post_patchset_comment(n, "recheck-security", author="jane")
    [c] = fg.comments(n)["/PATCHSET_LEVEL"]
    assert (
        c["id"] == cid and c["message"] == "recheck-security" and c["author"]["username"] == "jane"
    )
    assert fg.messages(n)[-1]["message"] == "Patch Set 1:\n\n(1 comment)"
    assert c["change_message_id"] == fg.messages(n)[-1]["id"]


# ---------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    ("fault", "status", "ctype", "body"),
    [
        (Fault("status", status=503), 503, "text/plain; charset=UTF-8", "Service Unavailable\n"),
        (Fault("status", status=429), 429, "text/plain; charset=UTF-8", "Quota limit reached\n"),
        (Fault("status", status=500), 500, "text/plain; charset=UTF-8", "Internal server error\n"),
        (Fault("html"), 502, "text/html; charset=UTF-8", None),
        (Fault("not_json"), 200, "application/json; charset=UTF-8", None),
    ],
)
def test_faults_answer(
    fg: FakeGerrit, fault: Fault, status: int, ctype: str, body: str | None
) -> None:
    fault.path = r"^/config/"
    fg.add_fault(fault)
    r = requests.get(fg.url + "/config/server/version", timeout=10)
    assert (r.status_code, r.headers["Content-Type"]) == (status, ctype)
    assert "Retry-After" not in r.headers
    if body is not None:
        assert r.text == body
    with pytest.raises(ValueError):
        if status == 200:
            json.loads(r.text[5:])
        else:
            raise ValueError
    # times=1: the next request is normal
    assert get(fg, "/config/server/version") == "3.13.1"


def test_fault_truncate_drop_delay(fg: FakeGerrit) -> None:
    fg.add_fault(Fault("truncate", path="/changes/"))
    r = requests.get(fg.url + "/changes/?q=status:open", timeout=10)
    assert r.status_code == 200
    fg.add_fault(Fault("drop", method="GET", times=2))
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            requests.get(fg.url + "/config/server/version", timeout=10)
    fg.add_fault(Fault("delay", delay=1.0, path="version"))
    with pytest.raises(requests.Timeout):
        requests.get(fg.url + "/config/server/version", timeout=0.3)
    n = new_change(fg)
    fg.add_fault(Fault("truncate"))
    r = requests.get(fg.url + f"/changes/{n}", timeout=10)
    with pytest.raises(ValueError):
        json.loads(r.text[5:])
    assert [x.status for x in fg.requests if x.fault == "drop"] == [0, 0]


def test_fault_forever_and_clear(fg: FakeGerrit) -> None:
    fg.add_fault(Fault("status", status=502, times=None, path="version"))
    for _ in range(3):
        assert requests.get(fg.url + "/config/server/version", timeout=10).status_code == 502
    fg.clear_faults()
    assert requests.get(fg.url + "/config/server/version", timeout=10).status_code == 200


def test_recording(fg: FakeGerrit) -> None:
    n = new_change(fg)
    fg.clear_requests()
    post(
        fg,
        f"/changes/openstack%2Fnova~{n}/revisions/1/review",
        {"message": "hi"},
        params={"trace": "t1"},
    )
    [rec] = fg.requests
    assert rec.method == "POST"
    assert rec.path == f"/a/changes/openstack%2Fnova~{n}/revisions/1/review"
    assert rec.query == [("trace", "t1")]
    assert json.loads(rec.body) == {"message": "hi"}
    assert rec.headers["content-type"] == "application/json"
    assert rec.headers["Authorization"].startswith("Basic ")
    assert rec.status == 200 and rec.authenticated_as == "security-bot" and not rec.git
    fg.reset()
    assert fg.requests == []


def test_o_hex_bits_are_numbered_as_gerrit_numbers_list_changes_option(fg: FakeGerrit) -> None:
    """``O=`` is a bitmask of ListChangesOption's values: REVIEWER_UPDATES is 19, SUBMITTABLE 20."""
    new_change(fg)
    (info,) = get(fg, "/changes/?q=status:open&O=" + format(1 << 19, "x"))
    assert "reviewer_updates" in info and "submittable" not in info
    (info,) = get(fg, "/changes/?q=status:open&O=" + format(1 << 20, "x"))
    assert "submittable" in info and "reviewer_updates" not in info
