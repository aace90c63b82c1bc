"""Over 600 lines: not split yet (issue 12): the read side of all editor screens.

Read side of the editor area: frozen views for the editor screens and public pages.

Nothing here writes. Besides the editors' own tables it reads import runs and, for
the dashboard, the expertise tables (ECZA validity, when panels were checked).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, sessionmaker

from directory.accounts.models import EditorUser
from directory.accounts.sessions import UserView, user_view
from directory.caps import MAX_PROBLEMS, MORE, capped_lines
from directory.clock import utcnow
from directory.conditions.models import ConditionName, ImportRun, ProposedSummary
from directory.conditions.queries import Text, condition_refs
from directory.conditions.zero_results import ZeroResultView, zero_results
from directory.editorial.entities import EntityAdapter, EntityListItem, EntityState
from directory.editorial.fields import FieldSpec, values_hash
from directory.editorial.models import (
    AuditEntry,
    ConditionSummary,
    Draft,
    EntityRevision,
    FeedbackReport,
    LinkCheck,
    Override,
)
from directory.editorial.overrides import RETIRED, disagreement_lines
from directory.editorial.review import ReviewQueries, ReviewsDue
from directory.expertise.browse import ENTITY_NAME_KINDS, entity_names
from directory.expertise.models import Designation, DesignationCondition, Panel
from directory.numbers import ascii_int
from directory.vocabulary import AuditAction, DraftAction, DraftStatus, FeedbackStatus

EXPIRY_WINDOW = dt.timedelta(days=183)  # "within six months"


@dataclass(frozen=True)
class ChangeView:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class DraftView:
    id: int
    entity_kind: str
    entity_id: str
    entity_title: str
    title_lang: str
    action: DraftAction
    status: DraftStatus
    reason: str
    author: str
    author_id: int
    created_at: dt.datetime
    reviewer: str | None
    reviewed_at: dt.datetime | None
    review_comment: str | None
    changes: tuple[ChangeView, ...]
    reverts_revision: int | None
    stale: bool  # the entity changed after the draft was made: approving will fail
    version: int


@dataclass(frozen=True)
class AuditView:
    id: int
    at: dt.datetime
    entity_kind: str
    entity_id: str
    action: AuditAction
    field: str
    old_value: Any
    new_value: Any
    reason: str
    author: str | None
    approver: str | None
    draft_id: int | None
    revision: int | None


@dataclass(frozen=True)
class RevisionView:
    """One published version of an entity: the audit rows of one approved draft."""

    revision: int
    at: dt.datetime
    author: str | None
    approver: str | None
    reason: str
    action: str
    changes: tuple[AuditView, ...]


@dataclass(frozen=True)
class OverrideView:
    id: int
    entity_kind: str
    entity_id: str
    field: str
    value: Any
    source_value: Any
    last_source_value: Any
    disagrees: bool  # the source changed since the override: an editor should decide
    reason: str
    created_by: str | None
    created_at: dt.datetime
    last_import_at: dt.datetime | None


@dataclass(frozen=True)
class LastChecked:
    """When an entity was last confirmed correct, and by whom (an editor or its source)."""

    on: dt.date
    by_editor: bool


@dataclass(frozen=True)
class HistoryView:
    state: EntityState
    revisions: tuple[RevisionView, ...]
    other: tuple[AuditView, ...]  # checks and override decisions
    overrides: tuple[OverrideView, ...]
    last_checked: LastChecked | None
    pending: tuple[DraftView, ...]


@dataclass(frozen=True)
class FeedbackView:
    id: int
    created_at: dt.datetime
    lang: str
    page_url: str
    entity_kind: str | None
    entity_id: str | None
    message: str
    contact: str | None
    status: str
    handled_by: str | None
    handled_at: dt.datetime | None
    note: str | None
    version: int


@dataclass(frozen=True)
class ProblemView:
    file: str
    location: str
    field: str | None
    reason: str


@dataclass(frozen=True)
class ImportRunView:
    id: int
    source: str
    file_name: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    dry_run: bool
    added: int
    changed: int
    retired: int
    unchanged: int
    warnings: tuple[str, ...]
    problems: tuple[ProblemView, ...]
    override_warnings: tuple[str, ...] = ()  # the warnings where a source disagrees with editors


@dataclass(frozen=True)
class LinkView:
    entity_kind: str
    entity_id: str
    field: str
    url: str
    ok: bool
    status_code: int | None
    error: str | None
    checked_at: dt.datetime


@dataclass(frozen=True)
class OutboundLink:
    """A link to another site that a public page shows."""

    entity_kind: str
    entity_id: str
    field: str
    url: str


@dataclass(frozen=True)
class ExpiringRecognition:
    designation_id: int
    label: str
    orphacodes: tuple[int, ...]
    valid_until: dt.date
    expired: bool


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    pending_drafts: int
    my_pending: int
    new_feedback: int
    disagreeing_overrides: int
    expiring: tuple[ExpiringRecognition, ...]
    reviews: ReviewsDue  # pages whose facts are due for a check by an editor
    broken_links: tuple[LinkView, ...]
    links_checked_at: dt.datetime | None


def _to_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


class EditorialQueries:
    """Read-only access to the editor area (and the public "last checked" helper)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        adapters: Mapping[str, EntityAdapter],
        clock: Any = utcnow,
    ) -> None:
        self._sessions = session_factory
        self.adapters = adapters
        self._clock = clock

    # -- users ----------------------------------------------------------------------------

    @staticmethod
    def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        return {
            u.id: u.display_name
            for u in session.scalars(select(EditorUser).where(EditorUser.id.in_(wanted)))
        }

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

    # -- drafts ---------------------------------------------------------------------------

    def _draft_views(self, session: Session, drafts: list[Draft]) -> tuple[DraftView, ...]:
        ids: set[int | None] = {d.author_id for d in drafts}
        names = self._names(session, ids | {d.reviewer_id for d in drafts})
        states: dict[tuple[str, str], EntityState | None] = {}
        views = []
        for d in drafts:
            key = (d.entity_kind, d.entity_id)
            if key not in states:
                adapter = self.adapters.get(d.entity_kind)
                states[key] = adapter.load(session, d.entity_id) if adapter else None
            state = states[key]
            if state is not None:
                title, title_lang = state.title, state.title_lang
                stale = d.status == "pending" and (
                    d.action == "create" or values_hash(state.values, state.retired) != d.base_hash
                )
            else:
                title, title_lang = d.entity_id, "en"
                stale = d.status == "pending" and d.action != "create"
            views.append(
                DraftView(
                    id=d.id,
                    entity_kind=d.entity_kind,
                    entity_id=d.entity_id,
                    entity_title=title,
                    title_lang=title_lang,
                    action=d.action,
                    status=d.status,
                    reason=d.reason,
                    author=names.get(d.author_id, "?"),
                    author_id=d.author_id,
                    created_at=d.created_at,
                    reviewer=names.get(d.reviewer_id) if d.reviewer_id else None,
                    reviewed_at=d.reviewed_at,
                    review_comment=d.review_comment,
                    changes=tuple(
                        ChangeView(f, d.before.get(f), v) for f, v in sorted(d.payload.items())
                    ),
                    reverts_revision=d.reverts_revision,
                    stale=stale,
                    version=d.version,
                )
            )
        return tuple(views)

    def drafts(
        self, status: DraftStatus | None = "pending", limit: int = 200
    ) -> tuple[DraftView, ...]:
        with self._sessions() as session:
            q = select(Draft).order_by(Draft.id.desc()).limit(limit)
            if status:
                q = q.where(Draft.status == status)
            return self._draft_views(session, list(session.scalars(q)))

    def draft(self, draft_id: int) -> DraftView | None:
        with self._sessions() as session:
            d = session.get(Draft, draft_id)
            return self._draft_views(session, [d])[0] if d else None

    # -- history ----------------------------------------------------------------------------

    def _audit_views(self, session: Session, rows: list[AuditEntry]) -> list[AuditView]:
        names = self._names(session, {a.author_id for a in rows} | {a.approver_id for a in rows})
        return [
            AuditView(
                id=a.id,
                at=a.at,
                entity_kind=a.entity_kind,
                entity_id=a.entity_id,
                action=a.action,
                field=a.field,
                old_value=a.old_value,
                new_value=a.new_value,
                reason=a.reason,
                author=names.get(a.author_id) if a.author_id else None,
                approver=names.get(a.approver_id) if a.approver_id else None,
                draft_id=a.draft_id,
                revision=a.revision,
            )
            for a in rows
        ]

    def audit(self, kind: str, entity_id: str) -> tuple[AuditView, ...]:
        with self._sessions() as session:
            rows = list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.entity_kind == kind, AuditEntry.entity_id == entity_id)
                    .order_by(AuditEntry.id)
                )
            )
            return tuple(self._audit_views(session, rows))

    def recent_audit(self, limit: int = 50) -> tuple[AuditView, ...]:
        with self._sessions() as session:
            rows = list(
                session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
            )
            return tuple(self._audit_views(session, rows))

    def _overrides(self, session: Session, rows: list[Override]) -> tuple[OverrideView, ...]:
        names = self._names(session, {o.created_by for o in rows})
        return tuple(
            OverrideView(
                id=o.id,
                entity_kind=o.entity_kind,
                entity_id=o.entity_id,
                field=o.field,
                value=o.value,
                source_value=o.source_value,
                last_source_value=o.last_source_value,
                disagrees=o.disagrees,
                reason=o.reason,
                created_by=names.get(o.created_by) if o.created_by else None,
                created_at=o.created_at,
                last_import_at=o.last_import_at,
            )
            for o in rows
        )

    def overrides(self, *, disagreeing_only: bool = False) -> tuple[OverrideView, ...]:
        with self._sessions() as session:
            q = select(Override).where(Override.active.is_(True))
            if disagreeing_only:
                q = q.where(Override.disagrees.is_(True))
            rows = list(session.scalars(q.order_by(Override.entity_kind, Override.entity_id)))
            return self._overrides(session, rows)

    def history(self, kind: str, entity_id: str) -> HistoryView | None:
        adapter = self.adapters.get(kind)
        if adapter is None:
            return None
        with self._sessions() as session:
            state = adapter.load(session, entity_id)
            if state is None:
                return None
            rows = list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.entity_kind == kind, AuditEntry.entity_id == state.entity_id)
                    .order_by(AuditEntry.id)
                )
            )
            audit = self._audit_views(session, rows)
            by_rev: dict[int, list[AuditView]] = {}
            other: list[AuditView] = []
            for a in audit:
                if a.revision is None:
                    other.append(a)
                else:
                    by_rev.setdefault(a.revision, []).append(a)
            revisions = tuple(
                RevisionView(
                    revision=rev,
                    at=entries[0].at,
                    author=entries[0].author,
                    approver=entries[0].approver,
                    reason=entries[0].reason,
                    action=entries[0].action,
                    changes=tuple(entries),
                )
                for rev, entries in sorted(by_rev.items(), reverse=True)
            )
            overrides = self._overrides(
                session,
                list(
                    session.scalars(
                        select(Override).where(
                            Override.entity_kind == kind,
                            Override.entity_id == state.entity_id,
                            Override.active.is_(True),
                        )
                    )
                ),
            )
            pending = self._draft_views(
                session,
                list(
                    session.scalars(
                        select(Draft)
                        .where(
                            Draft.entity_kind == kind,
                            Draft.entity_id == state.entity_id,
                            Draft.status == "pending",
                        )
                        .order_by(Draft.id)
                    )
                ),
            )
            return HistoryView(
                state=state,
                revisions=revisions,
                other=tuple(reversed(other)),
                overrides=overrides,
                last_checked=self._last_checked(session, kind, state.entity_id, state),
                pending=pending,
            )

    # -- "last checked" (public pages) ------------------------------------------------------

    def _last_checked(
        self,
        session: Session,
        kind: str,
        entity_id: str,
        state: EntityState | None = None,
        source_checked: dt.date | None = None,
    ) -> LastChecked | None:
        row = session.get(EntityRevision, (kind, entity_id))
        editor = _to_date(row.checked_at) if row else None
        source = source_checked or (state.source_checked if state else None)
        if editor and (source is None or editor >= source):
            return LastChecked(editor, True)
        if source:
            return LastChecked(source, False)
        return None

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
            return self._last_checked(session, kind, str(entity_id), state, source_checked)

    def summaries(self, orphacode: int) -> dict[str, str]:
        """A condition's plain-language summaries per language (public pages, search)."""
        with self._sessions() as session:
            return {
                s.lang: s.text
                for s in session.scalars(
                    select(ConditionSummary).where(ConditionSummary.orphacode == orphacode)
                )
            }

    def all_summaries(self) -> dict[int, dict[str, str]]:
        """Every plain-language summary, per ORPHAcode and language (for indexing)."""
        return all_summaries(self._sessions)

    # -- feedback -------------------------------------------------------------------------------

    def feedback(
        self, status: FeedbackStatus | None = "new", limit: int = 200
    ) -> tuple[FeedbackView, ...]:
        with self._sessions() as session:
            q = select(FeedbackReport).order_by(FeedbackReport.id.desc()).limit(limit)
            if status:
                q = q.where(FeedbackReport.status == status)
            rows = list(session.scalars(q))
            names = self._names(session, {r.handled_by for r in rows})
            return tuple(
                FeedbackView(
                    id=r.id,
                    created_at=r.created_at,
                    lang=r.lang,
                    page_url=r.page_url,
                    entity_kind=r.entity_kind,
                    entity_id=r.entity_id,
                    message=r.message,
                    contact=r.contact,
                    status=r.status,
                    handled_by=names.get(r.handled_by) if r.handled_by else None,
                    handled_at=r.handled_at,
                    note=r.note,
                    version=r.version,
                )
                for r in rows
            )

    # -- import runs ----------------------------------------------------------------------------

    @staticmethod
    def _run_view(r: ImportRun, *, with_problems: bool = True) -> ImportRunView:
        # At most MAX_PROBLEMS problems and warnings, also for runs stored before they
        # were capped on writing (security review D5: a 147 MB run page).
        problems = (r.problems or []) if with_problems else []
        warnings = capped_lines([str(w) for w in r.warnings or []])
        return ImportRunView(
            id=r.id,
            source=r.source,
            file_name=r.file_name,
            started_at=r.started_at,
            finished_at=r.finished_at,
            status=r.status,
            dry_run=r.dry_run,
            added=r.added,
            changed=r.changed,
            retired=r.retired,
            unchanged=r.unchanged,
            warnings=warnings,
            problems=_problem_views(problems),
            override_warnings=disagreement_lines(warnings),
        )

    def import_runs(self, limit: int = 100) -> tuple[ImportRunView, ...]:
        with self._sessions() as session:
            return tuple(
                self._run_view(r, with_problems=False)  # the list shows counts, not problems
                for r in session.scalars(
                    select(ImportRun)
                    .options(defer(ImportRun.problems))
                    .order_by(ImportRun.id.desc())
                    .limit(limit)
                )
            )

    def import_run(self, run_id: int) -> ImportRunView | None:
        with self._sessions() as session:
            r = session.get(ImportRun, run_id)
            return self._run_view(r) if r else None

    # -- links and the dashboard ------------------------------------------------------------------

    def links(self, *, broken_only: bool = True) -> tuple[LinkView, ...]:
        with self._sessions() as session:
            q = select(LinkCheck).order_by(LinkCheck.entity_kind, LinkCheck.entity_id)
            if broken_only:
                q = q.where(LinkCheck.ok.is_(False))
            return tuple(
                LinkView(
                    c.entity_kind,
                    c.entity_id,
                    c.field,
                    c.url,
                    c.ok,
                    c.status_code,
                    c.error,
                    c.checked_at,
                )
                for c in session.scalars(q)
            )

    def outbound_links(self) -> tuple[OutboundLink, ...]:
        """Every external link the public pages show, for the link check."""
        from directory.expertise.models import Ern, Institution, Network, Panel, WorkingGroup

        found: list[OutboundLink] = []
        sources: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
            ("institution", Institution, ("website",)),
            ("panel", Panel, ("website", "submission_url")),
            ("working_group", WorkingGroup, ("website",)),
            ("network", Network, ("website",)),
            ("ern", Ern, ("website",)),
        )
        with self._sessions() as session:
            for kind, model, fields in sources:
                for row in session.scalars(select(model).where(model.retired_at.is_(None))):
                    for name in fields:
                        url = getattr(row, name)
                        if isinstance(url, str) and url.startswith(("http://", "https://")):
                            found.append(OutboundLink(kind, str(row.slug), name, url))
        return tuple(sorted(found, key=lambda o: (o.entity_kind, o.entity_id, o.field)))

    def _expiring(self, session: Session, today: dt.date) -> tuple[ExpiringRecognition, ...]:
        from directory.expertise.models import Designation, DesignationCondition

        rows = list(
            session.scalars(
                select(Designation)
                .where(
                    Designation.kind == "ecza",
                    Designation.retired_at.is_(None),
                    Designation.valid_until.is_not(None),
                    Designation.valid_until <= today + EXPIRY_WINDOW,
                )
                .order_by(Designation.valid_until, Designation.id)
            )
        )
        codes: dict[int, list[int]] = {}
        if rows:
            for did, code in session.execute(
                select(DesignationCondition.designation_id, DesignationCondition.orphacode).where(
                    DesignationCondition.designation_id.in_([r.id for r in rows])
                )
            ):
                codes.setdefault(did, []).append(code)
        return tuple(
            ExpiringRecognition(
                designation_id=r.id,
                label=r.label_nl or r.label_en or r.key,
                orphacodes=tuple(sorted(codes.get(r.id, []))),
                valid_until=r.valid_until,
                expired=r.valid_until < today,
            )
            for r in rows
            if r.valid_until is not None
        )

    def dashboard(self, user_id: int) -> Dashboard:
        today = self._clock().date()
        with self._sessions() as session:

            def count(q: Any) -> int:
                return int(session.scalar(q) or 0)

            pending = count(
                select(func.count()).select_from(Draft).where(Draft.status == "pending")
            )
            mine = count(
                select(func.count())
                .select_from(Draft)
                .where(Draft.status == "pending", Draft.author_id == user_id)
            )
            new_feedback = count(
                select(func.count())
                .select_from(FeedbackReport)
                .where(FeedbackReport.status == "new")
            )
            disagreeing = count(
                select(func.count())
                .select_from(Override)
                .where(Override.active.is_(True), Override.disagrees.is_(True))
            )
            checked_at = session.scalar(select(func.max(LinkCheck.checked_at)))
            return Dashboard(
                today=today,
                pending_drafts=pending,
                my_pending=mine,
                new_feedback=new_feedback,
                disagreeing_overrides=disagreeing,
                expiring=self._expiring(session, today),
                reviews=ReviewQueries(self._sessions, self._clock).due(),
                broken_links=self.links(broken_only=True),
                links_checked_at=checked_at,
            )

    def entity_revision(self, kind: str, entity_id: str) -> int:
        with self._sessions() as session:
            row = session.get(EntityRevision, (kind, entity_id))
            return row.revision if row else 0


__all__ = ["RETIRED", "EditorialQueries"]


def all_summaries(sessions: sessionmaker[Session]) -> dict[int, dict[str, str]]:
    """Every published plain-language summary, per ORPHAcode and language.

    Summaries are only written when a reviewer approves them, so all of them are
    published; the search index folds them into the condition documents.
    """
    result: dict[int, dict[str, str]] = {}
    with sessions() as session:
        for s in session.scalars(select(ConditionSummary)):
            result.setdefault(s.orphacode, {})[s.lang] = s.text
    return result


def _problem_views(stored: list[Any]) -> tuple[ProblemView, ...]:
    """A run's stored problems, capped (runs stored before the cap may hold a million)."""
    views = [
        ProblemView(
            str(p.get("file", "")),
            str(p.get("location", "")),
            p.get("field"),
            str(p.get("reason", "")),
        )
        for p in stored[: MAX_PROBLEMS + 1]
        if isinstance(p, dict)
    ]
    if len(stored) > MAX_PROBLEMS and not (
        len(stored) == MAX_PROBLEMS + 1 and views[-1].location == MORE
    ):
        more = len(stored) - MAX_PROBLEMS
        views = [*views[:MAX_PROBLEMS], ProblemView("", MORE, None, f"and {more} more problems")]
    return tuple(views)


# -- proposals: drafted translations and summaries waiting for an editor ------------------------


@dataclass(frozen=True)
class ProposedName:
    orphacode: int
    name_en: str
    preferred: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class ProposedSummaryView:
    orphacode: int
    name: str  # the condition's preferred name (Dutch where there is one)
    summary_nl: str
    summary_en: str
    based_on: str


def proposed_names(
    sessions: sessionmaker[Session], lang: str, offset: int, limit: int
) -> tuple[int, tuple[ProposedName, ...]]:
    """(how many, one page) of conditions whose editorial name in ``lang`` is a proposal."""
    with sessions() as session:
        codes_q = (
            select(ConditionName.orphacode)
            .where(
                ConditionName.lang == lang,
                ConditionName.origin == "editorial",
                ConditionName.kind == "preferred",
                ConditionName.proposed.is_(True),
            )
            .order_by(ConditionName.orphacode)
        )
        total = session.scalar(select(func.count()).select_from(codes_q.subquery())) or 0
        codes = list(session.scalars(codes_q.offset(offset).limit(limit)))
        names: dict[int, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
        for n in session.scalars(select(ConditionName).where(ConditionName.orphacode.in_(codes))):
            if n.origin == "orphanet" and n.lang == "en" and n.kind == "preferred":
                names[n.orphacode][("en", "preferred")].append(n.text)
            elif n.origin == "editorial" and n.lang == lang:
                names[n.orphacode][(lang, n.kind)].append(n.text)
        rows = tuple(
            ProposedName(
                orphacode=code,
                name_en=(names[code][("en", "preferred")] or [""])[0],
                preferred=(names[code][(lang, "preferred")] or [""])[0],
                synonyms=tuple(sorted(names[code][(lang, "synonym")])),
            )
            for code in codes
        )
        return total, rows


def proposed_summaries(
    sessions: sessionmaker[Session], offset: int, limit: int
) -> tuple[int, tuple[ProposedSummaryView, ...]]:
    """(how many, one page) of drafted summaries no editor has approved yet."""
    with sessions() as session:
        approved = select(ConditionSummary.orphacode)
        codes_q = (
            select(ProposedSummary.orphacode)
            .where(ProposedSummary.orphacode.not_in(approved))
            .distinct()
            .order_by(ProposedSummary.orphacode)
        )
        total = session.scalar(select(func.count()).select_from(codes_q.subquery())) or 0
        codes = list(session.scalars(codes_q.offset(offset).limit(limit)))
        texts: dict[int, dict[str, ProposedSummary]] = defaultdict(dict)
        for s in session.scalars(
            select(ProposedSummary).where(ProposedSummary.orphacode.in_(codes))
        ):
            texts[s.orphacode][s.lang] = s
        refs = condition_refs(session, codes)
        return total, tuple(
            ProposedSummaryView(
                orphacode=code,
                name=refs[code].title("nl").value if code in refs else f"ORPHA:{code}",
                summary_nl=texts[code]["nl"].text if "nl" in texts[code] else "",
                summary_en=texts[code]["en"].text if "en" in texts[code] else "",
                based_on=next(iter(texts[code].values())).based_on,
            )
            for code in codes
        )


# -- the editors' worklists on the dashboard ----------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    """One thing to look at: what it is (kind and id, for the edit link) and why."""

    kind: str  # where to look: panel (its edit form) | condition (its page)
    entity_id: str
    title: str
    detail: str  # e.g. the certainty, or which field is missing


@dataclass(frozen=True)
class Worklists:
    unconfirmed: tuple[WorkItem, ...]  # facts not confirmed by a source
    unconfirmed_total: int
    undated: tuple[WorkItem, ...]  # recognitions without start or end date
    undated_total: int
    unreachable_panels: tuple[WorkItem, ...]  # no way to submit or to get in touch
    proposed_names: int
    proposed_summaries: int
    zero_results: tuple[ZeroResultView, ...]


WORKLIST_ROWS = 25


def worklists(sessions: sessionmaker[Session]) -> Worklists:
    """What the editors should look at next (each list capped; totals given)."""
    with sessions() as session:
        unconfirmed: list[WorkItem] = []
        undated: list[WorkItem] = []
        first_code: dict[int, int] = {}
        for des_id, code in session.execute(
            select(
                DesignationCondition.designation_id, func.min(DesignationCondition.orphacode)
            ).group_by(DesignationCondition.designation_id)
        ):
            first_code[des_id] = code
        for d in session.scalars(
            select(Designation)
            .where(Designation.retired_at.is_(None))
            .order_by(Designation.kind, Designation.label_nl)
        ):
            # a panel is edited as a panel; another fact is seen on its condition's page
            if d.kind == "panel":
                owner = ("panel", d.key)
            elif d.id in first_code:
                owner = ("condition", str(first_code[d.id]))
            else:
                continue
            title = d.label_nl or d.label_en or d.key
            if d.certainty in ("public-knowledge", "uncertain"):
                unconfirmed.append(WorkItem(owner[0], owner[1], title, d.certainty))
            if d.kind == "ecza" and d.valid_from is None and d.valid_until is None:
                undated.append(WorkItem(owner[0], owner[1], title, "ecza"))
        panels = [
            WorkItem("panel", p.slug, p.name_nl, p.submission_kind)
            for p in session.scalars(
                select(Panel).where(Panel.retired_at.is_(None)).order_by(Panel.name_nl)
            )
            if p.submission_kind == "unknown"
            or not any((p.submission_url, p.submission_email, p.contact_email, p.contact_phone))
        ]
        names = (
            session.scalar(
                select(func.count()).where(
                    ConditionName.origin == "editorial",
                    ConditionName.kind == "preferred",
                    ConditionName.proposed.is_(True),
                )
            )
            or 0
        )
        approved = select(ConditionSummary.orphacode)
        summaries = (
            session.scalar(
                select(func.count(func.distinct(ProposedSummary.orphacode))).where(
                    ProposedSummary.orphacode.not_in(approved)
                )
            )
            or 0
        )
    return Worklists(
        unconfirmed=tuple(unconfirmed[:WORKLIST_ROWS]),
        unconfirmed_total=len(unconfirmed),
        undated=tuple(undated[:WORKLIST_ROWS]),
        undated_total=len(undated),
        unreachable_panels=tuple(panels),
        proposed_names=names,
        proposed_summaries=summaries,
        zero_results=zero_results(sessions, 10),
    )
