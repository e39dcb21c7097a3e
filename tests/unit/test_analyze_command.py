"""``security-bot analyze``: formats, --jobs, --diff, exit status."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pygit2
import pytest

from bot import __version__, analyze
from bot.analysis import to_sarif
from bot.config import load_config

BAD = "import os\n\n\ndef f(x):\n    os.system('ls ' + x)\n"
GOOD = "def f(x):\n    return x\n"


def _args(paths: list[str], **kw: object) -> argparse.Namespace:
    return argparse.Namespace(paths=paths, **kw)


@pytest.fixture()
def config():
    return load_config(None)


def test_exit_codes_and_json_shape(tmp_path: Path, config, capsys) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    assert analyze.run(_args([str(tmp_path)], format="json"), config) == 0
    (tmp_path / "bad.py").write_text(BAD + "os.system('ls ' + y)  # nosec B605\n")
    capsys.readouterr()
    assert analyze.run(_args([str(tmp_path)], format="json"), config) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["files"] == 2 and out["suppressed_by_rule"] == {"shell-injection": 1}
    finding = out["findings"][0]
    for key in ("rule", "cwe", "pillars", "severity", "path", "line", "message"):
        assert key in finding
    assert analyze.run(_args([str(tmp_path / "missing")]), config) == 2


def test_works_without_new_arguments(tmp_path: Path, config, capsys) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    assert analyze.run(argparse.Namespace(paths=[str(tmp_path)]), config) == 1
    assert "shell-injection" in capsys.readouterr().out


def test_jobs_give_identical_results(tmp_path: Path) -> None:
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    one = analyze.analyze_paths([str(corpus)], jobs=1)
    two = analyze.analyze_paths([str(corpus)], jobs=2)
    assert [r.path for r in one] == [r.path for r in two]
    assert [r.findings for r in one] == [r.findings for r in two]
    assert sum(len(r.findings) for r in one) > 100


def test_diff_limits_findings_to_changed_lines(tmp_path: Path, config, capsys) -> None:
    repo = pygit2.init_repository(str(tmp_path))
    (tmp_path / "a.py").write_text(BAD)
    (tmp_path / "b.py").write_text(BAD)
    repo.index.add_all()
    repo.index.write()
    sig = pygit2.Signature("t", "t@example.com")
    repo.create_commit("HEAD", sig, sig, "base", repo.index.write_tree(), [])
    (tmp_path / "a.py").write_text(BAD + "\n\ndef g(y):\n    os.system('rm ' + y)\n")
    (tmp_path / "new.py").write_text(BAD)  # untracked: every line is new
    results = analyze.analyze_paths([str(tmp_path)], diff="HEAD")
    found = sorted((Path(f.path).name, f.line) for r in results for f in r.findings)
    assert found == [("a.py", 9), ("new.py", 5)]
    assert analyze.run(_args([str(tmp_path)], diff="nope"), config) == 2
    assert "unknown revision" in capsys.readouterr().err


def test_progress_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, tty = io.StringIO(), Tty()
    for stream in (quiet, tty):
        bar = analyze._Progress(3, stream)
        for _ in range(3):
            bar.step()
    assert quiet.getvalue() == "" and "3/3 files" in tty.getvalue()


def test_sarif_has_rules_results_and_suppressions(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD + "os.system('ls ' + y)  # nosec B605\n")
    log = to_sarif(analyze.analyze_paths([str(tmp_path)]), tool_version=__version__)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"shell-injection"}
    assert sum("suppressions" in r for r in results) == 1
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in results)
