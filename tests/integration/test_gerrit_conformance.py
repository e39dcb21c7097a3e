"""Conformance: python-gerritclient 1.2.0 and bot.gerrit against the embedded fake Gerrit.

Both clients get identical arguments. Compared: the recorded requests (method, raw path,
query as a multiset of decoded pairs, JSON body parsed, presence and scheme of
Authorization, Content-Type of bodies), the return values, and for errors the exception
family and ``.message``.

Allowed differences (not compared here, covered by the unit tests): User-Agent, timeouts,
our extra exception attributes, and what upstream cannot do (int ids, a plain ``str``
query, boolean query options, responses without Content-Type).
"""

from __future__ import annotations

import importlib.metadata
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

upstream = pytest.importorskip("gerritclient")
if importlib.metadata.version("python-gerritclient") != "1.2.0":  # pragma: no cover
    pytest.skip("the conformance target is python-gerritclient 1.2.0", allow_module_level=True)

from gerritclient import client as up_client  # noqa: E402
from gerritclient import error as up_error  # noqa: E402

from bot.gerrit import client as our_client  # noqa: E402
from bot.gerrit import error as our_error  # noqa: E402
from fakegerrit import FakeGerrit  # noqa: E402

BOT_USER = "security-bot"
BOT_PASSWORD = "bot-secret"
ALICE_PASSWORD = "alice-secret"
PROJECT = "openstack/nova"
T0 = datetime(2025, 1, 2, 10, 0, 0, tzinfo=UTC)

BASE_FILES = {
    "README.rst": "nova\n",
    "nova/__init__.py": "",
    "nova/foo.py": "".join(f"line {i}\n" for i in range(1, 41)),
    "nova/tests/__init__.py": "",
}


# ---------------------------------------------------------------------------------------------
# World


@dataclass
class World:
    fake: FakeGerrit
    ids: dict[str, Any]


def build_world(root: Path) -> World:
    """A deterministic fake Gerrit: the same calls give the same SHAs, ids and times."""
    fake = FakeGerrit(root, bot_username=BOT_USER, bot_password=BOT_PASSWORD).start()
    fake.set_time(T0)
    fake.add_account("alice", name="Alice", email="alice@example.org", password=ALICE_PASSWORD)
    fake.add_account("bob", name="Bob", email="bob@example.org")
    fake.create_project(PROJECT, BASE_FILES)
    fake.advance(60)
    main = fake.create_change(
        PROJECT,
        {
            "nova/foo.py": BASE_FILES["nova/foo.py"].replace("line 5\n", "line five\n"),
            "nova/tests/test_foo.py": "import nova\n\n\ndef test_foo():\n    assert True\n",
        },
        "Add tests for foo",
    )
    fake.advance(60)
    fake.upload_patchset(
        main,
        {
            "nova/foo.py": BASE_FILES["nova/foo.py"].replace("line 5\n", "line five\n"),
            "nova/tests/test_foo.py": "import nova\n\n\ndef test_foo():\n    assert 1 == 1\n",
        },
    )
    fake.advance(60)
    fake.post_message(main, "Looks fine to me.", author="bob")
    fake.advance(60)
    fake.post_patchset_comment(main, "recheck-security", author="alice")
    fake.advance(60)
    # An inline and a range comment by alice, posted the way the web UI does.
    response = requests.post(
        f"{fake.url}/a/changes/{main}/revisions/current/review",
        json={
            "message": "A few nits.",
            "comments": {
                "nova/foo.py": [
                    {"line": 5, "message": "Why five?", "unresolved": True},
                    {
                        "range": {
                            "start_line": 1,
                            "start_character": 0,
                            "end_line": 2,
                            "end_character": 4,
                        },
                        "message": "Range comment",
                    },
                ]
            },
        },
        auth=("alice", ALICE_PASSWORD),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    others = []
    for i in range(3):
        fake.advance(60)
        others.append(
            fake.create_change(
                PROJECT,
                {f"nova/tests/test_more_{i}.py": f"x = {i}\n"},
                f"Another change {i}",
                owner="bob",
            )
        )
    fake.advance(60)
    merged = fake.create_change(PROJECT, {"nova/merged.py": "m = 1\n"}, "Merged change")
    fake.set_status(merged, "MERGED")
    fake.advance(60)
    fake.clear_requests()
    ids = {
        "main": main,
        "others": others,
        "merged": merged,
        "ps1": fake.revision(main, 1),
        "ps2": fake.revision(main, 2),
    }
    return World(fake, ids)


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    world = build_world(tmp_path_factory.mktemp("conformance-shared"))
    yield world
    world.fake.stop()


@pytest.fixture
def world_pair(tmp_path: Path) -> Iterator[tuple[World, World]]:
    """Two identical worlds, one per client, for scenarios that change state."""
    first = build_world(tmp_path / "upstream")
    second = build_world(tmp_path / "ours")
    try:
        assert first.ids == second.ids, "the fake Gerrit is not deterministic"
        yield first, second
    finally:
        first.fake.stop()
        second.fake.stop()


# ---------------------------------------------------------------------------------------------
# Running one scenario


@dataclass
class Clients:
    change: Any
    account: Any
    server: Any


def clients_for(module: Any, url: str, password: str = BOT_PASSWORD) -> Clients:
    conn = module.connect(url, auth_type="basic", username=BOT_USER, password=password)
    return Clients(
        change=module.get_client("change", connection=conn),
        account=module.get_client("account", connection=conn),
        server=module.get_client("server", connection=conn),
    )


@dataclass
class Outcome:
    value: Any
    error: BaseException | None
    requests: list[dict[str, Any]]


def normalise_request(recorded: Any) -> dict[str, Any]:
    headers = recorded.headers
    auth = headers.get("Authorization")
    body: Any = None
    if recorded.body:
        try:
            body = json.loads(recorded.body)
        except ValueError:
            body = recorded.body
    return {
        "method": recorded.method,
        "path": recorded.path,
        "query": Counter(recorded.query),
        "body": body,
        "auth": auth.split()[0] if auth else None,
        "content_type": headers.get("Content-Type") if recorded.body else None,
    }


def run(
    fake: FakeGerrit,
    module: Any,
    scenario: Callable[[Clients, dict[str, Any]], Any],
    ids: dict[str, Any],
    password: str = BOT_PASSWORD,
) -> Outcome:
    clients = clients_for(module, fake.url, password)
    fake.clear_requests()
    value: Any = None
    caught: BaseException | None = None
    try:
        value = scenario(clients, ids)
    except Exception as exc:
        caught = exc
    recorded = [normalise_request(r) for r in fake.requests if not getattr(r, "git", False)]
    return Outcome(value, caught, recorded)


def replace_strings(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [replace_strings(v, old, new) for v in value]
    if isinstance(value, dict):
        return {
            replace_strings(k, old, new): replace_strings(v, old, new) for k, v in value.items()
        }
    return value


def assert_same(up: Outcome, ours: Outcome, up_url: str = "", our_url: str = "") -> None:
    def norm(value: Any, url: str) -> Any:
        return replace_strings(value, url, "<URL>") if url else value

    assert ours.requests == up.requests
    if up.error is None:
        assert ours.error is None, f"ours raised {ours.error!r}, upstream returned"
        assert norm(ours.value, our_url) == norm(up.value, up_url)
        assert type(ours.value) is type(up.value)
        return
    assert isinstance(up.error, up_error.HTTPError), repr(up.error)
    assert isinstance(ours.error, our_error.HTTPError), repr(ours.error)
    assert norm(ours.error.message, our_url) == norm(up.error.message, up_url)
    status = up.error.__context__.response.status_code  # type: ignore[union-attr]
    assert ours.error.status_code == status


# ---------------------------------------------------------------------------------------------
# Read scenarios (one shared world, both clients against the same server)

READ_SCENARIOS: dict[str, Callable[[Clients, dict[str, Any]], Any]] = {
    "get_all_one_query": lambda c, ids: c.change.get_all(["status:open"]),
    "get_all_options_limit_skip_more_changes": lambda c, ids: c.change.get_all(
        ["status:open+project:openstack/nova"],
        options=["CURRENT_REVISION", "CURRENT_FILES", "MESSAGES"],
        limit=2,
        skip=0,
    ),
    "get_all_second_page": lambda c, ids: c.change.get_all(["status:open"], limit=2, skip=2),
    "get_all_two_queries": lambda c, ids: c.change.get_all(
        ["status:open", "status:merged"], options=["DETAILED_ACCOUNTS"]
    ),
    "get_by_id": lambda c, ids: c.change.get_by_id(str(ids["main"])),
    "get_by_id_project_number": lambda c, ids: c.change.get_by_id(f"{PROJECT}~{ids['main']}"),
    "get_by_id_detailed": lambda c, ids: c.change.get_by_id(str(ids["main"]), detailed=True),
    "get_by_id_options": lambda c, ids: c.change.get_by_id(
        str(ids["main"]), options=["CURRENT_REVISION", "CURRENT_COMMIT", "DETAILED_ACCOUNTS"]
    ),
    "get_comments": lambda c, ids: c.change.get_comments(str(ids["main"])),
    "get_messages": lambda c, ids: c.change.get_messages(str(ids["main"])),
    "get_revision_files": lambda c, ids: c.change.get_revision_files(
        str(ids["main"]), revision_id=ids["ps2"]
    ),
    "get_revision_files_base": lambda c, ids: c.change.get_revision_files(
        str(ids["main"]), revision_id=2, base=1
    ),
    "get_revision_files_parent": lambda c, ids: c.change.get_revision_files(
        str(ids["main"]), parent=1
    ),
    "get_file_diff": lambda c, ids: c.change.get_file_diff(str(ids["main"]), "nova/foo.py"),
    "get_file_diff_options": lambda c, ids: c.change.get_file_diff(
        str(ids["main"]),
        "nova/tests/test_foo.py",
        revision_id=2,
        base=1,
        context=5,
        whitespace="IGNORE_ALL",
    ),
    "get_file_content": lambda c, ids: c.change.get_file_content(
        str(ids["main"]), "nova/tests/test_foo.py", revision_id=ids["ps1"]
    ),
    "get_reviewers": lambda c, ids: c.change.get_reviewers(str(ids["main"])),
    "server_get_version": lambda c, ids: c.server.get_version(),
    "account_self": lambda c, ids: c.account.get_by_id("self"),
    "error_404_unknown_change": lambda c, ids: c.change.get_by_id("999999"),
    "error_404_unknown_message": lambda c, ids: c.change.get_message(str(ids["main"]), "nope"),
}


@pytest.mark.parametrize("name", sorted(READ_SCENARIOS))
def test_read_scenario(shared_world: World, name: str) -> None:
    scenario = READ_SCENARIOS[name]
    up = run(shared_world.fake, up_client, scenario, shared_world.ids)
    ours = run(shared_world.fake, our_client, scenario, shared_world.ids)
    assert up.requests, "the scenario sent no request"
    if name.startswith("error_"):
        assert up.error is not None
    else:
        assert up.error is None, f"upstream failed: {up.error!r}"
    assert_same(up, ours)


def test_more_changes_page_is_really_partial(shared_world: World) -> None:
    changes = clients_for(our_client, shared_world.fake.url).change
    page = changes.get_all(["status:open"], limit=2, skip=0)
    assert len(page) == 2 and page[-1].get("_more_changes") is True


def test_error_401_bad_credentials(shared_world: World) -> None:
    def scenario(c: Clients, ids: dict[str, Any]) -> Any:
        return c.change.get_by_id(str(ids["main"]))

    up = run(shared_world.fake, up_client, scenario, shared_world.ids, password="wrong")
    ours = run(shared_world.fake, our_client, scenario, shared_world.ids, password="wrong")
    assert up.error is not None
    assert_same(up, ours)
    assert isinstance(ours.error, our_error.AuthError)
    assert "wrong" not in ours.error.message


# ---------------------------------------------------------------------------------------------
# Write scenarios (a fresh, identical world for each client)


def review(c: Clients, ids: dict[str, Any]) -> Any:
    return c.change.set_review(
        str(ids["main"]),
        revision_id=ids["ps2"],
        message="Security review: 1 finding.",
        comments={
            "nova/tests/test_foo.py": [
                {"line": 5, "message": "Assertion is a tautology.", "unresolved": False},
                {
                    "range": {
                        "start_line": 4,
                        "start_character": 0,
                        "end_line": 5,
                        "end_character": 18,
                    },
                    "message": "Range finding",
                },
            ],
            "/PATCHSET_LEVEL": [{"message": "Overall comment"}],
        },
        tag="autogenerated:security-bot",
        notify="OWNER",
    )


def review_unknown_file(c: Clients, ids: dict[str, Any]) -> Any:
    return c.change.set_review(
        str(ids["main"]),
        revision_id=2,
        message="x",
        comments={"nova/not_in_change.py": [{"line": 1, "message": "nope"}]},
    )


def review_closed_change(c: Clients, ids: dict[str, Any]) -> Any:
    return c.change.set_review(str(ids["merged"]), labels={"Code-Review": 1}, message="late")


def add_reviewer(c: Clients, ids: dict[str, Any]) -> Any:
    return c.change.add_reviewer(str(ids["main"]), "bob", state="CC")


def wip_then_ready(c: Clients, ids: dict[str, Any]) -> Any:
    first = c.change.set_work_in_progress(str(ids["others"][0]))
    second = c.change.set_ready_for_review(str(ids["others"][0]), message="Ready now")
    third = c.change.get_by_id(str(ids["others"][0]))
    return [first, second, third]


WRITE_SCENARIOS: dict[str, Callable[[Clients, dict[str, Any]], Any]] = {
    "set_review": review,
    "add_reviewer": add_reviewer,
    "wip_then_ready": wip_then_ready,
    "error_400_comment_on_unknown_file": review_unknown_file,
    "error_409_closed_change": review_closed_change,
}


@pytest.mark.parametrize("name", sorted(WRITE_SCENARIOS))
def test_write_scenario(world_pair: tuple[World, World], name: str) -> None:
    scenario = WRITE_SCENARIOS[name]
    up_world, our_world = world_pair
    up = run(up_world.fake, up_client, scenario, up_world.ids)
    ours = run(our_world.fake, our_client, scenario, our_world.ids)
    if name.startswith("error_"):
        assert up.error is not None
    else:
        assert up.error is None, f"upstream failed: {up.error!r}"
    assert_same(up, ours, up_world.fake.url, our_world.fake.url)
    # The state left behind is the same too.
    change = up_world.ids["main"]
    assert replace_strings(our_world.fake.messages(change), our_world.fake.url, "<URL>") == (
        replace_strings(up_world.fake.messages(change), up_world.fake.url, "<URL>")
    )


def test_wip_and_ready_return_empty_string(world_pair: tuple[World, World]) -> None:
    _, our_world = world_pair
    outcome = run(our_world.fake, our_client, wip_then_ready, our_world.ids)
    assert outcome.error is None
    assert outcome.value[0] == "" and outcome.value[1] == ""
