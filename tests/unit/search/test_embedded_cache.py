"""The embedded engine's results cache: same answers, emptied by a rebuild, configurable."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import Settings, SettingsError
from search.engine import SearchQuery
from search.engines.embedded import EmbeddedEngine
from search.factory import make_search_engine
from tests.support.search import documents, gazetteer


def test_cached_results_equal_fresh_ones_and_a_rebuild_empties_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    cached = EmbeddedEngine(path, gazetteer(), cache_size=8)
    fresh = EmbeddedEngine(path, gazetteer(), cache_size=0)
    cached.rebuild(documents())
    queries = [
        SearchQuery(text="sarcoom", limit=3),
        SearchQuery(text="  sarcoom ", limit=3),  # the same search, typed differently
        SearchQuery(text="sarcoom", limit=3, offset=1),
        SearchQuery(text="sarcoom", lang="en"),
        SearchQuery(text="umc", kinds=("institution",), sort="distance"),
    ]
    for q in queries * 2:
        assert cached.search(q) == fresh.search(q)
    cached.rebuild(documents()[:2])
    assert cached.search(SearchQuery(text="sarcoom")) == fresh.search(SearchQuery(text="sarcoom"))
    assert cached.search(SearchQuery(text="thymoom")).hits == ()


def test_the_cache_size_is_a_setting(tmp_path: Path) -> None:
    env = {
        "EXW_SEARCH_INDEX_PATH": str(tmp_path / "i.sqlite3"),
        "EXW_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}",
    }
    assert Settings.from_env(env).search_cache_size == 2048
    settings = Settings.from_env({**env, "EXW_SEARCH_CACHE_SIZE": "0"})
    engine = make_search_engine(settings)
    assert isinstance(engine, EmbeddedEngine)
    assert engine.cache_size == 0
    assert not engine.gazetteer  # no catalogue there: no locations, and no error
    with pytest.raises(SettingsError, match="EXW_SEARCH_CACHE_SIZE"):
        Settings.from_env({**env, "EXW_SEARCH_CACHE_SIZE": "-1"})
