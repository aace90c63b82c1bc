"""``/readyz``: may a load balancer send this server visitors now?

``/healthz`` says the process answers; ``/readyz`` says it can serve the catalogue as
it is: the database answers, its migrations are at the code's head revision, and the
search index was built from the catalogue's current version. It answers ``200`` with
``{"status": "ready", ...}`` or ``503`` with ``{"status": "not ready", ...}``, and a
word per check; never a database address, a query or an exception's text.

An index that is older than the catalogue while a rebuild is under way (for seconds
after every publish, on every node at once) counts as ready: searches are answered
from the previous index meanwhile, and taking every node out of the pool at each
publish would be far worse. The check itself asks for that rebuild when none was
asked for yet (the node had not heard of the publish). An index that is older while
the last rebuild failed, that is empty, records no version, or is newer than the
catalogue (a database restored from a backup) is not ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from directory.catalogue_version import current_version
from directory.db import alembic_config, make_session_factory
from search.engine import SearchEngine
from search.reindex import Reindexer

log = logging.getLogger(__name__)

OK = "ok"


def migration_heads(project_root: Path) -> frozenset[str]:
    """The head revision(s) of the migrations that ship with this code."""
    from alembic.script import ScriptDirectory

    cfg = alembic_config(project_root)
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


@dataclass(frozen=True)
class Readiness:
    """The outcome: a word per check (``ok`` or what is wrong)."""

    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(v == OK or v.startswith(OK + ",") for v in self.checks.values())


class ReadinessCheck:
    """Runs the checks for one server; the migration heads are read once, when first needed."""

    def __init__(
        self,
        db_engine: Engine,
        search: SearchEngine,
        reindex: Callable[[], Reindexer],
        project_root: Path,
    ) -> None:
        self._db = db_engine
        self._sessions = make_session_factory(db_engine)
        self._search = search
        self._reindex = reindex
        self._root = project_root
        self._heads: frozenset[str] | None = None

    def heads(self) -> frozenset[str]:
        if self._heads is None:
            self._heads = migration_heads(self._root)
        return self._heads

    def run(self) -> Readiness:
        checks: dict[str, str] = {}
        try:
            with self._db.connect() as con:
                con.execute(text("SELECT 1"))
                checks["database"] = OK
                current = set(MigrationContext.configure(con).get_current_heads())
            checks["migrations"] = OK if current == self.heads() else "not at the head"
            catalogue = current_version(self._sessions)
        except Exception as exc:  # the driver's errors, a lost connection
            log.warning("readiness: the database cannot be read (%s)", type(exc).__name__)
            checks["database"] = "unreachable"
            return Readiness(checks)
        checks["index"] = self._index(catalogue)
        return Readiness(checks)

    def _index(self, catalogue: int) -> str:
        try:
            documents = self._search.count()
            built = self._search.catalogue_version()
        except Exception as exc:  # a search server that is down
            log.warning("readiness: the search index cannot be read (%s)", type(exc).__name__)
            return "unreachable"
        if documents == 0:
            return "empty"
        if built is None:
            return "records no catalogue version"
        if built > catalogue:
            return "newer than the catalogue"
        if built == catalogue:
            return OK
        reindex = self._reindex()
        if reindex.last_error is not None:
            return "older than the catalogue, and the last rebuild failed"
        if reindex.busy or reindex.check():
            return OK + ", a rebuild for the newest catalogue version is under way"
        return "older than the catalogue"


def readiness(request: Request) -> Response:
    check: ReadinessCheck = request.app.state.readiness
    found = check.run()
    status = "ready" if found.ready else "not ready"
    return JSONResponse(
        {"status": status, "checks": found.checks},
        status_code=200 if found.ready else 503,
        headers={"cache-control": "no-store"},
    )
