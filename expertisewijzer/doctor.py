"""``expertisewijzer doctor``: is this installation ready to serve, and consistent?

Each check looks at one thing and reports a :class:`Finding`: what it found, and for
a problem what is wrong and what to do about it. The command prints them all and
exits 1 when any is a problem. The checks:

* settings: a secret key for sessions, debug off, a base URL set where it matters,
  a state directory that can be written;
* the database: reachable, and its migrations at the head revision;
* the search index: present, and built from the catalogue version the database has
  now (:mod:`directory.catalogue_version`, :mod:`search.reindex`);
* Meilisearch, when it is the engine: reachable, the live index there, and its
  settings those the adapter sets (:func:`search.engines.meilisearch_index.index_settings`);
* temporary index files left by a rebuild that was killed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from config.settings import Settings, default_base_url_problem

MIN_SECRET = 32
# Settings Meilisearch keeps as sets: their order means nothing.
UNORDERED = frozenset({"filterableAttributes", "sortableAttributes", "stopWords", "synonyms"})


@dataclass(frozen=True)
class Finding:
    check: str  # settings | database | migrations | index | meilisearch | temporary files
    ok: bool
    message: str


def problem(check: str, message: str) -> Finding:
    return Finding(check, False, message)


def fine(check: str, message: str) -> Finding:
    return Finding(check, True, message)


# -- settings ------------------------------------------------------------------------------


def check_settings(settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    if not settings.secret_key:
        found.append(
            problem(
                "settings",
                "EXW_SECRET_KEY is not set: editor sessions end at every restart, and "
                "several server processes would not accept each other's cookies",
            )
        )
    elif len(settings.secret_key) < MIN_SECRET:
        found.append(problem("settings", f"EXW_SECRET_KEY is shorter than {MIN_SECRET} characters"))
    if settings.debug:
        found.append(problem("settings", "EXW_DEBUG is on: tracebacks are shown to visitors"))
    base_url = default_base_url_problem(settings.base_url, settings.host)
    if base_url is not None:
        found.append(problem("settings", base_url))
    if not _writable(settings.var_dir):
        found.append(problem("settings", f"EXW_VAR_DIR ({settings.var_dir}) cannot be written"))
    if not found:
        found.append(fine("settings", "secret key, debug, base URL and state directory"))
    return found


def _writable(directory: Path) -> bool:
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return os.access(existing, os.W_OK)


# -- database and migrations -----------------------------------------------------------------


def shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL is shown as it is; it holds no password then
        return url


def check_database(settings: Settings) -> tuple[list[Finding], bool]:
    """Findings, and whether the database could be reached (the later checks need it)."""
    from directory.db import make_engine

    where = shown_url(settings.database_url)
    try:
        engine = make_engine(settings.database_url)
    except Exception as exc:  # a missing driver, a malformed URL
        return [problem("database", f"cannot use {where}: {type(exc).__name__}: {exc}")], False
    try:
        with engine.connect() as con:
            con.execute(text("SELECT 1"))
            found = [fine("database", f"{where} answers")]
            found += _check_migrations(settings, con)
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc  # the driver's words, without the statement
        reason = (str(cause).strip().splitlines() or [type(exc).__name__])[0]
        return [problem("database", f"{where} cannot be reached: {reason}")], False
    finally:
        engine.dispose()
    return found, True


def _check_migrations(settings: Settings, con: Any) -> list[Finding]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from directory.db import alembic_config

    cfg = alembic_config(settings.project_root)
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    current = set(MigrationContext.configure(con).get_current_heads())
    if current == heads:
        return [fine("migrations", f"at the head ({', '.join(sorted(heads))})")]
    at = ", ".join(sorted(current)) or "none applied"
    return [
        problem(
            "migrations",
            f"the database is at {at}, the code at {', '.join(sorted(heads))}: run "
            "`expertisewijzer db upgrade`",
        )
    ]


# -- the search index ---------------------------------------------------------------------


def check_index(settings: Settings, search: Any, catalogue_version: int | None) -> list[Finding]:
    """``search`` is the configured engine; ``catalogue_version`` the database's (None: unread)."""
    what = "Meilisearch" if settings.search_engine == "meilisearch" else "the embedded index"
    if search.count() == 0:
        return [problem("index", f"{what} has no documents: run `expertisewijzer index`")]
    built = search.catalogue_version()
    if catalogue_version is None:
        return [
            fine(
                "index",
                f"{what} has {search.count()} documents (its catalogue version is not compared: "
                "the database cannot be read)",
            )
        ]
    if built is None:
        return [
            problem(
                "index",
                f"{what} records no catalogue version (built before versions were kept, "
                "or by another version of Expertisewijzer): a server rebuilds it at "
                "start-up, or run `expertisewijzer index`",
            )
        ]
    if built < catalogue_version:
        return [
            problem(
                "index",
                f"{what} was built from catalogue version {built}, the catalogue is at "
                f"{catalogue_version}: published changes are not searchable yet. A running "
                f"server rebuilds it within EXW_INDEX_CHECK_SECONDS "
                f"({settings.index_check_seconds:g} s), or run `expertisewijzer index`",
            )
        ]
    if built > catalogue_version:
        return [
            problem(
                "index",
                f"{what} was built from catalogue version {built}, newer than the "
                f"catalogue ({catalogue_version}): was the database restored from a backup? "
                "Run `expertisewijzer index`",
            )
        ]
    return [fine("index", f"{what} matches catalogue version {built} ({search.count()} documents)")]


# -- Meilisearch ---------------------------------------------------------------------------


def settings_differences(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    """Where ``actual`` (as the settings API returns it) differs from what ``expected`` sets.

    The server fills in defaults and keys we do not set; only ours are compared, and
    lists Meilisearch keeps as sets (:data:`UNORDERED`) in any order.
    """
    out: list[str] = []

    def compare(want: Any, have: Any, path: str) -> None:
        if isinstance(want, Mapping):
            if not isinstance(have, Mapping):
                out.append(f"{path}: expected an object, found {_short(have)}")
                return
            for key, value in want.items():
                compare(value, have.get(key), f"{path}.{key}")
        elif want != have:
            out.append(f"{path}: expected {_short(want)}, found {_short(have)}")

    for key, want in expected.items():
        have = actual.get(key)
        if key in UNORDERED:
            want, have = _unordered(want), _unordered(have)
        compare(want, have, key)
    return out


def _unordered(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, Mapping):  # synonyms: word -> its synonyms, in any order
        return {k: _unordered(v) for k, v in value.items()}
    return value


def _short(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return shown if len(shown) <= 80 else shown[:79] + "…"


def check_meilisearch(settings: Settings) -> list[Finding]:
    from meilisearch import Client

    from search.engines.meilisearch_index import index_settings

    client = Client(
        settings.meilisearch_url,
        settings.meilisearch_api_key or None,
        timeout=max(1, round(settings.meilisearch_timeout)),
    )
    where = settings.meilisearch_url
    try:
        client.health()
    except Exception as exc:  # the client raises several kinds; all mean "not reachable"
        return [problem("meilisearch", f"{where} is not reachable: {type(exc).__name__}")]
    try:
        actual = dict(client.index(settings.meilisearch_index).get_settings())
    except Exception as exc:
        return [
            problem(
                "meilisearch",
                f"{where} has no index {settings.meilisearch_index!r} ({type(exc).__name__}): "
                "run `expertisewijzer index`",
            )
        ]
    differences = settings_differences(index_settings(), actual)
    if differences:
        listed = "; ".join(differences[:5]) + (" …" if len(differences) > 5 else "")
        return [
            problem(
                "meilisearch",
                f"the settings of {settings.meilisearch_index!r} are not the expected ones "
                f"({listed}): run `expertisewijzer index`",
            )
        ]
    return [fine("meilisearch", f"{where} answers; {settings.meilisearch_index!r} as expected")]


# -- temporary index files ----------------------------------------------------------------


def check_temporary_files(index_path: Path) -> list[Finding]:
    """Files ``<index>.new-<pid>-<thread>`` whose process is gone: a killed rebuild's."""
    from search.engines.index_file import leftover_files

    left = leftover_files(index_path)
    if not left:
        return [fine("temporary files", "no index files left by stopped rebuilds")]
    size = sum(p.stat().st_size for p in left if p.exists())
    names = ", ".join(p.name for p in left[:5]) + (" …" if len(left) > 5 else "")
    return [
        problem(
            "temporary files",
            f"{len(left)} index file(s) left by stopped rebuilds ({size:,} bytes) in "
            f"{index_path.parent}: {names}. Remove them (nothing uses them), or run "
            "`expertisewijzer index`: every rebuild removes them",
        )
    ]


# -- all of them ---------------------------------------------------------------------------


def run_checks(settings: Settings) -> list[Finding]:
    from directory.catalogue_version import current_version
    from directory.db import make_engine, make_session_factory
    from directory.places.geo import GazetteerView
    from search.factory import make_search_engine

    found = check_settings(settings)
    database, reachable = check_database(settings)
    found += database
    version = None
    if reachable:
        engine = make_engine(settings.database_url)
        try:
            version = current_version(make_session_factory(engine))
        except SQLAlchemyError as exc:
            found.append(
                problem("index", f"cannot read the catalogue version ({type(exc).__name__})")
            )
        finally:
            engine.dispose()
    if settings.search_engine == "meilisearch":
        meili = check_meilisearch(settings)
        found += meili
        if all(f.ok for f in meili):
            found += check_index(settings, make_search_engine(settings, GazetteerView()), version)
    else:
        found += check_index(settings, make_search_engine(settings, GazetteerView()), version)
        found += check_temporary_files(settings.search_index_path)
    return found


def report(findings: Sequence[Finding]) -> str:
    lines = [f"{'ok' if f.ok else 'PROBLEM':<8} {f.check}: {f.message}" for f in findings]
    problems = sum(not f.ok for f in findings)
    lines.append(f"{problems} problem(s)" if problems else "everything is in order")
    return "\n".join(lines)
