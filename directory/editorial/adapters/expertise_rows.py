"""Panels, working groups, institutions and networks: rows owned by the expertise service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.editorial.checks import (
    LINK_FIELDS,
    check_active_orphacodes,
    check_institutions,
    check_memberships,
    member_line,
)
from directory.editorial.entities import ApplyContext, EntityListItem, EntityState
from directory.editorial.fields import FieldError, FieldSpec, FieldValue
from directory.editorial.overrides import RETIRED
from directory.expertise import entity_fields
from directory.expertise.entity_fields import EntityField

# -- panels, working groups, institutions (owned by the expertise service) ----------------

LONG = entity_fields.PROSE_LENGTH  # prose fields


SLUG = FieldSpec("slug", "slug", required=True, max_length=100, create_only=True)


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


def _form_specs(f: EntityField) -> tuple[FieldSpec, ...]:
    """The editor's form fields of one declared field (two when bilingual)."""
    langs: tuple[str | None, ...] = ("nl", "en") if f.bilingual else (f.lang,)
    return tuple(
        FieldSpec(
            name,
            f.kind,
            required=f.required,
            max_length=f.max_length,
            lang=lang,
            choices=f.choices,
            imported=f.imported,
            max_items=f.max_items,
            min_value=f.min_value,
            max_value=f.max_value,
            create_only=f.create_only,
            group=f.group,
        )
        for name, lang in zip(f.columns or (f.name,), langs, strict=True)
    )


def editor_form(fields: tuple[EntityField, ...]) -> tuple[FieldSpec, ...]:
    """An entity kind's form, derived from its declaration (directory.expertise.entity_fields)."""
    return tuple(spec for f in entity_fields.editor_order(fields) for spec in _form_specs(f))


PANEL_FORM = editor_form(entity_fields.PANEL_FIELDS)
WORKING_GROUP_FORM = editor_form(entity_fields.WORKING_GROUP_FIELDS)
INSTITUTION_FORM = editor_form(entity_fields.INSTITUTION_FIELDS)
NETWORK_FORM = editor_form(entity_fields.NETWORK_FIELDS)
