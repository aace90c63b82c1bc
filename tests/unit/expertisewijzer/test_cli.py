"""The CLI: JSON search output shape, import errors and exit codes, docs."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT
from expertisewijzer import cli
from tests.support.editor import copy_sqlite

ROOT = PROJECT_ROOT


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, loaded) -> None:
    s = loaded.settings
    monkeypatch.setenv("EXW_DATABASE_URL", s.database_url)
    monkeypatch.setenv("EXW_SEARCH_INDEX_PATH", str(s.search_index_path))
    monkeypatch.setenv("EXW_VAR_DIR", str(s.var_dir))


def test_search_json_shape_and_rank_order(env, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "ORPHA:55880", "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["hits"]
    first = data["hits"][0]
    assert first["kind"] == "condition"
    assert first["id"] == "55880"
    assert first["orphacode"] == 55880
    assert first["title"] == "Chondrosarcoma"
    assert first["url"] == "/en/condition/55880"


def test_search_json_dutch_titles(env, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "chondrosarcoom", "--json", "--lang", "nl", "--limit", "2"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert 1 <= len(hits) <= 2
    assert hits[0]["title"] == "Chondrosarcoom"
    assert all(isinstance(h["orphacode"], int) for h in hits)


@pytest.fixture
def env_on_a_copy(env, monkeypatch: pytest.MonkeyPatch, loaded, tmp_path: Path) -> None:
    """As ``env``, on a copy of the catalogue: a refused import records a failed run, and
    the loaded catalogue is shared with every test of this process."""
    copy = tmp_path / "catalogue.sqlite3"
    copy_sqlite(Path(loaded.settings.database_url.removeprefix("sqlite:///")), copy)
    monkeypatch.setenv("EXW_DATABASE_URL", f"sqlite:///{copy}")


def test_import_of_a_broken_file_exits_1_and_names_the_problem(
    env_on_a_copy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "cut.xml"
    broken.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<JDBOR><DisorderList>')
    assert cli.main(["import", "orphanet", "--file", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err
    assert f"{broken}: line 2" in err


def test_unknown_source_is_a_usage_error(env, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import", "wikipedia"]) == 2
    assert "unknown source 'wikipedia'" in capsys.readouterr().err


def test_every_subcommand_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text()
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    names = sorted(sub.choices)  # type: ignore[attr-defined]
    missing = [n for n in names if not re.search(rf"`expertisewijzer {n}\b", doc)]
    assert missing == []


def test_several_workers_need_a_shared_secret(
    env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EXW_SECRET_KEY", "")
    assert cli.main(["serve", "--workers", "2"]) == 2
    assert "EXW_SECRET_KEY" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_traceback(env, monkeypatch: pytest.MonkeyPatch) -> None:
    # "expertisewijzer coverage | head" printed a BrokenPipeError traceback.
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    stdout = open(write, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        assert cli.main(["coverage"]) == 1
        stdout.write("x" * 10_000)  # stdout now goes nowhere: no second failure
        stdout.flush()
    finally:
        monkeypatch.undo()
        stdout.close()


def test_coverage_prints_the_four_classes_and_the_priority_list(
    env, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["coverage"]) == 0
    out = capsys.readouterr().out
    for label in cli.COVERAGE_LABELS.values():
        assert label in out
    assert "The 47 conditions people look up most" in out
    assert cli.main(["coverage", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sum(data["counts"].values()) == data["conditions"] > 1000
    assert sum(data["priority_counts"].values()) == len(data["priority"]) == 47
    assert len(data["domains"]) == 10
    assert len(data["nothing"]) == data["counts"]["none"]
