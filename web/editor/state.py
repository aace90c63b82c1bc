"""The editor area's part of the application state, built once at start-up."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from directory.editorial_queries import EditorialQueries
from directory.editorial_service import EditorialService, SessionPolicy
from directory.queries import CatalogueQueries
from directory.report_limits import ReportLimiter
from directory.services import CatalogueService
from expertisewijzer.settings import Settings
from importers.bounded import ImportLimits
from search.documents import all_documents
from search.engine import SearchEngine
from web.editor.auth import CookieSigner, secret_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EditorState:
    """Services and helpers the editor views and the feedback form use."""

    service: EditorialService
    queries: EditorialQueries
    catalogue: CatalogueService
    signer: CookieSigner
    report_limits: ReportLimiter
    upload_dir: Path
    upload_max_bytes: int
    data_dir: Path
    reindex: Reindexer
    owners: dict[str, Any] = field(default_factory=dict)
    database_url: str = ""  # for the child processes that import uploads
    import_limits: ImportLimits = field(default_factory=ImportLimits)
    max_retire_share: float = 0.1
    # One import of an upload at a time per process: each holds a view thread while it runs.
    import_slot: threading.BoundedSemaphore = field(default_factory=threading.BoundedSemaphore)


class Reindexer:
    """Rebuilds the search index from the committed catalogue, in the background.

    :meth:`request` returns at once; one worker thread rebuilds, and requests that
    arrive during a rebuild are folded into one more rebuild after it. The engine
    builds a new index and swaps it in atomically, so searches are answered
    throughout (from the old index until the swap). A full rebuild of the bundled
    catalogue takes seconds, too long to keep a reviewer waiting.
    """

    def __init__(self, search: SearchEngine, queries: CatalogueQueries) -> None:
        self._search = search
        self._queries = queries
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._dirty = False
        self._worker: threading.Thread | None = None
        self.last_error: str | None = None
        self.rebuilds = 0

    def rebuild_now(self) -> int:
        """Rebuild in this thread (the CLI and tests)."""
        n = self._search.rebuild(all_documents(self._queries))
        self._search.warm()  # the new index answers its first searches at full speed
        self.rebuilds += 1
        return n

    def request(self) -> None:
        with self._lock:
            self._dirty = True
            self._idle.clear()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="exw-reindex", daemon=True)
                self._worker.start()

    def __call__(self) -> None:
        self.request()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._dirty:
                    self._idle.set()
                    self._worker = None
                    return
                self._dirty = False
            try:
                self.rebuild_now()
                self.last_error = None
            except Exception as exc:  # keep serving; the dashboard shows the error
                log.exception("search index rebuild failed")
                self.last_error = str(exc) or type(exc).__name__

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no rebuild is pending or running (tests, shutdown)."""
        return self._idle.wait(timeout)


def build_editor_state(
    settings: Settings,
    sessions: sessionmaker[Session],
    search: SearchEngine,
    queries: CatalogueQueries,
    *,
    service_kwargs: dict[str, Any] | None = None,
) -> EditorState:
    """Wire the editorial service to the catalogue and to a search-index rebuild."""
    catalogue = CatalogueService(sessions)
    reindex = Reindexer(search, queries)
    policy = SessionPolicy(
        lifetime=dt.timedelta(hours=settings.session_hours),
        idle=dt.timedelta(minutes=settings.session_idle_minutes),
    )
    owners = _owning_services(sessions, catalogue)
    service = EditorialService(
        sessions,
        catalogue,
        sessions=policy,
        on_published=reindex,
        owners=owners,
        **(service_kwargs or {}),
    )
    secret = secret_key(settings)
    return EditorState(
        service=service,
        queries=EditorialQueries(sessions, service.adapters),
        catalogue=catalogue,
        signer=CookieSigner(secret, int(policy.lifetime.total_seconds())),
        report_limits=ReportLimiter(sessions, secret),
        upload_dir=settings.var_dir / "uploads",
        upload_max_bytes=int(settings.upload_max_mb * 1024 * 1024),
        data_dir=settings.data_dir,
        reindex=reindex,
        owners=owners,
        database_url=settings.database_url,
        import_limits=ImportLimits(settings.import_memory_mb, settings.import_seconds),
        max_retire_share=settings.import_max_retire_share,
    )


def _owning_services(
    sessions: sessionmaker[Session], catalogue: CatalogueService
) -> dict[str, Any]:
    """The services other than the catalogue's that own editable entities."""
    from directory.expertise_service import ExpertiseService

    return {"expertise": ExpertiseService(sessions, catalogue)}
