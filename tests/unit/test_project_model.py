"""The project model: summaries, resolution across files, facts through every base, the
built-in knowledge checked against the real released source, and the caches by blob id."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pygit2
import pytest

from bot.analysis import FileSummary, ProjectModel, analyze_source, summarize
from bot.analysis.knowledge import KNOWN
from bot.analysis.project import module_name
from bot.projects import (
    DiskSummaryCache,
    MemorySummaries,
    blob_id,
    local_model,
    revision_model,
    summary_cache_dir,
)
from bot.scm import Revision
from bot.store import Store
from bot.store.summaries import SummaryTable

SIG = pygit2.Signature("Test", "test@example.org", 1_700_000_000, 0)


def model(files: dict[str, str]) -> ProjectModel:
    return ProjectModel({path: summarize(text) for path, text in files.items()})


PROJECT = {
    "proj/__init__.py": "",
    "proj/tests/__init__.py": "",
    "proj/tests/base.py": (
        "from oslotest import base\n"
        "from proj.tests import fixtures as proj_fixtures\n"
        "class TestCase(base.BaseTestCase):\n"
        "    def setUp(self):\n"
        "        super().setUp()\n"
        "        self.useFixture(proj_fixtures.ConfFixture())\n"
        "        api.CELLS = []\n"
    ),
    "proj/tests/fixtures.py": (
        "from oslo_config import fixture as config_fixture\n"
        "class ConfFixture(config_fixture.Config):\n"
        "    pass\n"
    ),
    "proj/tests/unit/__init__.py": "from proj.tests.base import TestCase\n",
    "proj/tests/unit/mixins.py": "class Mixin(object):\n    def helper(self):\n        pass\n",
    "proj/tests/unit/test_a.py": (
        "from . import mixins\n"
        "from .. import base\n"
        "from proj.tests.unit import TestCase as Reexported\n"
        "from neutron_lib.tests import base as nl_base\n"
        "class TestA(mixins.Mixin, base.TestCase):\n"
        "    class Nested(Reexported):\n"
        "        pass\n"
        "class TestUnknown(mixins.Mixin, nl_base.BaseTestCase):\n"
        "    pass\n"
    ),
}


def test_module_names_follow_the_package_chain() -> None:
    packages = frozenset({"src/pkg", "src/pkg/sub"})
    assert module_name("src/pkg/sub/mod.py", packages) == ("pkg.sub.mod", False)
    assert module_name("src/pkg/__init__.py", packages) == ("pkg", True)
    assert module_name("tests/test_x.py", frozenset()) == ("test_x", False)


def test_bases_resolve_through_relative_imports_reexports_and_knowledge() -> None:
    m = model(PROJECT)
    test_a = m.lookup("proj.tests.unit.test_a.TestA")
    assert test_a is not None
    bases = m.bases(test_a)
    assert [b.name if b else None for b in bases] == [
        "proj.tests.unit.mixins.Mixin",
        "proj.tests.base.TestCase",
    ]
    nested = m.lookup("proj.tests.unit.test_a.TestA.Nested")
    assert nested is not None
    assert [b.name for b in m.bases(nested) if b] == ["proj.tests.base.TestCase"]
    assert m.lookup("oslotest.base.BaseTestCase").known is KNOWN["oslotest.base.BaseTestCase"]
    unknown = m.lookup("proj.tests.unit.test_a.TestUnknown")
    assert m.bases(unknown)[1] is None  # neutron_lib is neither in the tree nor known


def test_facts_follow_every_base_and_fixture_across_files() -> None:
    m = model(PROJECT)
    test_a = m.lookup("proj.tests.unit.test_a.TestA")
    assert m.fact(test_a, "stopall") is True  # oslotest's BaseTestCase
    assert m.fact(test_a, "resets_config") is True  # ConfFixture(config_fixture.Config)
    assert m.fact(test_a, "private_tmpdir") is True
    assert m.fact(test_a, "test_case") is True
    assert m.setup_assigns(test_a, "CELLS") is True
    unknown = m.lookup("proj.tests.unit.test_a.TestUnknown")
    assert m.fact(unknown, "stopall") is None
    mixin = m.lookup("proj.tests.unit.mixins.Mixin")
    assert m.fact(mixin, "stopall") is False  # alone it stops nothing...
    # ...but one concrete class stops, the other is unknown: not certain either way
    assert m.every_use(mixin, "stopall") is None
    mro = m.mro(test_a)
    assert mro is not None
    assert [c.name for c in mro][:3] == [
        "proj.tests.unit.test_a.TestA",
        "proj.tests.unit.mixins.Mixin",
        "proj.tests.base.TestCase",
    ]


def test_a_mixin_used_only_by_a_plain_testtools_class_is_certainly_not_stopped() -> None:
    m = model({
        "mixins.py": "class M:\n    pass\n",
        "test_x.py": "import testtools\nimport mixins\nclass T(mixins.M, testtools.TestCase):\n"
                     "    pass\n",
    })  # fmt: skip
    assert m.every_use(m.lookup("mixins.M"), "stopall") is False


def test_summaries_round_trip_and_refuse_other_versions() -> None:
    summary = summarize(PROJECT["proj/tests/base.py"])
    again = FileSummary.loads(summary.dumps())
    assert again == summary
    data = summary.to_json()
    data["v"] = -1
    with pytest.raises(ValueError):
        FileSummary.from_json(data)
    broken = summarize("def (:\n")
    assert broken.parsed is False and broken.classes == ()


def test_a_changed_file_is_seen_with_the_model_of_the_others() -> None:
    files = {
        "proj/__init__.py": "",
        "proj/tests/__init__.py": "",
        "proj/tests/mixins.py": (
            "from unittest import mock\nclass M(object):\n    def setUp(self):\n"
            "        super().setUp()\n        mock.patch('os.path.exists').start()\n"
        ),
        "proj/tests/test_m.py": (
            "from oslotest import base\nfrom proj.tests import mixins\n"
            "class T(mixins.M, base.BaseTestCase):\n    pass\n"
        ),
    }
    text = files["proj/tests/mixins.py"]
    alone = analyze_source("proj/tests/mixins.py", text, is_test=True)
    with_model = analyze_source("proj/tests/mixins.py", text, is_test=True, project=model(files))
    assert [f.rule for f in alone.findings] == ["patcher-not-stopped"]
    assert alone.findings[0].severity.value == "low"  # alone: nothing uses the mixin
    assert with_model.findings == []  # the model sees T derive from oslotest's base


# -- the knowledge table, against the real released source -------------------------------


def _installed_tree(*packages: str) -> dict[str, str]:
    files: dict[str, str] = {}
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            pytest.fail(f"{package} is a test dependency and must be installed")
        root = Path(next(iter(spec.submodule_search_locations)))
        for path in root.rglob("*.py"):
            rel = path.relative_to(root.parent).as_posix()
            if "/tests/" not in rel:
                files[rel] = path.read_text(encoding="utf-8")
    return files


def test_the_knowledge_table_agrees_with_the_released_source() -> None:
    """What KNOWN says of testtools, oslotest, fixtures and oslo.config is what the model
    derives from their installed source (the versions the test extra installs)."""
    m = model(_installed_tree("oslotest", "testtools", "fixtures", "oslo_config"))
    derived = {
        "oslotest.base.BaseTestCase": ("stopall", "private_tmpdir", "setup_matters", "test_case"),
        "testtools.TestCase": ("setup_matters", "test_case"),
        "fixtures.NestedTempfile": ("private_tmpdir",),
        "oslo_config.fixture.Config": ("resets_config",),
    }
    for name, facts in derived.items():
        ref = m.lookup(name)
        assert ref is not None and ref.summary is not None, name  # read from the source
        for fact in facts:
            assert m.fact(ref, fact) is True, (name, fact)
            assert getattr(KNOWN[name], fact) is True, (name, fact)
    plain = m.lookup("testtools.TestCase")
    assert m.fact(plain, "stopall") is False and KNOWN["testtools.TestCase"].stopall is False
    assert KNOWN["unittest.TestCase"].setup_matters is False


# -- caches by blob id ----------------------------------------------------------------------


def test_blob_id_is_gits() -> None:
    assert blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_disk_cache_round_trip_and_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    cache = DiskSummaryCache(tmp_path)
    summary = summarize("class A:\n    pass\n")
    cache.put_many({"k1": summary})
    assert DiskSummaryCache(tmp_path).get_many(["k1", "k2"]) == {"k1": summary}
    cache.path.write_bytes(b"not a database")
    assert DiskSummaryCache(tmp_path).get_many(["k1"]) == {}
    assert summary_cache_dir("off") is None
    assert summary_cache_dir("~/x") == Path.home() / "x"


def test_local_model_covers_the_package_and_reuses_the_cache(tmp_path: Path) -> None:
    for path, text in PROJECT.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    cache_dir = tmp_path / "cache"
    m, names = local_model([str(tmp_path / "proj" / "tests" / "unit")], cache_dir=cache_dir)
    assert "proj/tests/base.py" in m.summaries  # outside the analysed path, same package
    assert names[str((tmp_path / "proj/tests/unit/test_a.py").resolve())] == (
        "proj/tests/unit/test_a.py"
    )
    with sqlite3.connect(next(cache_dir.glob("*.sqlite"))) as conn:
        assert conn.execute("SELECT count(*) FROM summaries").fetchone()[0] == len(
            {blob_id(t.encode()) for t in PROJECT.values()}
        )


def _commit(repo: pygit2.Repository, files: dict[str, bytes], parents: list[str]) -> str:
    builder: dict = {}
    for path, data in files.items():
        node = builder
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = data

    def write(node: dict) -> pygit2.Oid:
        tb = repo.TreeBuilder()
        for name, value in node.items():
            if isinstance(value, dict):
                tb.insert(name, write(value), pygit2.enums.FileMode.TREE)
            else:
                tb.insert(name, repo.create_blob(value), pygit2.enums.FileMode.BLOB)
        return tb.write()

    oid = repo.create_commit(None, SIG, SIG, "c\n", write(builder),
                             [pygit2.Oid(hex=p) for p in parents])  # fmt: skip
    return str(oid)


def test_revision_model_parses_only_blobs_never_seen(tmp_path: Path) -> None:
    repo = pygit2.init_repository(str(tmp_path / "repo.git"), bare=True)
    files = {p: t.encode() for p, t in PROJECT.items()}
    files["README.rst"] = b"not python"
    first = _commit(repo, files, [])
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        table = SummaryTable(store.engine)
        m1, parsed1 = revision_model(Revision(repo, first, max_file_bytes=10**6), table)
        assert parsed1 == len({blob_id(t.encode()) for t in PROJECT.values()})
        assert set(m1.summaries) == set(PROJECT)
        files["proj/tests/unit/test_b.py"] = b"from proj.tests import base\n"
        second = _commit(repo, files, [first])
        cache = MemorySummaries(table)  # a new process: only the store knows the blobs
        m2, parsed2 = revision_model(Revision(repo, second, max_file_bytes=10**6), cache)
        assert parsed2 == 1
        assert "proj/tests/unit/test_b.py" in m2.summaries
        _, parsed3 = revision_model(Revision(repo, second, max_file_bytes=10**6), cache)
        assert parsed3 == 0
        table.put_many(dict(table.get_many([blob_id(files["proj/tests/base.py"])])))  # no dup
