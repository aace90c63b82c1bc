"""The editor area's part of the application state, built once at start-up."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from config.settings import Settings
from directory.accounts.report_limits import ReportLimiter
from directory.accounts.sessions import SessionPolicy
from directory.catalogue_version import current_version
from directory.conditions.queries import CatalogueQueries
from directory.conditions.services import CatalogueService
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.pending_uploads import PendingUploads
from directory.editorial.queries.editor_area import EditorialQueries
from directory.editorial.services import EditorialService
from importers.bounded import ImportLimits
from search.engine import SearchEngine
from search.reindex import Reindexer
from web.editor.signing import CookieSigner, secret_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EditorState:
    """Services and helpers the editor views and the feedback form use."""

    service: EditorialService
    queries: EditorialQueries
    catalogue: CatalogueService
    signer: CookieSigner
    report_limits: ReportLimiter
    uploads: PendingUploads  # waiting for a second reviewer, in the database
    var_dir: Path  # where an upload is staged for the child that imports it
    upload_max_bytes: int
    data_dir: Path
    reindex: Reindexer
    owners: dict[str, Any] = field(default_factory=dict)
    database_url: str = ""  # for the child processes that import uploads
    import_limits: ImportLimits = field(default_factory=ImportLimits)
    max_retire_share: float = 0.1
    # One import of an upload at a time per process: each holds a view thread while it runs.
    import_slot: threading.BoundedSemaphore = field(default_factory=threading.BoundedSemaphore)


def build_editor_state(
    settings: Settings,
    sessions: sessionmaker[Session],
    search: SearchEngine,
    queries: CatalogueQueries,
    *,
    service_kwargs: dict[str, Any] | None = None,
) -> EditorState:
    """Wire the editorial service to the catalogue and to a search-index rebuild."""
    catalogue = CatalogueService(sessions, EDITOR_CORRECTIONS)
    reindex = Reindexer(
        search,
        queries,
        versions=lambda: current_version(sessions),
        lock_path=settings.var_dir / "reindex.lock",
    )
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
    upload_max = int(settings.upload_max_mb * 1024 * 1024)
    return EditorState(
        service=service,
        queries=EditorialQueries(sessions, service.adapters),
        catalogue=catalogue,
        signer=CookieSigner(secret, int(policy.lifetime.total_seconds())),
        report_limits=ReportLimiter(sessions, secret),
        uploads=PendingUploads(sessions, upload_max),
        var_dir=settings.var_dir,
        upload_max_bytes=upload_max,
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
    from directory.expertise.services import ExpertiseService

    return {"expertise": ExpertiseService(sessions, EDITOR_CORRECTIONS, catalogue)}
