"""What the editor area reads, in one object the web app and the CLI hold.

Each method opens a session and hands it to the module of its screen group
(:mod:`.history`, :mod:`.feedback`, :mod:`.import_runs`, :mod:`.links`,
:mod:`.dashboard`, :mod:`.summaries`). Nothing here writes. Besides the editors' own
tables it reads import runs and, for the dashboard, the expertise tables (ECZA validity,
when panels were checked).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.accounts.models import EditorUser
from directory.accounts.sessions import UserView, user_view
from directory.clock import utcnow
from directory.conditions.models import ImportRun
from directory.conditions.queries import Text, condition_refs
from directory.editorial.entities import EntityAdapter, EntityListItem, EntityState
from directory.editorial.fields import FieldSpec
from directory.editorial.models import AuditEntry, Draft, EntityRevision, Override
from directory.editorial.queries import dashboard as dashboard_queries
from directory.editorial.queries import feedback as feedback_queries
from directory.editorial.queries import history as history_queries
from directory.editorial.queries import import_runs as run_queries
from directory.editorial.queries import links as link_queries
from directory.editorial.queries import summaries as summary_queries
from directory.editorial.queries.dashboard import Dashboard
from directory.editorial.queries.feedback import FeedbackView
from directory.editorial.queries.history import (
    AuditView,
    DraftView,
    HistoryView,
    LastChecked,
    OverrideView,
)
from directory.editorial.queries.import_runs import ImportRunView
from directory.editorial.queries.links import OutboundLink
from directory.editorial.service_base import LinkResult
from directory.expertise.browse import ENTITY_NAME_KINDS, entity_names
from directory.numbers import ascii_int
from directory.vocabulary import DraftStatus, FeedbackStatus


class EditorialQueries:
    """Read-only access to the editor area (and the public "last checked" helper)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        adapters: Mapping[str, EntityAdapter],
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = session_factory
        self.adapters = adapters
        self._clock = clock

    # -- users ----------------------------------------------------------------------------

    def users(self) -> tuple[UserView, ...]:
        with self._sessions() as session:
            return tuple(
                user_view(u) for u in session.scalars(select(EditorUser).order_by(EditorUser.email))
            )

    def user(self, user_id: int) -> UserView | None:
        with self._sessions() as session:
            u = session.get(EditorUser, user_id)
            return user_view(u) if u else None

    # -- entities -------------------------------------------------------------------------

    def fields(self, kind: str) -> tuple[FieldSpec, ...]:
        return self.adapters[kind].fields

    def find(self, kind: str, text: str, limit: int = 50) -> tuple[EntityListItem, ...]:
        adapter = self.adapters.get(kind)
        if adapter is None:
            return ()
        with self._sessions() as session:
            return adapter.find(session, text[:200], limit)

    def entity(self, kind: str, entity_id: str) -> EntityState | None:
        adapter = self.adapters.get(kind)
        if adapter is None:
            return None
        with self._sessions() as session:
            return adapter.load(session, entity_id)

    def names_of(self, keys: Iterable[tuple[str, str]], lang: str) -> dict[tuple[str, str], Text]:
        """What to call the entities ``keys`` ((kind, id) pairs) in ``lang``, read in a
        few queries: a condition's preferred name (English where ``lang`` has none)
        with its ORPHAcode; the name of a live panel, working group, network or
        institution. Unknown and retired entities, and other kinds, are left out:
        show their id."""
        wanted = set(keys)
        found: dict[tuple[str, str], Text] = {}
        codes = {
            code
            for kind, entity_id in wanted
            if kind == "condition" and (code := ascii_int(entity_id)) is not None
        }
        if codes:
            with self._sessions() as session:
                refs = condition_refs(session, codes)
            for code, ref in refs.items():
                title = ref.title(lang)
                found[("condition", str(code))] = Text(
                    f"{title.value} (ORPHA:{code})", title.lang, title.origin
                )
        slugs: dict[str, set[str]] = defaultdict(set)
        for kind, entity_id in wanted:
            if kind in ENTITY_NAME_KINDS and kind != "euracan_domain":
                slugs[kind].add(entity_id)
        if slugs:
            names = entity_names(self._sessions, tuple(slugs), slugs)
            for kind, ids in slugs.items():
                for entity_id in ids:
                    name = names.title(kind, entity_id, lang)
                    if name is not None:
                        found[(kind, entity_id)] = name
        return found

    def entity_revision(self, kind: str, entity_id: str) -> int:
        with self._sessions() as session:
            row = session.get(EntityRevision, (kind, entity_id))
            return row.revision if row else 0

    # -- drafts, audit, overrides, history ----------------------------------------------------

    def drafts(
        self, status: DraftStatus | None = "pending", limit: int = 200
    ) -> tuple[DraftView, ...]:
        with self._sessions() as session:
            q = select(Draft).order_by(Draft.id.desc()).limit(limit)
            if status:
                q = q.where(Draft.status == status)
            return history_queries.draft_views(session, self.adapters, list(session.scalars(q)))

    def draft(self, draft_id: int) -> DraftView | None:
        with self._sessions() as session:
            d = session.get(Draft, draft_id)
            return history_queries.draft_views(session, self.adapters, [d])[0] if d else None

    def audit(self, kind: str, entity_id: str) -> tuple[AuditView, ...]:
        with self._sessions() as session:
            return tuple(history_queries.entity_audit(session, kind, entity_id))

    def recent_audit(self, limit: int = 50) -> tuple[AuditView, ...]:
        with self._sessions() as session:
            rows = list(
                session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
            )
            return tuple(history_queries.audit_views(session, rows))

    def overrides(self, *, disagreeing_only: bool = False) -> tuple[OverrideView, ...]:
        with self._sessions() as session:
            q = select(Override).where(Override.active.is_(True))
            if disagreeing_only:
                q = q.where(Override.disagrees.is_(True))
            rows = list(session.scalars(q.order_by(Override.entity_kind, Override.entity_id)))
            return history_queries.override_views(session, rows)

    def history(self, kind: str, entity_id: str) -> HistoryView | None:
        with self._sessions() as session:
            return history_queries.history(session, self.adapters, kind, entity_id)

    # -- the public pages: "last checked" and summaries -----------------------------------------

    def last_checked(
        self, kind: str, entity_id: str | int, source_checked: dt.date | None = None
    ) -> LastChecked | None:
        """When a public entity was last checked: by an editor, or by its source.

        ``source_checked`` is the date the entity's own source gives (e.g. a panel's
        ``checked_on``); without it the entity's adapter is asked. For page views.
        """
        with self._sessions() as session:
            state = None
            if source_checked is None and kind in self.adapters:
                state = self.adapters[kind].load(session, str(entity_id))
            return history_queries.last_checked(
                session, kind, str(entity_id), state, source_checked
            )

    def summaries(self, orphacode: int) -> dict[str, str]:
        """A condition's plain-language summaries per language (public pages, search)."""
        with self._sessions() as session:
            return summary_queries.summaries(session, orphacode)

    def all_summaries(self) -> dict[int, dict[str, str]]:
        """Every plain-language summary, per ORPHAcode and language (for indexing)."""
        return summary_queries.all_summaries(self._sessions)

    # -- feedback, import runs, links, the dashboard ----------------------------------------------

    def feedback(
        self, status: FeedbackStatus | None = "new", limit: int = 200
    ) -> tuple[FeedbackView, ...]:
        with self._sessions() as session:
            return feedback_queries.feedback(session, status, limit)

    def import_runs(self, limit: int = 100) -> tuple[ImportRunView, ...]:
        with self._sessions() as session:
            return run_queries.import_runs(session, limit)

    def import_run(self, run_id: int) -> ImportRunView | None:
        with self._sessions() as session:
            r = session.get(ImportRun, run_id)
            return run_queries.run_view(r) if r else None

    def links(self, *, broken_only: bool = True) -> tuple[LinkResult, ...]:
        with self._sessions() as session:
            return link_queries.links(session, broken_only=broken_only)

    def outbound_links(self) -> tuple[OutboundLink, ...]:
        """Every external link the public pages show, for the link check."""
        with self._sessions() as session:
            return link_queries.outbound_links(session)

    def dashboard(self, user_id: int) -> Dashboard:
        return dashboard_queries.dashboard(self._sessions, self._clock, user_id)
