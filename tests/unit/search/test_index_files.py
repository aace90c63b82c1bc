"""Leftovers of killed index rebuilds are removed by the next rebuild (security review D13);
an index that other code built is rebuilt."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from search.engine import SearchDocument
from search.engines.embedded import EmbeddedEngine
from search.engines.index_file import built_by, remove_abandoned_builds
from search.reindex import Reindexer


def _dead_pid() -> int:
    """The pid of a process that has finished (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def _doc() -> SearchDocument:
    return SearchDocument(
        id="condition:1", kind="condition", entity_id="1", title_nl="alpha", title_en="alpha"
    )


def test_a_rebuild_removes_files_of_killed_rebuilds(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite3"
    dead = tmp_path / f"index.sqlite3.new-{_dead_pid()}-140000"
    dead.write_bytes(b"half an index")
    EmbeddedEngine(index).rebuild([_doc()])
    assert not dead.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.sqlite3"]


def test_files_of_running_processes_and_other_files_are_kept(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite3"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        busy = tmp_path / f"index.sqlite3.new-{sleeper.pid}-1"
        mine = tmp_path / f"index.sqlite3.new-{os.getpid()}-1"
        odd = tmp_path / "index.sqlite3.new-notapid"
        other_index = tmp_path / f"other.sqlite3.new-{_dead_pid()}-1"
        for p in (busy, mine, odd, other_index):
            p.write_bytes(b"x")
        assert remove_abandoned_builds(index) == []
        assert all(p.exists() for p in (busy, mine, odd, other_index))
    finally:
        sleeper.kill()
        sleeper.wait()
    assert remove_abandoned_builds(index) == [busy]


def test_an_index_that_other_code_built_counts_as_built_from_no_known_version(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite3"
    engine = EmbeddedEngine(index)
    engine.rebuild([_doc()], catalogue_version=7)
    assert engine.catalogue_version() == 7
    asked: list[bool] = []
    reindexer = Reindexer(engine, None, versions=lambda: 7)  # type: ignore[arg-type]
    reindexer.request = lambda: asked.append(True)  # type: ignore[method-assign]
    assert reindexer.check() is False
    # The same file, as an earlier release with other spelling rules would have left it.
    copy = tmp_path / "older.sqlite3"
    copy.write_bytes(index.read_bytes())
    with sqlite3.connect(copy) as con:
        con.execute("UPDATE meta SET value = 'other-rules' WHERE key = 'built_by'")
    con.close()
    older = EmbeddedEngine(copy)
    assert older.catalogue_version() is None
    assert older.count() == 1  # still searchable until the rebuild
    reindexer = Reindexer(older, None, versions=lambda: 7)  # type: ignore[arg-type]
    reindexer.request = lambda: asked.append(True)  # type: ignore[method-assign]
    assert reindexer.check() is True
    assert asked == [True]
    assert len(built_by()) == 16
