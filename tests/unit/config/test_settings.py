"""Settings: read once from a mapping, typed, validated, documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT, SPECS, Settings, SettingsError

ROOT = PROJECT_ROOT


def test_defaults() -> None:
    s = Settings.from_env({}, root=ROOT)
    assert s.database_url == f"sqlite:///{ROOT / 'var' / 'expertisewijzer.sqlite3'}"
    assert s.search_engine == "embedded"
    assert s.search_index_path == ROOT / "var" / "search-index.sqlite3"
    assert (s.host, s.port) == ("127.0.0.1", 8000)
    assert s.data_dir == ROOT / "data"
    assert s.debug is False
    assert s.access_log is False  # search texts with addresses are health data


def test_overrides_are_typed() -> None:
    s = Settings.from_env(
        {
            "EXW_PORT": "9000",
            "EXW_DEBUG": "1",
            "EXW_ACCESS_LOG": "1",
            "EXW_DATABASE_URL": "postgresql+psycopg://x/y",
            "EXW_DATA_DIR": "/srv/data",
            "EXW_BASE_URL": "https://example.org/",
        },
        root=ROOT,
    )
    assert s.port == 9000
    assert s.debug is True
    assert s.access_log is True
    assert s.database_url == "postgresql+psycopg://x/y"
    assert s.data_dir == Path("/srv/data")
    assert s.base_url == "https://example.org"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EXW_SEARCH_ENGINE": "elastic"}, "EXW_SEARCH_ENGINE"),
        ({"EXW_SEARCH_ENGINE": "meilisearch"}, "MEILISEARCH_URL"),
        ({"EXW_PORT": "http"}, "EXW_PORT"),
        ({"EXW_PORT": "70000"}, "EXW_PORT"),
        ({"EXW_HTTP_TIMEOUT": "-1"}, "EXW_HTTP_TIMEOUT"),
        ({"EXW_WORKERS": "0"}, "EXW_WORKERS"),
        ({"EXW_THREADS": "0"}, "EXW_THREADS"),
        ({"EXW_WORKERS": "many"}, "EXW_WORKERS"),
        ({"EXW_MEILISEARCH_TIMEOUT": "soon"}, "EXW_MEILISEARCH_TIMEOUT"),
    ],
)
def test_bad_values_are_explained(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env, root=ROOT)


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text()
    missing = [s.env for s in SPECS if f"`{s.env}`" not in doc]
    assert missing == []


def test_settings_are_immutable() -> None:
    s = Settings.from_env({}, root=ROOT)
    with pytest.raises(AttributeError):
        s.port = 1  # type: ignore[misc]
