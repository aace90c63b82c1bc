"""Leftovers of killed index rebuilds are removed by the next rebuild (security review D13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from search.engine import SearchDocument
from search.engines.embedded import EmbeddedEngine
from search.engines.index_file import remove_abandoned_builds


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
