"""The fake Gerrit's fix suggestions over real HTTP: validated at posting with Gerrit's 400s,
stored and returned with the comment, applied into a change edit and published as a new
patch set; ignored by a server older than 3.10, which has no such field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from fakegerrit import FakeGerrit

BOT = ("security-bot", "bot-secret-for-the-fix-tests")
OWNER = ("jane", "jane-secret")
PATH = "nova/tests/test_foo.py"
SOURCE = "def test():\n    x = '😀'; m.called_once_with(1)\n"


def _start(tmp_path: Path, version: str) -> FakeGerrit:
    fg = FakeGerrit(tmp_path, version=version, bot_password=BOT[1]).start()
    fg.create_project("openstack/nova", {"README.rst": "nova\n"})
    fg.add_account("jane", "Jane Roe", "jane@example.com", "jane-secret")
    return fg


@pytest.fixture
def fg(tmp_path: Path) -> Iterator[FakeGerrit]:
    with _start(tmp_path, "3.10.4") as server:
        yield server


def decode(r: requests.Response) -> Any:
    assert r.text.startswith(")]}'\n"), r.text
    return json.loads(r.text[5:])


def call(fg: FakeGerrit, method: str, path: str, body: Any = None, auth=BOT) -> requests.Response:
    return requests.request(method, fg.url + "/a" + path, json=body, auth=auth, timeout=10)


def change(fg: FakeGerrit) -> int:
    return fg.create_change("openstack/nova", {PATH: SOURCE}, "Add tests", owner="jane")


def replacement(**kw: Any) -> dict[str, Any]:
    # "called_once_with" after an emoji: Gerrit counts characters in UTF-16 units
    base = {
        "path": PATH,
        "range": {"start_line": 2, "start_character": 16, "end_line": 2, "end_character": 16},
        "replacement": "assert_",
    }
    base.update(kw)
    return base


def review(fix: Any, path: str = PATH) -> dict[str, Any]:
    return {
        "message": "review",
        "comments": {path: [{"line": 2, "message": "finding", "fix_suggestions": fix}]},
    }


def post(fg: FakeGerrit, number: int, body: dict[str, Any]) -> requests.Response:
    return call(fg, "POST", f"/changes/{number}/revisions/1/review", body)


ON = f"the comment on {PATH}"


def rng(sl: int, sc: int, el: int, ec: int) -> dict[str, int]:
    return {"start_line": sl, "start_character": sc, "end_line": el, "end_character": ec}


def fix(*replacements: dict[str, Any], description: str | None = "d") -> list[dict[str, Any]]:
    out: dict[str, Any] = {"replacements": list(replacements)}
    if description is not None:
        out["description"] = description
    return [out]


@pytest.mark.parametrize(
    ("fix_in", "text"),
    [
        (fix(replacement(), description=None),
         f"A description is required for the suggested fix of {ON}"),
        ([{"description": "d"}],
         f"At least one replacement is required for the suggested fix of {ON}"),
        (fix(), f"At least one replacement is required for the suggested fix of {ON}"),
        (fix(replacement(path=None)),
         f"A file path must be given for the replacement of {ON}"),
        (fix(replacement(path="/PATCHSET_LEVEL")),
         f"A file path must not be /PATCHSET_LEVEL for the replacement of {ON}"),
        (fix(replacement(range=None)), f"A range must be given for the replacement of {ON}"),
        (fix(replacement(range=rng(3, 0, 2, 0))), f"Range (3:0 - 2:0) is not valid for {ON}"),
        (fix(replacement(replacement=None)),
         f"A content for replacement must be indicated for the replacement of {ON}"),
        (fix(replacement(range=rng(2, 4, 2, 10)), replacement(range=rng(2, 9, 2, 12))),
         f"Replacements overlap for {ON}"),
    ],
)  # fmt: skip
def test_invalid_fix_suggestions_get_gerrits_400_and_nothing_is_stored(
    fg: FakeGerrit, fix_in: Any, text: str
) -> None:
    number = change(fg)
    r = post(fg, number, review(fix_in))
    assert r.status_code == 400
    assert r.text.strip() == text
    assert fg.comments(number) == {}


def test_touching_replacements_are_not_an_overlap(fg: FakeGerrit) -> None:
    number = change(fg)
    touching = fix(replacement(range=rng(2, 4, 2, 9)), replacement(range=rng(2, 9, 2, 9)))
    assert post(fg, number, review(touching)).status_code == 200


def _posted_fix(fg: FakeGerrit, number: int) -> dict[str, Any]:
    posted = fix(replacement(), description="Call `assert_called_once_with`")
    assert post(fg, number, review(posted)).status_code == 200
    (comment,) = decode(call(fg, "GET", f"/changes/{number}/comments"))[PATH]
    (stored,) = comment["fix_suggestions"]
    return stored


def test_fix_is_stored_with_an_id_and_applied_into_an_edit_published_as_a_new_patch_set(
    fg: FakeGerrit,
) -> None:
    number = change(fg)
    stored = _posted_fix(fg, number)
    assert stored["description"] == "Call `assert_called_once_with`"
    assert stored["replacements"] == [replacement()]
    fix_id = stored["fix_id"]
    # the revision's comments show it too
    (on_rev,) = decode(call(fg, "GET", f"/changes/{number}/revisions/1/comments"))[PATH]
    assert on_rev["fix_suggestions"][0]["fix_id"] == fix_id

    # nobody has an edit yet; only the change owner may make one
    assert call(fg, "GET", f"/changes/{number}/edit", auth=OWNER).status_code == 204
    r = call(fg, "POST", f"/changes/{number}/revisions/1/fixes/{fix_id}/apply")
    assert (r.status_code, r.text.strip()) == (403, "edit not permitted")
    r = call(fg, "POST", f"/changes/{number}/revisions/1/fixes/nosuchfix/apply", auth=OWNER)
    assert (r.status_code, r.text.strip()) == (404, "Not found: nosuchfix")

    r = call(fg, "POST", f"/changes/{number}/revisions/1/fixes/{fix_id}/apply", auth=OWNER)
    assert r.status_code == 200, r.text
    edit = decode(r)
    assert edit["base_patch_set_number"] == 1
    assert edit["base_revision"] == fg.revision(number, 1)
    assert edit["ref"] == f"refs/users/{_jane(fg) % 100:02d}/{_jane(fg)}/edit-{number}/1"
    assert decode(call(fg, "GET", f"/changes/{number}/edit", auth=OWNER))["ref"] == edit["ref"]
    # applying it again changes nothing more: Gerrit's 409
    r = call(fg, "POST", f"/changes/{number}/revisions/1/fixes/{fix_id}/apply", auth=OWNER)
    assert r.status_code == 200 or (r.status_code, r.text.strip()) == (409, "no changes were made")

    r = call(fg, "POST", f"/changes/{number}/edit:publish", {}, auth=OWNER)
    assert r.status_code == 204, r.text
    info = fg.change_info(number)
    assert info["current_revision_number"] == 2
    sha = fg.revision(number, 2)
    content = fg.state.git.blob("openstack/nova", sha, PATH)
    assert content == SOURCE.replace("m.called_once_with", "m.assert_called_once_with").encode()
    assert call(fg, "GET", f"/changes/{number}/edit", auth=OWNER).status_code == 204
    assert any(
        m["message"] == "Patch Set 2: Published edit on patch set 1." for m in fg.messages(number)
    )
    r = call(fg, "POST", f"/changes/{number}/edit:publish", {}, auth=OWNER)
    assert (r.status_code, r.text.strip()) == (409, f"no edit exists for change {number}")


def _jane(fg: FakeGerrit) -> int:
    acc = fg.state.find_account_exact("jane")
    assert acc is not None
    return acc.account_id


def test_a_fix_outside_the_file_is_refused_when_applied(fg: FakeGerrit) -> None:
    number = change(fg)
    far = fix(replacement(range=rng(9, 0, 9, 1)))
    assert post(fg, number, review(far)).status_code == 200  # Gerrit checks this when applying
    (comment,) = decode(call(fg, "GET", f"/changes/{number}/comments"))[PATH]
    fix_id = comment["fix_suggestions"][0]["fix_id"]
    r = call(fg, "POST", f"/changes/{number}/revisions/1/fixes/{fix_id}/apply", auth=OWNER)
    assert (r.status_code, r.text.strip()) == (
        409, "Cannot calculate fix replacement for range (9:0 - 9:1)",
    )  # fmt: skip


def test_a_fix_of_an_old_patch_set_cannot_start_an_edit(fg: FakeGerrit) -> None:
    number = change(fg)
    fix_id = _posted_fix(fg, number)["fix_id"]
    fg.upload_patchset(number, {"nova/other.py": "y = 2\n"}, uploader="jane")
    r = call(fg, "POST", f"/changes/{number}/revisions/1/fixes/{fix_id}/apply", auth=OWNER)
    assert r.status_code == 409
    assert r.text.strip() == (
        f"A change edit may only be created for the current patch set {number},2 "
        f"(and not for {number},1)"
    )


def test_a_server_older_than_3_10_ignores_fix_suggestions(tmp_path: Path) -> None:
    with _start(tmp_path, "3.9.8") as old:
        number = change(old)
        # even an invalid one: the field does not exist there
        assert post(old, number, review([{"replacements": []}])).status_code == 200
        (comment,) = decode(call(old, "GET", f"/changes/{number}/comments"))[PATH]
        assert "fix_suggestions" not in comment
        r = requests.get(old.url + "/config/server/version", timeout=10)
        assert decode(r) == "3.9.8"
