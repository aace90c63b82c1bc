"""What editors can edit: one adapter per entity kind.

An adapter knows an entity kind's editable fields, reads an entity's current values,
checks rules that span fields, and applies approved values through the service that
owns the entity's tables (:class:`~directory.conditions.services.CatalogueService`, the
expertise service) inside the editorial service's transaction. The editorial
service itself is generic: it only talks to adapters.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.models import Condition, ConditionName, LayTerm, SourceRelease
from directory.conditions.records import ReleaseInfo
from directory.conditions.services import CatalogueService
from directory.editorial.fields import FieldError, FieldSpec, FieldValue, dates_in_order
from directory.editorial.models import ConditionSummary
from directory.editorial.overrides import RETIRED, sorted_terms
from directory.numbers import ascii_int

EDITOR_SOURCE = "editor"
EDITOR_RELEASE = ReleaseInfo(
    source=EDITOR_SOURCE,
    version="Expertisewijzer editors",
    release_date=None,
    language=None,
    licence="CC-BY-4.0",
    attribution=(
        "Written or corrected by the Expertisewijzer editors; every change is reviewed "
        "and kept in the audit trail."
    ),
    file_name="editor area",
    sha256="0" * 64,
)


@dataclass(frozen=True)
class EntityState:
    """An entity's editable values as they are now."""

    kind: str
    entity_id: str
    title: str
    title_lang: str
    values: Mapping[str, FieldValue]
    retired: bool = False
    source_checked: dt.date | None = None  # when its source last confirmed it
    public: bool = True  # has a public page


@dataclass(frozen=True)
class EntityListItem:
    kind: str
    entity_id: str
    title: str
    title_lang: str
    retired: bool = False


@dataclass(frozen=True)
class ApplyContext:
    """What an adapter may use while applying an approved draft."""

    catalogue: CatalogueService
    release: ReleaseInfo
    user_id: int  # the reviewer who approved
    author_id: int
    owners: Mapping[str, Any] = field(default_factory=dict)  # other owning services by name


class EntityAdapter(Protocol):
    """The editable side of one entity kind."""

    kind: str
    fields: tuple[FieldSpec, ...]
    can_create: bool
    can_retire: bool

    def load(self, session: Session, entity_id: str) -> EntityState | None:
        """Current values, or None when there is no such entity."""
        ...

    def normalize(self, values: dict[str, FieldValue]) -> dict[str, FieldValue]:
        """Bring parsed values into their stored form (e.g. sort a set)."""
        ...

    def validate(
        self, session: Session, entity_id: str, values: Mapping[str, FieldValue], action: str
    ) -> list[FieldError]:
        """Rules across fields and against the catalogue (codes exist, slugs free, ...)."""
        ...

    def apply(
        self,
        session: Session,
        entity_id: str,
        action: str,
        changes: Mapping[str, FieldValue],
        values: Mapping[str, FieldValue],
        ctx: ApplyContext,
    ) -> None:
        """Write ``changes`` (``values`` is the complete new state) via the owning service."""
        ...

    def find(self, session: Session, text: str, limit: int) -> tuple[EntityListItem, ...]:
        """Entities whose id or name matches ``text``, for the editors' catalogue list."""
        ...


def known_orphacodes(session: Session, codes: Sequence[int]) -> set[int]:
    if not codes:
        return set()
    return set(session.scalars(select(Condition.orphacode).where(Condition.orphacode.in_(codes))))


def check_orphacodes(
    session: Session, specs: Sequence[FieldSpec], values: Mapping[str, FieldValue]
) -> list[FieldError]:
    """An error for every ORPHAcode field that names a code not in the catalogue."""
    errors = []
    for spec in specs:
        value = values.get(spec.name)
        if spec.kind == "orphacode" and isinstance(value, int):
            codes = [value]
        elif spec.kind == "orphacodes" and isinstance(value, list):
            codes = [v for v in value if isinstance(v, int)]
        else:
            continue
        known = known_orphacodes(session, codes)
        missing = [c for c in codes if c not in known]
        if missing:
            errors.append(FieldError(spec.name, "unknown_orphacode", {"value": missing[0]}))
    return errors


# Fields of panels and working groups that are links, not columns of their row.
LINK_FIELDS = (
    "coordinating_institution",
    "member_institutions",
    "centre_institutions",
    "scope_orphacodes",
    "members",  # a network's: "<institution slug> <role>" per line
)


def unknown_institution(session: Session, field: str, value: str) -> FieldError:
    """``value`` is no active institution's slug: say so, with the closest ones to use.

    Editors often type a name, an alias ("UMC Utrecht", "NKI") or a slug with a
    typo; the suggestions name the slug that was probably meant.
    """
    from directory.expertise.models import Institution, InstitutionAlias
    from directory.text import fold_name

    active = Institution.retired_at.is_(None)
    rows = session.execute(select(Institution.slug, Institution.name).where(active))
    names: dict[str, str] = dict(rows.all())  # not dict(rows): a Result has .keys()
    keys: dict[str, str] = {fold_name(slug): slug for slug in names}  # matching key -> slug
    for slug, name in names.items():
        keys.setdefault(fold_name(name), slug)
    aliases = session.execute(
        select(InstitutionAlias.key, Institution.slug)
        .join(Institution, Institution.id == InstitutionAlias.institution_id)
        .where(active)
    )
    for key, slug in aliases:
        keys.setdefault(key, slug)
    typed = fold_name(value)
    close = [typed] if typed in keys else difflib.get_close_matches(typed, list(keys), 8, 0.6)
    slugs = list(dict.fromkeys(keys[k] for k in close))[:3]
    if not slugs:
        return FieldError(field, "unknown_slug", {"value": value})
    suggestions = "; ".join(f"{slug} ({names[slug]})" for slug in slugs)
    return FieldError(field, "unknown_institution", {"value": value, "suggestions": suggestions})


def check_institutions(
    session: Session, values: Mapping[str, FieldValue], names: Sequence[str]
) -> list[FieldError]:
    """An error for every field among ``names`` that names an institution (slug) we lack."""
    from directory.expertise.models import Institution

    errors = []
    for name in names:
        value = values.get(name)
        slugs = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        slugs = [str(s) for s in slugs if s]
        if not slugs or name in ("scope_orphacodes", "members"):
            continue
        known = set(
            session.scalars(
                select(Institution.slug).where(
                    Institution.slug.in_(slugs), Institution.retired_at.is_(None)
                )
            )
        )
        missing = [s for s in slugs if s not in known]
        if missing:
            errors.append(unknown_institution(session, name, missing[0]))
    return errors


def check_active_orphacodes(
    session: Session, values: Mapping[str, FieldValue], names: Sequence[str]
) -> list[FieldError]:
    """An error for every field among ``names`` with a code Orphanet made obsolete."""
    errors = []
    for name in names:
        value = values.get(name)
        codes = [v for v in value if isinstance(v, int)] if isinstance(value, list) else []
        if not codes:
            continue
        inactive = sorted(
            session.scalars(
                select(Condition.orphacode).where(
                    Condition.orphacode.in_(codes), Condition.status != "active"
                )
            )
        )
        if inactive:
            errors.append(FieldError(name, "inactive_orphacode", {"value": inactive[0]}))
    return errors


def member_line(line: str) -> tuple[str, str] | None:
    """``"umcg member"`` -> ``("umcg", "member")``; None when it is not two words."""
    parts = line.split()
    return (parts[0], parts[1]) if len(parts) == 2 else None


def check_memberships(session: Session, lines: Sequence[str]) -> list[FieldError]:
    """A network's members: every line an existing institution and a known role."""
    from directory.expertise.models import Institution, NetworkRole

    pairs = []
    for line in lines:
        pair = member_line(line)
        if pair is None:
            return [FieldError("members", "not_member_line", {"value": line[:60]})]
        pairs.append(pair)
    known = set(
        session.scalars(
            select(Institution.slug).where(
                Institution.slug.in_([p[0] for p in pairs]), Institution.retired_at.is_(None)
            )
        )
    )
    roles = sorted(session.scalars(select(NetworkRole.code)))
    for slug, role in pairs:
        if slug not in known:
            return [unknown_institution(session, "members", slug)]
        if role not in roles:
            return [
                FieldError("members", "unknown_role", {"value": role, "roles": ", ".join(roles)})
            ]
    return []


# -- conditions -------------------------------------------------------------------------


class ConditionAdapter:
    """Editorial content of a condition: Dutch names, lay terms, plain-language summaries.

    The condition itself (its code, level, official names) comes from Orphanet and
    is not editable; it cannot be created or retired here.
    """

    kind: str = "condition"
    can_create: bool = False
    can_retire: bool = False
    fields: tuple[FieldSpec, ...] = (
        FieldSpec("name_nl", "text", max_length=300, lang="nl", imported=True, group="names"),
        FieldSpec(
            "synonyms_nl",
            "lines",
            max_length=300,
            lang="nl",
            imported=True,
            max_items=40,
            group="names",
        ),
        FieldSpec(
            "lay_terms_nl",
            "lines",
            max_length=200,
            lang="nl",
            imported=True,
            max_items=60,
            group="lay_terms",
        ),
        FieldSpec(
            "lay_terms_en",
            "lines",
            max_length=200,
            lang="en",
            imported=True,
            max_items=60,
            group="lay_terms",
        ),
        FieldSpec("summary_nl", "textarea", max_length=2000, lang="nl", group="summaries"),
        FieldSpec("summary_en", "textarea", max_length=2000, lang="en", group="summaries"),
    )

    @staticmethod
    def _code(entity_id: str) -> int | None:
        return ascii_int(entity_id)

    def load(self, session: Session, entity_id: str) -> EntityState | None:
        code = self._code(entity_id)
        cond = session.get(Condition, code) if code is not None else None
        if cond is None or code is None:
            return None
        names = list(session.scalars(select(ConditionName).where(ConditionName.orphacode == code)))
        official = {
            n.lang: n.text for n in names if n.origin == "orphanet" and n.kind == "preferred"
        }
        nl_pref = next(
            (
                n.text
                for n in names
                if n.origin == "editorial" and n.lang == "nl" and n.kind == "preferred"
            ),
            None,
        )
        nl_syn = sorted(
            n.text
            for n in names
            if n.origin == "editorial" and n.lang == "nl" and n.kind == "synonym"
        )
        terms: dict[str, list[str]] = {"nl": [], "en": []}
        for t in session.scalars(select(LayTerm).where(LayTerm.orphacode == code)):
            terms.setdefault(t.lang, []).append(t.term)
        summaries = {
            s.lang: s.text
            for s in session.scalars(
                select(ConditionSummary).where(ConditionSummary.orphacode == code)
            )
        }
        release_ids = {n.release_id for n in names} | {cond.release_id}
        imported = session.scalar(
            select(func.max(SourceRelease.imported_at)).where(
                SourceRelease.id.in_(release_ids), SourceRelease.source != EDITOR_SOURCE
            )
        )
        title, title_lang = (
            (official["en"], "en")
            if "en" in official
            else ((nl_pref, "nl") if nl_pref else (f"ORPHA:{code}", "en"))
        )
        return EntityState(
            kind=self.kind,
            entity_id=str(code),
            title=f"{title} (ORPHA:{code})",
            title_lang=title_lang,
            values={
                "name_nl": nl_pref,
                "synonyms_nl": nl_syn,
                "lay_terms_nl": sorted_terms(terms["nl"]),
                "lay_terms_en": sorted_terms(terms["en"]),
                "summary_nl": summaries.get("nl"),
                "summary_en": summaries.get("en"),
            },
            source_checked=imported.date() if imported else None,
        )

    def normalize(self, values: dict[str, FieldValue]) -> dict[str, FieldValue]:
        result = dict(values)
        for name in ("lay_terms_nl", "lay_terms_en"):
            terms = result.get(name)
            if isinstance(terms, list):
                unique: dict[str, str] = {}
                for t in terms:
                    unique.setdefault(str(t).casefold(), str(t))
                result[name] = sorted_terms(unique.values())
        syn = result.get("synonyms_nl")
        if isinstance(syn, list):
            preferred = result.get("name_nl")
            result["synonyms_nl"] = sorted(str(s) for s in syn if s != preferred)
        return result

    def validate(
        self, session: Session, entity_id: str, values: Mapping[str, FieldValue], action: str
    ) -> list[FieldError]:
        errors = []
        if values.get("synonyms_nl") and not values.get("name_nl"):
            errors.append(FieldError("name_nl", "required_with", {"other": "synonyms_nl"}))
        code = self._code(entity_id)
        for lang in ("nl", "en"):
            terms = values.get(f"lay_terms_{lang}")
            if code is None or not isinstance(terms, list) or not terms:
                continue
            # A term may point at one condition per language (search relies on it).
            taken = session.execute(
                select(LayTerm.term, LayTerm.orphacode).where(
                    LayTerm.lang == lang,
                    LayTerm.orphacode != code,
                    func.lower(LayTerm.term).in_([str(t).lower() for t in terms]),
                )
            ).first()
            if taken is not None:
                errors.append(
                    FieldError(
                        f"lay_terms_{lang}",
                        "term_taken",
                        {"item": taken[0], "value": f"ORPHA:{taken[1]}"},
                    )
                )
        return errors

    def apply(
        self,
        session: Session,
        entity_id: str,
        action: str,
        changes: Mapping[str, FieldValue],
        values: Mapping[str, FieldValue],
        ctx: ApplyContext,
    ) -> None:
        code = int(entity_id)
        if "name_nl" in changes or "synonyms_nl" in changes:
            name = values.get("name_nl")
            synonyms = values.get("synonyms_nl")
            ctx.catalogue.set_editorial_names(
                session,
                code,
                "nl",
                name if isinstance(name, str) and name else None,
                tuple(str(s) for s in synonyms) if isinstance(synonyms, list) else (),
                ctx.release,
            )
        for lang in ("nl", "en"):
            if f"lay_terms_{lang}" in changes:
                terms = values.get(f"lay_terms_{lang}")
                ctx.catalogue.set_lay_terms(
                    session,
                    code,
                    lang,
                    tuple(str(t) for t in terms) if isinstance(terms, list) else (),
                    ctx.release,
                )
            if f"summary_{lang}" in changes:
                text = values.get(f"summary_{lang}")
                row = session.get(ConditionSummary, (code, lang))
                if not text:
                    if row is not None:
                        session.delete(row)
                elif row is None:
                    session.add(
                        ConditionSummary(
                            orphacode=code,
                            lang=lang,
                            text=str(text),
                            origin="editor",
                            updated_at=utcnow(),
                            updated_by=ctx.author_id,
                        )
                    )
                else:
                    row.text, row.updated_at, row.updated_by = str(text), utcnow(), ctx.author_id

    def find(self, session: Session, text: str, limit: int) -> tuple[EntityListItem, ...]:
        text = text.strip()
        digits = text.upper().removeprefix("ORPHA").removeprefix(":").strip()
        code = ascii_int(digits)
        if code is not None:
            match = ConditionName.orphacode == code
        elif text:
            like = f"%{text.lower()}%"
            match = or_(
                func.lower(ConditionName.text).like(like),
                ConditionName.orphacode.in_(
                    select(LayTerm.orphacode).where(func.lower(LayTerm.term).like(like))
                ),
            )
        else:  # nothing typed: the conditions that have editorial content
            match = ConditionName.origin == "editorial"
        codes = session.scalars(
            select(ConditionName.orphacode)
            .where(match)
            .distinct()
            .order_by(ConditionName.orphacode)
            .limit(limit)
        )
        items = []
        for code in list(codes):
            state = self.load(session, str(code))
            if state is not None:
                items.append(
                    EntityListItem(self.kind, state.entity_id, state.title, state.title_lang)
                )
        return tuple(items)


# -- panels, working groups, institutions (owned by the expertise service) ----------------

LONG = 4000  # prose fields


def _t(name: str, *, lang: str | None = None, required: bool = False, n: int = 300) -> FieldSpec:
    return FieldSpec(name, "text", required=required, max_length=n, lang=lang, imported=True)


def _prose(stem: str, group: str = "") -> tuple[FieldSpec, FieldSpec]:
    return (
        FieldSpec(f"{stem}_nl", "textarea", max_length=LONG, lang="nl", imported=True, group=group),
        FieldSpec(f"{stem}_en", "textarea", max_length=LONG, lang="en", imported=True, group=group),
    )


SLUG = FieldSpec("slug", "slug", required=True, max_length=100, create_only=True)
PANEL_LEVELS = ("national", "regional")
SUBMISSION_KINDS = ("portal", "platform", "email", "mdo", "unknown")
WORKING_GROUP_KINDS = (
    "national_working_group",
    "professional_society",
    "initiative",
    "platform",
    "patient_platform",
)
INSTITUTION_KINDS = (
    "umc",
    "categorical_cancer_centre",
    "childrens_cancer_centre",
    "top_clinical",
    "general",
    "radiotherapy",
    "other",
)


class ExpertiseRowAdapter:
    """A panel, working group or institution: one row keyed by its slug.

    Field names are the row's column names. Reads go to the expertise tables;
    writes go through :meth:`ExpertiseService.edit_row` / ``retire_row``. Everything
    here is also imported from the curated files, so every approved edit becomes an
    override (retiring and creating too).
    """

    can_create: bool = True
    can_retire: bool = True
    imported_retire: bool = True

    def __init__(
        self,
        kind: str,
        model_name: str,
        title_field: str,
        title_lang: str,
        fields: tuple[FieldSpec, ...],
    ) -> None:
        self.kind = kind
        self._model_name = model_name
        self._title_field = title_field
        self._title_lang = title_lang
        self.fields: tuple[FieldSpec, ...] = fields

    def _model(self) -> Any:
        from directory.expertise import models

        return getattr(models, self._model_name)

    def _row(self, session: Session, entity_id: str) -> Any:
        model = self._model()
        return session.scalar(select(model).where(model.slug == entity_id))

    def load(self, session: Session, entity_id: str) -> EntityState | None:
        row = self._row(session, entity_id[:100])
        if row is None:
            return None
        values: dict[str, FieldValue] = {}
        links = (
            self._links(session, row) if self.kind in ("panel", "working_group", "network") else {}
        )
        for spec in self.fields:
            if spec.create_only:
                continue
            if spec.name in LINK_FIELDS:
                values[spec.name] = links[spec.name]
                continue
            value = getattr(row, spec.name)
            if isinstance(value, list | tuple):
                # JSON lists, or alias rows (institutions keep aliases in a table)
                items = [str(getattr(v, "alias", v)) for v in value]
                value = sorted(items) if self.kind == "institution" else items
            values[spec.name] = value
        return EntityState(
            kind=self.kind,
            entity_id=row.slug,
            title=str(getattr(row, self._title_field)),
            title_lang=self._title_lang,
            values=values,
            retired=row.retired_at is not None,
            source_checked=getattr(row, "checked_on", None),
        )

    def _links(self, session: Session, row: Any) -> dict[str, FieldValue]:
        """A panel's or working group's institutions (slugs) and ORPHAcodes, sorted."""
        from directory.expertise.models import (
            Designation,
            DesignationInstitution,
            Institution,
            PanelInstitution,
            ScopeCondition,
        )

        if self.kind == "network":
            from directory.expertise.models import NetworkMembership

            lines: list[str] = sorted(
                f"{slug} {role}"
                for slug, role in session.execute(
                    select(Institution.slug, NetworkMembership.role)
                    .join(Institution, Institution.id == NetworkMembership.institution_id)
                    .where(
                        NetworkMembership.network_id == row.id,
                        NetworkMembership.retired_at.is_(None),
                    )
                )
            )
            return {"members": lines}
        codes: list[int] = sorted(
            session.scalars(
                select(ScopeCondition.orphacode).where(
                    ScopeCondition.owner_kind == self.kind, ScopeCondition.owner_id == row.id
                )
            )
        )
        if self.kind == "panel":
            roles = session.execute(
                select(Institution.slug, PanelInstitution.role)
                .join(Institution, Institution.id == PanelInstitution.institution_id)
                .where(PanelInstitution.panel_id == row.id)
            ).all()
            members: list[str] = sorted(slug for slug, role in roles if role == "member")
            return {
                "coordinating_institution": next(
                    (slug for slug, role in roles if role == "coordinating"), None
                ),
                "member_institutions": members,
                "scope_orphacodes": codes,
            }
        centres: list[str] = sorted(
            session.scalars(
                select(Institution.slug)
                .join(
                    DesignationInstitution, DesignationInstitution.institution_id == Institution.id
                )
                .join(Designation, Designation.id == DesignationInstitution.designation_id)
                .where(
                    Designation.working_group_id == row.id,
                    Designation.kind == "working_group_centre",
                )
                .distinct()
            )
        )
        return {"centre_institutions": centres, "scope_orphacodes": codes}

    def normalize(self, values: dict[str, FieldValue]) -> dict[str, FieldValue]:
        for name in ("member_institutions", "centre_institutions", "scope_orphacodes", "members"):
            value = values.get(name)
            if isinstance(value, list):
                if all(isinstance(v, int) for v in value):
                    values[name] = sorted(int(v) for v in value)
                else:
                    values[name] = sorted(str(v) for v in value)
        return values

    def validate(
        self, session: Session, entity_id: str, values: Mapping[str, FieldValue], action: str
    ) -> list[FieldError]:
        errors = check_institutions(session, values, LINK_FIELDS)
        errors += check_active_orphacodes(session, values, ("scope_orphacodes",))
        members = values.get("members")
        if isinstance(members, list) and members:
            errors += check_memberships(session, [str(m) for m in members])
        aliases = values.get("aliases")
        if self.kind == "institution" and isinstance(aliases, list) and aliases:
            errors += self._aliases_taken(session, entity_id, [str(a) for a in aliases])
        low, high = values.get("turnaround_days_min"), values.get("turnaround_days_max")
        if isinstance(low, int) and isinstance(high, int) and high < low:
            errors.append(FieldError("turnaround_days_max", "min_max_order"))
        return errors

    @staticmethod
    def _aliases_taken(session: Session, slug: str, aliases: list[str]) -> list[FieldError]:
        """An alias may name one institution only (sources are matched on it)."""
        from directory.expertise.models import Institution, InstitutionAlias
        from directory.text import fold_name

        keys = {fold_name(a): a for a in aliases}
        taken = session.execute(
            select(InstitutionAlias.key, Institution.slug)
            .join(Institution, Institution.id == InstitutionAlias.institution_id)
            .where(InstitutionAlias.key.in_(list(keys)), Institution.slug != slug)
        ).first()
        if taken is None:
            return []
        return [FieldError("aliases", "alias_taken", {"item": keys[taken[0]], "value": taken[1]})]

    def apply(
        self,
        session: Session,
        entity_id: str,
        action: str,
        changes: Mapping[str, FieldValue],
        values: Mapping[str, FieldValue],
        ctx: ApplyContext,
    ) -> None:
        service = ctx.owners["expertise"]
        source = values if action == "create" else changes
        columns: dict[str, Any] = {
            k: v for k, v in source.items() if k not in (RETIRED, "slug", *LINK_FIELDS)
        }
        links = {k: v for k, v in source.items() if k in LINK_FIELDS}
        if columns or links or action == "create":
            columns["checked_on"] = utcnow().date()  # an approved edit was checked
            service.edit_row(
                session, self.kind, entity_id, columns, ctx.release, create=action == "create"
            )
        if self.kind == "network":
            members = links.get("members")
            if isinstance(members, list) or (members is None and "members" in links):
                pairs = [member_line(str(m)) for m in members or []]
                service.set_network_members(
                    session, entity_id, [p for p in pairs if p is not None], ctx.release
                )
        elif links or (action == "create" and self.kind in ("panel", "working_group")):
            service.set_links(session, self.kind, entity_id, links, ctx.release)
        if RETIRED in changes:
            service.retire_row(session, self.kind, entity_id, retired=bool(changes[RETIRED]))

    def checked(self, session: Session, entity_id: str, on: dt.date, ctx: ApplyContext) -> None:
        """An editor confirmed the row: its public "last checked" date moves on."""
        ctx.owners["expertise"].edit_row(
            session, self.kind, entity_id, {"checked_on": on}, ctx.release
        )

    def find(self, session: Session, text: str, limit: int) -> tuple[EntityListItem, ...]:
        model = self._model()
        query = select(model).order_by(getattr(model, self._title_field)).limit(limit)
        text = text.strip().lower()
        if text:
            like = f"%{text}%"
            names = [
                func.lower(getattr(model, s.name)).like(like)
                for s in self.fields
                if s.kind == "text" and s.name.startswith(("name", "short_name", "abbreviation"))
            ]
            query = query.where(or_(model.slug.like(like), *names))
        return tuple(
            EntityListItem(
                self.kind,
                row.slug,
                str(getattr(row, self._title_field)),
                self._title_lang,
                retired=row.retired_at is not None,
            )
            for row in session.scalars(query)
        )


PANEL_FIELDS = (
    SLUG,
    _t("name_nl", lang="nl", required=True),
    _t("name_en", lang="en", required=True),
    _t("short_name", n=200),
    FieldSpec("aliases", "lines", max_length=200, imported=True),
    FieldSpec("level", "choice", required=True, choices=PANEL_LEVELS, imported=True),
    _t("region_nl", lang="nl"),
    _t("region_en", lang="en"),
    *_prose("scope", "about"),
    *_prose("purpose", "about"),
    *_prose("who_may_submit", "submitting"),
    *_prose("what_to_include", "submitting"),
    FieldSpec("submission_kind", "choice", required=True, choices=SUBMISSION_KINDS, imported=True,
              group="submitting"),
    FieldSpec("portal_name", "text", max_length=200, imported=True, group="submitting"),
    FieldSpec("submission_url", "url", max_length=500, imported=True, group="submitting"),
    FieldSpec("submission_email", "email", max_length=200, imported=True, group="submitting"),
    *_prose("turnaround", "submitting"),
    FieldSpec("turnaround_days_min", "int", min_value=0, max_value=365, imported=True,
              group="submitting"),
    FieldSpec("turnaround_days_max", "int", min_value=0, max_value=365, imported=True,
              group="submitting"),
    *_prose("meeting_rhythm", "working"),
    *_prose("chair", "working"),
    FieldSpec("contact_email", "email", max_length=200, imported=True, group="contact"),
    FieldSpec("contact_phone", "text", max_length=50, imported=True, group="contact"),
    FieldSpec("website", "url", max_length=500, imported=True, group="contact"),
    *_prose("notes", "contact"),
    FieldSpec("coordinating_institution", "text", max_length=100, imported=True, group="links"),
    FieldSpec("member_institutions", "lines", max_length=100, max_items=60, imported=True,
              group="links"),
    FieldSpec("scope_orphacodes", "orphacodes", max_items=300, imported=True, group="links"),
)  # fmt: skip

WORKING_GROUP_FIELDS = (
    SLUG,
    _t("name_nl", lang="nl", required=True),
    _t("name_en", lang="en", required=True),
    _t("abbreviation", n=50),
    FieldSpec("kind", "choice", required=True, choices=WORKING_GROUP_KINDS, imported=True),
    *_prose("scope", "about"),
    *_prose("description", "about"),
    FieldSpec("website", "url", max_length=500, imported=True, group="contact"),
    *_prose("notes", "contact"),
    FieldSpec(
        "centre_institutions", "lines", max_length=100, max_items=60, imported=True, group="links"
    ),
    FieldSpec("scope_orphacodes", "orphacodes", max_items=300, imported=True, group="links"),
)

INSTITUTION_FIELDS = (
    SLUG,
    _t("name", lang="nl", required=True),
    _t("name_en", lang="en", required=True),
    FieldSpec("aliases", "lines", max_length=300, max_items=60, imported=True),
    FieldSpec("kind", "choice", required=True, choices=INSTITUTION_KINDS, imported=True),
    FieldSpec("website", "url", max_length=500, imported=True),
    *_prose("notes"),
)


# -- sites of institutions (locations with coordinates) -----------------------------------

SITE_KINDS = ("hospital", "outpatient_clinic", "childrens_hospital")
POSTCODE_RE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})?$")

SITE_FIELDS = (
    FieldSpec("key", "slug", required=True, max_length=100, create_only=True),
    FieldSpec("institution", "text", required=True, max_length=100, imported=True),
    FieldSpec("name", "text", required=True, max_length=300, lang="nl", imported=True),
    FieldSpec("kind", "choice", required=True, choices=SITE_KINDS, imported=True),
    FieldSpec("address", "text", max_length=300, imported=True),
    FieldSpec("postcode", "text", required=True, max_length=10, imported=True),
    FieldSpec("city", "text", max_length=100, imported=True),
)


def normal_postcode(text: str) -> str:
    """``"9713gz"`` -> ``"9713 GZ"``; text that is no Dutch postcode is returned as it is."""
    match = POSTCODE_RE.match(text.strip())
    if match is None:
        return text
    return f"{match.group(1)} {match.group(2).upper()}" if match.group(2) else match.group(1)


class SiteAdapter:
    """A location of an institution: name, kind, address, postcode and place.

    Keyed by the site key (``rivm:<nr>``, ``curated:<slug>:<n>``, or the short name an
    editor gave a new site). The coordinates are not typed: they follow the postcode
    (the gazetteer's PC4 centre), so a postcode the gazetteer lacks is a field error.
    Sites come from the institutions source, so approved edits become overrides.
    """

    kind: str = "site"
    can_create: bool = True
    can_retire: bool = True
    imported_retire: bool = True
    fields: tuple[FieldSpec, ...] = SITE_FIELDS

    def load(self, session: Session, entity_id: str) -> EntityState | None:
        from directory.expertise.models import Institution, Site

        found = session.execute(
            select(Site, Institution.slug)
            .join(Institution, Institution.id == Site.institution_id)
            .where(Site.key == entity_id[:100])
        ).first()
        if found is None:
            return None
        site, slug = found
        return EntityState(
            kind=self.kind,
            entity_id=site.key,
            title=site.name,
            title_lang="nl",
            values={
                "institution": slug,
                "name": site.name,
                "kind": site.kind,
                "address": site.address,
                "postcode": site.postcode,
                "city": site.city,
            },
            retired=site.retired_at is not None,
            public=False,
        )

    def normalize(self, values: dict[str, FieldValue]) -> dict[str, FieldValue]:
        postcode = values.get("postcode")
        if isinstance(postcode, str):
            values["postcode"] = normal_postcode(postcode)
        return values

    def validate(
        self, session: Session, entity_id: str, values: Mapping[str, FieldValue], action: str
    ) -> list[FieldError]:
        from directory.expertise.resolver import site_point

        errors = check_institutions(session, values, ("institution",))
        postcode = values.get("postcode")
        if isinstance(postcode, str) and postcode:
            if POSTCODE_RE.match(postcode) is None:
                errors.append(FieldError("postcode", "not_postcode"))
            elif site_point(session, postcode) is None:
                errors.append(FieldError("postcode", "unknown_postcode", {"value": postcode[:4]}))
        return errors

    def apply(
        self,
        session: Session,
        entity_id: str,
        action: str,
        changes: Mapping[str, FieldValue],
        values: Mapping[str, FieldValue],
        ctx: ApplyContext,
    ) -> None:
        service = ctx.owners["expertise"]
        source = values if action == "create" else changes
        columns = {k: v for k, v in source.items() if k not in (RETIRED, "key")}
        if columns or action == "create":
            service.edit_site(session, entity_id, columns, ctx.release, create=action == "create")
        if RETIRED in changes:
            service.retire_site(session, entity_id, retired=bool(changes[RETIRED]))

    def find(self, session: Session, text: str, limit: int) -> tuple[EntityListItem, ...]:
        from directory.expertise.models import Institution, Site

        query = (
            select(Site)
            .join(Institution, Institution.id == Site.institution_id)
            .order_by(Site.name, Site.key)
            .limit(limit)
        )
        text = text.strip().lower()
        if text:
            like = f"%{text}%"
            query = query.where(
                or_(
                    func.lower(Site.name).like(like),
                    func.lower(Site.city).like(like),
                    Site.key.like(like),
                    Institution.slug.like(like),
                )
            )
        return tuple(
            EntityListItem(self.kind, s.key, s.name, "nl", s.retired_at is not None)
            for s in session.scalars(query)
        )


NETWORK_KINDS = ("regional_oncology", "head_and_neck", "tumour_type")
NETWORK_FIELDS = (
    SLUG,
    _t("name", lang="nl", required=True),
    FieldSpec("name_en", "text", max_length=300, lang="en"),
    FieldSpec("kind", "choice", required=True, choices=NETWORK_KINDS, imported=True),
    *_prose("description", "about"),
    FieldSpec("website", "url", max_length=500, group="contact"),
    FieldSpec("members", "lines", max_length=150, max_items=150, imported=True, group="links"),
)

# -- ECZA rows and SONCOS reference centres entered by hand (designations) ----------------


class DesignationAdapter:
    """Expertise facts that editors enter themselves, e.g. an ECZA recognition by hand.

    They are designations with a source of their own (``editor-ecza``,
    ``editor-soncos``), written through ``ExpertiseService.edit_designation``; the
    imports of the official lists never touch them, so no overrides are needed.
    """

    can_create: bool = True
    can_retire: bool = True

    def __init__(
        self, kind: str, source: str, designation_kind: str, fields: tuple[FieldSpec, ...]
    ) -> None:
        self.kind = kind
        self.source = source
        self.designation_kind = designation_kind
        self.fields: tuple[FieldSpec, ...] = fields

    def _row(self, session: Session, entity_id: str) -> Any:
        from directory.expertise.models import Designation

        return session.scalar(
            select(Designation).where(
                Designation.source == self.source, Designation.key == entity_id[:300]
            )
        )

    def load(self, session: Session, entity_id: str) -> EntityState | None:
        from directory.expertise.models import DesignationInstitution, Institution

        d = self._row(session, entity_id)
        if d is None:
            return None
        slugs = list(
            session.scalars(
                select(Institution.slug)
                .join(
                    DesignationInstitution, DesignationInstitution.institution_id == Institution.id
                )
                .where(DesignationInstitution.designation_id == d.id)
                .order_by(DesignationInstitution.position)
            )
        )
        values: dict[str, FieldValue] = {}
        for spec in self.fields:
            if spec.create_only:
                continue
            if spec.name == "institutions":
                values[spec.name] = slugs
            elif spec.name == "orphacodes":
                values[spec.name] = sorted(c.orphacode for c in d.conditions)
            else:
                value = getattr(d, spec.name)
                values[spec.name] = value.isoformat() if isinstance(value, dt.date) else value
        return EntityState(
            kind=self.kind,
            entity_id=d.key,
            title=d.label_nl or d.key,
            title_lang="nl",
            values=values,
            retired=d.retired_at is not None,
            source_checked=d.checked_on,
            public=False,
        )

    def normalize(self, values: dict[str, FieldValue]) -> dict[str, FieldValue]:
        return values

    def validate(
        self, session: Session, entity_id: str, values: Mapping[str, FieldValue], action: str
    ) -> list[FieldError]:
        errors = check_institutions(session, values, ("institutions",))
        order = dates_in_order(values, "valid_from", "valid_until")
        if order is not None:
            errors.insert(0, order)
        return errors

    def apply(
        self,
        session: Session,
        entity_id: str,
        action: str,
        changes: Mapping[str, FieldValue],
        values: Mapping[str, FieldValue],
        ctx: ApplyContext,
    ) -> None:
        service = ctx.owners["expertise"]
        source = values if action == "create" else changes
        columns: dict[str, Any] = {}
        for name, value in source.items():
            if name in (RETIRED, "slug", "institutions", "orphacodes"):
                continue
            spec = next((s for s in self.fields if s.name == name), None)
            if spec is not None and spec.kind == "date" and isinstance(value, str):
                columns[name] = dt.date.fromisoformat(value)
            else:
                columns[name] = value
        institutions = source.get("institutions")
        codes = source.get("orphacodes")
        if columns or institutions is not None or codes is not None or action == "create":
            service.edit_designation(
                session,
                self.source,
                entity_id,
                self.designation_kind,
                columns,
                ctx.release,
                institutions=[str(s) for s in institutions]
                if isinstance(institutions, list)
                else None,
                orphacodes=[int(c) for c in codes] if isinstance(codes, list) else None,
                create=action == "create",
            )
        if RETIRED in changes:
            service.retire_designation(
                session, self.source, entity_id, retired=bool(changes[RETIRED])
            )

    def find(self, session: Session, text: str, limit: int) -> tuple[EntityListItem, ...]:
        from directory.expertise.models import Designation

        query = (
            select(Designation)
            .where(Designation.source == self.source)
            .order_by(Designation.label_nl, Designation.key)
            .limit(limit)
        )
        if text.strip():
            like = f"%{text.strip().lower()}%"
            query = query.where(
                or_(func.lower(Designation.label_nl).like(like), Designation.key.like(like))
            )
        return tuple(
            EntityListItem(self.kind, d.key, d.label_nl or d.key, "nl", d.retired_at is not None)
            for d in session.scalars(query)
        )


def _free(name: str, *, lang: str | None = None, required: bool = False, n: int = 300) -> FieldSpec:
    return FieldSpec(name, "text", required=required, max_length=n, lang=lang)


DESIGNATION_COMMON = (
    FieldSpec("institutions", "lines", required=True, max_length=100, max_items=10),
    FieldSpec("orphacodes", "orphacodes", required=True, max_items=50),
)
ECZA_FIELDS = (
    SLUG,
    _free("label_nl", lang="nl", required=True, n=500),
    *DESIGNATION_COMMON,
    FieldSpec("level", "choice", required=True, choices=("cluster", "disease", "subtype")),
    FieldSpec("valid_from", "date", max_length=10),
    FieldSpec("valid_until", "date", max_length=10),
    _free("source_ref", required=True, n=1000),
    FieldSpec("note_nl", "textarea", max_length=LONG, lang="nl"),
    FieldSpec("note_en", "textarea", max_length=LONG, lang="en"),
)
SONCOS_FIELDS = (
    SLUG,
    _free("label_nl", lang="nl", required=True, n=500),
    _free("label_en", lang="en", required=True, n=500),
    *DESIGNATION_COMMON,
    FieldSpec(
        "level",
        "choice",
        required=True,
        choices=("reference_centre_requirements", "treatment_in_reference_centre"),
    ),
    _free("source_version", required=True, n=200),
    _free("source_section", n=300),
    FieldSpec("citation_nl", "textarea", max_length=LONG, lang="nl"),
    FieldSpec("citation_en", "textarea", max_length=LONG, lang="en"),
    _free("source_ref", required=True, n=1000),
    FieldSpec("note_nl", "textarea", max_length=LONG, lang="nl"),
    FieldSpec("note_en", "textarea", max_length=LONG, lang="en"),
)


def default_adapters() -> dict[str, EntityAdapter]:
    """Every entity kind editors can edit, by kind."""
    adapters: list[EntityAdapter] = [
        ConditionAdapter(),
        ExpertiseRowAdapter("panel", "Panel", "name_nl", "nl", PANEL_FIELDS),
        ExpertiseRowAdapter("working_group", "WorkingGroup", "name_nl", "nl", WORKING_GROUP_FIELDS),
        ExpertiseRowAdapter("institution", "Institution", "name", "nl", INSTITUTION_FIELDS),
        SiteAdapter(),
        ExpertiseRowAdapter("network", "Network", "name", "nl", NETWORK_FIELDS),
        DesignationAdapter("ecza", "editor-ecza", "ecza", ECZA_FIELDS),
        DesignationAdapter("soncos", "editor-soncos", "soncos_reference_centre", SONCOS_FIELDS),
    ]
    return {a.kind: a for a in adapters}
