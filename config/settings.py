"""The one settings object, built from the environment once at start-up.

Nothing else in the code base reads ``os.environ``: the CLI builds a
:class:`Settings` with :meth:`Settings.from_env` and hands it (or the parts of it
that are needed) to the catalogue, the importers, the search engine and the web
app. Every setting is documented in ``docs/configuration.md``; a test keeps that
document and this module in step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path
from typing import Literal

PROJECT_ROOT = Path(__file__).resolve().parent.parent

EngineName = Literal["embedded", "meilisearch"]


class SettingsError(ValueError):
    """A setting in the environment has a value we cannot use."""


@dataclass(frozen=True)
class SettingSpec:
    env: str
    default: str
    help: str


# The single list of settings: their environment name, default and meaning.
# ``docs/configuration.md`` must describe each of them (tests/unit/config/test_settings.py).
SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "EXW_DATABASE_URL",
        "sqlite:///var/expertisewijzer.sqlite3",
        "SQLAlchemy URL of the catalogue database (SQLite or PostgreSQL).",
    ),
    SettingSpec("EXW_SEARCH_ENGINE", "embedded", "Search engine: `embedded` or `meilisearch`."),
    SettingSpec(
        "EXW_SEARCH_INDEX_PATH",
        "var/search-index.sqlite3",
        "File of the embedded (SQLite FTS5) search index.",
    ),
    SettingSpec("MEILISEARCH_URL", "", "Base URL of the Meilisearch server."),
    SettingSpec("MEILISEARCH_API_KEY", "", "API key for Meilisearch (empty for none)."),
    SettingSpec(
        "EXW_MEILISEARCH_INDEX", "expertisewijzer", "Name (prefix) of the Meilisearch index."
    ),
    SettingSpec("EXW_MEILISEARCH_TIMEOUT", "10", "Timeout in seconds for Meilisearch calls."),
    SettingSpec(
        "EXW_SEARCH_CACHE_SIZE",
        "2048",
        "Searches whose results the embedded engine keeps in memory (0: none).",
    ),
    SettingSpec("EXW_HOST", "127.0.0.1", "Interface the web server listens on."),
    SettingSpec("EXW_PORT", "8000", "Port the web server listens on."),
    SettingSpec("EXW_WORKERS", "1", "Web server worker processes (one per core is a good start)."),
    SettingSpec("EXW_THREADS", "4", "Threads per worker that run the (synchronous) views."),
    SettingSpec("EXW_DATA_DIR", "data", "Directory with the bundled source data."),
    SettingSpec("EXW_VAR_DIR", "var", "Directory for the reindex lock and uploads being imported."),
    SettingSpec(
        "EXW_BASE_URL",
        "http://127.0.0.1:8000",
        "Public base URL, used for canonical links and the sitemap.",
    ),
    SettingSpec("EXW_HTTP_TIMEOUT", "30", "Timeout in seconds for importers' HTTP downloads."),
    SettingSpec(
        "EXW_SECRET_KEY",
        "",
        "Secret for signing session cookies; required for the editor area in production.",
    ),
    SettingSpec(
        "EXW_ACCESS_LOG",
        "0",
        "`1` logs every request with the client's address; off because search texts are "
        "health information.",
    ),
    SettingSpec("EXW_DEBUG", "0", "`1` shows tracebacks in the browser; never in production."),
    SettingSpec(
        "EXW_SESSION_HOURS", "8", "Editor sessions end this many hours after login, however active."
    ),
    SettingSpec(
        "EXW_SESSION_IDLE_MINUTES", "60", "Editor sessions end after this many idle minutes."
    ),
    SettingSpec("EXW_UPLOAD_MAX_MB", "64", "Largest source file editors may upload, in MB."),
    SettingSpec(
        "EXW_IMPORT_MAX_RETIRE_SHARE",
        "0.1",
        "Share (0-1) of a source's rows one import may retire without an explicit confirmation.",
    ),
    SettingSpec(
        "EXW_IMPORT_MEMORY_MB",
        "1024",
        "Memory (address space, MB) of the process that imports an uploaded file.",
    ),
    SettingSpec(
        "EXW_IMPORT_SECONDS",
        "120",
        "Time in seconds an import of an uploaded file may take before it is stopped.",
    ),
    SettingSpec(
        "EXW_INDEX_CHECK_SECONDS",
        "30",
        "How often (seconds) each server checks that its search index is as new as the "
        "catalogue, and rebuilds it when not; also at start-up (0: never, for benchmarks).",
    ),
    SettingSpec(
        "EXW_CATALOGUE_POLL_SECONDS",
        "2",
        "How often (seconds) each server reads the catalogue's version when it is not told "
        "(SQLite; PostgreSQL announces publishes with NOTIFY).",
    ),
    SettingSpec(
        "EXW_PAGE_CACHE_ENTRIES",
        "4096",
        "Rendered public pages each server process keeps per catalogue version (0: none).",
    ),
    SettingSpec(
        "EXW_PAGE_CACHE_MB",
        "128",
        "Memory (MB) the kept pages may take in each server process.",
    ),
    SettingSpec(
        "EXW_PAGE_CACHE_SECONDS",
        "30",
        "Seconds a reverse proxy or CDN may serve a public page without asking (s-maxage).",
    ),
    SettingSpec(
        "EXW_FORWARDED_ALLOW_IPS",
        "",
        "Addresses of reverse proxies whose X-Forwarded-For/-Proto headers are trusted "
        "(comma separated; empty: none).",
    ),
)


def _resolve(path: str, root: Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else root / p


def _sqlite_url_absolute(url: str, root: Path) -> str:
    """Make a relative SQLite file URL absolute against the project root."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith("sqlite:////"):
        rel = url[len(prefix) :]
        if rel and rel != ":memory:" and not rel.startswith("file:"):
            return prefix + str(root / rel)
    return url


def _float(env: Mapping[str, str], name: str, default: str) -> float:
    raw = env.get(name, default)
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not a number") from exc
    if value <= 0:
        raise SettingsError(f"{name}={raw!r} must be positive")
    return value


def _addresses(raw: str) -> str:
    """A comma-separated list of proxy addresses (or networks), as uvicorn takes it."""
    items = [item.strip() for item in raw.split(",") if item.strip()]
    for item in items:
        if not re.fullmatch(r"[0-9A-Fa-f:.]+(/[0-9]{1,3})?|\*|unix:.+", item):
            raise SettingsError(
                f"EXW_FORWARDED_ALLOW_IPS: {item!r} is not an address, a network or '*'"
            )
    return ",".join(items)


def _share(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"EXW_IMPORT_MAX_RETIRE_SHARE={raw!r} is not a number") from exc
    if not 0 <= value <= 1:
        raise SettingsError(
            f"EXW_IMPORT_MAX_RETIRE_SHARE={raw!r}: expected a share from 0 to 1 (0.1 is 10 %)"
        )
    return value


def _at_least(env: Mapping[str, str], name: str, default: str, low: int) -> int:
    value = _count(env, name, default)
    if value < low:
        raise SettingsError(f"{name}={value}: expected at least {low}")
    return value


def _whole(raw: str) -> int | None:
    """ASCII digits only: ``"²".isdigit()`` is true but ``int("²")`` fails."""
    return int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) else None


def _count(env: Mapping[str, str], name: str, default: str) -> int:
    raw = env.get(name, default).strip()
    value = _whole(raw)
    if value is None:
        raise SettingsError(f"{name}={raw!r} is not a whole number (0 or more)")
    return value


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an interface to listen on) is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_base_url_problem(base_url: str, host: str) -> str | None:
    """What is wrong when ``EXW_BASE_URL`` is its default while the server listens on a
    host that others can reach (canonical links, the sitemap and the open-data files
    would point at 127.0.0.1); None when all is well."""
    default = next(s.default for s in SPECS if s.env == "EXW_BASE_URL")
    if base_url.rstrip("/") != default or is_loopback(host):
        return None
    return (
        f"EXW_BASE_URL is the default ({default}) but the server listens on {host}: "
        "canonical links, the sitemap and the open-data files would point there. "
        "Set EXW_BASE_URL to the site's public address (https://...)"
    )


@dataclass(frozen=True)
class Settings:
    """Typed, immutable application settings."""

    database_url: str
    search_engine: EngineName
    search_index_path: Path
    meilisearch_url: str
    meilisearch_api_key: str
    meilisearch_index: str
    meilisearch_timeout: float
    host: str
    port: int
    workers: int
    threads: int
    data_dir: Path
    var_dir: Path
    base_url: str
    http_timeout: float
    secret_key: str
    debug: bool
    access_log: bool = False
    project_root: Path = field(default=PROJECT_ROOT)
    session_hours: float = 8.0
    session_idle_minutes: float = 60.0
    upload_max_mb: float = 64.0
    search_cache_size: int = 2048
    forwarded_allow_ips: str = ""
    import_max_retire_share: float = 0.1
    import_memory_mb: int = 1024
    import_seconds: float = 120.0
    index_check_seconds: float = 30.0
    catalogue_poll_seconds: float = 2.0
    page_cache_entries: int = 4096
    page_cache_mb: float = 128.0
    page_cache_seconds: int = 30

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, root: Path = PROJECT_ROOT
    ) -> Settings:
        env = dict(os.environ if environ is None else environ)
        defaults = {s.env: s.default for s in SPECS}

        def get(name: str) -> str:
            return env.get(name, defaults[name]).strip()

        engine = get("EXW_SEARCH_ENGINE")
        if engine not in ("embedded", "meilisearch"):
            raise SettingsError(
                f"EXW_SEARCH_ENGINE={engine!r}: expected 'embedded' or 'meilisearch'"
            )
        if engine == "meilisearch" and not get("MEILISEARCH_URL"):
            raise SettingsError("EXW_SEARCH_ENGINE=meilisearch needs MEILISEARCH_URL")
        port_raw = get("EXW_PORT")
        port = _whole(port_raw)
        if port is None or not 0 < port < 65536:
            raise SettingsError(f"EXW_PORT={port_raw!r} is not a port number")
        workers_raw = get("EXW_WORKERS")
        workers = _whole(workers_raw)
        if workers is None or not 1 <= workers <= 64:
            raise SettingsError(f"EXW_WORKERS={workers_raw!r}: expected a whole number 1-64")
        threads_raw = get("EXW_THREADS")
        threads = _whole(threads_raw)
        if threads is None or not 1 <= threads <= 200:
            raise SettingsError(f"EXW_THREADS={threads_raw!r}: expected a whole number 1-200")
        var_dir = _resolve(get("EXW_VAR_DIR"), root)
        return cls(
            database_url=_sqlite_url_absolute(get("EXW_DATABASE_URL"), root),
            search_engine=engine,  # type: ignore[arg-type]  # checked against the Literal above
            search_index_path=_resolve(get("EXW_SEARCH_INDEX_PATH"), root),
            meilisearch_url=get("MEILISEARCH_URL"),
            meilisearch_api_key=get("MEILISEARCH_API_KEY"),
            meilisearch_index=get("EXW_MEILISEARCH_INDEX"),
            meilisearch_timeout=_float(
                env, "EXW_MEILISEARCH_TIMEOUT", defaults["EXW_MEILISEARCH_TIMEOUT"]
            ),
            host=get("EXW_HOST"),
            port=port,
            workers=workers,
            threads=threads,
            data_dir=_resolve(get("EXW_DATA_DIR"), root),
            var_dir=var_dir,
            base_url=get("EXW_BASE_URL").rstrip("/"),
            http_timeout=_float(env, "EXW_HTTP_TIMEOUT", defaults["EXW_HTTP_TIMEOUT"]),
            secret_key=get("EXW_SECRET_KEY"),
            debug=get("EXW_DEBUG") in ("1", "true", "yes"),
            access_log=get("EXW_ACCESS_LOG") in ("1", "true", "yes"),
            project_root=root,
            session_hours=_float(env, "EXW_SESSION_HOURS", defaults["EXW_SESSION_HOURS"]),
            session_idle_minutes=_float(
                env, "EXW_SESSION_IDLE_MINUTES", defaults["EXW_SESSION_IDLE_MINUTES"]
            ),
            upload_max_mb=_float(env, "EXW_UPLOAD_MAX_MB", defaults["EXW_UPLOAD_MAX_MB"]),
            search_cache_size=_count(
                env, "EXW_SEARCH_CACHE_SIZE", defaults["EXW_SEARCH_CACHE_SIZE"]
            ),
            forwarded_allow_ips=_addresses(get("EXW_FORWARDED_ALLOW_IPS")),
            import_max_retire_share=_share(get("EXW_IMPORT_MAX_RETIRE_SHARE")),
            import_memory_mb=_at_least(
                env, "EXW_IMPORT_MEMORY_MB", defaults["EXW_IMPORT_MEMORY_MB"], 256
            ),
            import_seconds=_float(env, "EXW_IMPORT_SECONDS", defaults["EXW_IMPORT_SECONDS"]),
            index_check_seconds=_count(
                env, "EXW_INDEX_CHECK_SECONDS", defaults["EXW_INDEX_CHECK_SECONDS"]
            ),
            catalogue_poll_seconds=_float(
                env, "EXW_CATALOGUE_POLL_SECONDS", defaults["EXW_CATALOGUE_POLL_SECONDS"]
            ),
            page_cache_entries=_count(
                env, "EXW_PAGE_CACHE_ENTRIES", defaults["EXW_PAGE_CACHE_ENTRIES"]
            ),
            page_cache_mb=_float(env, "EXW_PAGE_CACHE_MB", defaults["EXW_PAGE_CACHE_MB"]),
            page_cache_seconds=_count(
                env, "EXW_PAGE_CACHE_SECONDS", defaults["EXW_PAGE_CACHE_SECONDS"]
            ),
        )
