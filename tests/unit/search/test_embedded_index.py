"""The embedded engine's index file: built complete, swapped atomically."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import pytest

from search.engine import SearchDocument, SearchQuery, SearchResults
from search.engines.embedded import EmbeddedEngine
from search.engines.index_file import leftover_files, near_words


def docs(n: int, word: str) -> list[SearchDocument]:
    return [
        SearchDocument(
            id=f"condition:{i}",
            kind="condition",
            entity_id=str(i),
            orphacode=i,
            title_nl=f"{word} {i}",
            title_en=f"{word} {i}",
        )
        for i in range(1, n + 1)
    ]


def test_no_index_yet_means_no_results(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    assert engine.count() == 0
    assert engine.search(SearchQuery(text="anything")).hits == ()


def test_rebuild_swaps_and_readers_see_the_new_index(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    engine = EmbeddedEngine(path)
    assert engine.rebuild(docs(5, "alpha")) == 5
    assert engine.search(SearchQuery(text="alpha")).total == 5
    engine.rebuild(docs(3, "beta"))
    assert engine.count() == 3
    assert engine.search(SearchQuery(text="alpha")).total == 0
    assert engine.search(SearchQuery(text="beta")).total == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.sqlite3"]  # no leftovers


def test_search_never_goes_empty_during_a_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    EmbeddedEngine(path).rebuild(docs(200, "gamma"))
    reader = EmbeddedEngine(path)
    seen_empty = []
    stop = threading.Event()

    def search_loop() -> None:
        while not stop.is_set():
            if reader.search(SearchQuery(text="gamma", limit=1)).total == 0:
                seen_empty.append(True)

    t = threading.Thread(target=search_loop)
    t.start()
    try:
        writer = EmbeddedEngine(path)
        for _ in range(5):
            writer.rebuild(docs(200, "gamma"))
    finally:
        stop.set()
        t.join()
    assert seen_empty == []


def test_failed_rebuild_keeps_the_old_index(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    engine = EmbeddedEngine(path)
    engine.rebuild(docs(4, "delta"))

    def broken():
        yield from docs(2, "epsilon")
        raise RuntimeError("catalogue went away")

    with pytest.raises(RuntimeError, match="went away"):
        engine.rebuild(broken())
    assert engine.search(SearchQuery(text="delta")).total == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.sqlite3"]


def test_matched_names_are_listed_once_whatever_their_case(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    engine.rebuild(
        [
            SearchDocument(
                id="condition:1",
                kind="condition",
                entity_id="1",
                orphacode=1,
                title_nl="Botsarcoom",
                title_en="Bone sarcoma",
                names_nl=("Botkanker", "botkanker", "Beenkanker"),
            )
        ]
    )
    hit = engine.search(SearchQuery(text="botkanker", lang="nl")).hits[0]
    folded = [m.casefold() for m in hit.matched]
    assert folded.count("botkanker") == 1


def test_warm_reads_every_document_into_the_cache(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    engine.warm()  # no index yet: nothing to do, no error
    engine.rebuild(docs(30, "zeta"))
    engine.warm()
    opened = engine._open()
    assert opened is not None
    assert len(opened[1].cache) == 30
    # A swap brings a new, empty cache; warming fills it again.
    engine.rebuild(docs(7, "eta"))
    engine.warm()
    opened = engine._open()
    assert opened is not None
    assert sorted(info.id for info in opened[1].cache.values()) == sorted(
        f"condition:{i}" for i in range(1, 8)
    )


def test_typo_alternatives_of_known_words_are_worked_out_when_building(tmp_path: Path) -> None:
    # Words close to each other, so that every word has typo alternatives.
    words = ["chondrosarcoom", "chondrosarkoom", "chondroom", "chordoom", "sarcoom", "sarkomen"]
    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    engine.rebuild(
        [
            SearchDocument(
                id=f"condition:{i}",
                kind="condition",
                entity_id=str(i),
                orphacode=i,
                title_nl=w,
                title_en=w,
            )
            for i, w in enumerate(words, start=1)
        ]
    )
    opened = engine._open()
    assert opened is not None
    con, index = opened
    assert index.near  # stored in the index file, read when it is opened
    for (key, budget), stored in index.near.items():
        live = near_words(key, budget, _sql_lookup(con), index.vocab)
        assert stored == live, (key, budget)
    assert any(stored for stored in index.near.values())
    # Searching with a typo in a known word gives the same hits as before the table existed.
    typo = SearchQuery(text="chondrosarcom")
    with_table = engine.search(typo)
    index.near.clear()
    assert engine.search(typo) == with_table
    assert with_table.hits[0].id == "condition:1"


def _sql_lookup(con: sqlite3.Connection) -> Callable[[list[str]], Iterable[str]]:
    def lookup(probes: list[str]) -> Iterable[str]:
        marks = ",".join("?" * len(probes))
        rows = con.execute(f"SELECT DISTINCT key FROM deletes WHERE del IN ({marks})", probes)
        return [k for (k,) in rows]

    return lookup


def test_an_index_from_before_near_words_still_finds_typos(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    EmbeddedEngine(path).rebuild(docs(3, "osteosarcoom"))
    con = sqlite3.connect(path)
    con.execute("DROP TABLE near_words")
    con.commit()
    con.close()
    engine = EmbeddedEngine(path)
    assert engine.search(SearchQuery(text="osteosarcom")).total == 3


def test_async_search_runs_in_the_event_loop_thread(tmp_path: Path) -> None:
    # CPU-bound work that a worker thread would only delay (see search_async).
    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    engine.rebuild(docs(3, "theta"))
    seen: list[int] = []
    search = engine.search

    def probe(query: SearchQuery) -> SearchResults:
        seen.append(threading.get_ident())
        return search(query)

    engine.search = probe  # type: ignore[method-assign]  # a probe on this instance

    async def main() -> tuple[int, SearchResults]:
        return threading.get_ident(), await engine.search_async(SearchQuery(text="theta"))

    with ThreadPoolExecutor(max_workers=1) as pool:  # a fresh loop, whatever runs here
        loop_thread, results = pool.submit(anyio.run, main).result()
    assert results.total == 3
    assert seen == [loop_thread]


def test_a_rebuild_removes_what_killed_rebuilds_left(tmp_path: Path) -> None:
    """A rebuild killed (``kill -9``) leaves its half-built file; the next one removes it,
    but not the file of a rebuild that still runs in another process."""
    import os

    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    dead = tmp_path / "index.sqlite3.new-999999999-1"
    running = tmp_path / f"index.sqlite3.new-{os.getppid()}-1"
    for path in (dead, running):
        path.write_bytes(b"half an index")
    assert leftover_files(engine.path) == [dead]
    engine.rebuild(docs(3, "sarcoom"), catalogue_version=1)
    assert not dead.exists()
    assert running.exists()
    assert leftover_files(engine.path) == []
