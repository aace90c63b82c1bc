"""ECZA rows and SONCOS reference centres entered by hand (designations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from directory.editorial.adapters.expertise_rows import LONG, SLUG
from directory.editorial.checks import check_institutions
from directory.editorial.entities import ApplyContext, EntityListItem, EntityState
from directory.editorial.fields import FieldError, FieldSpec, FieldValue, dates_in_order
from directory.editorial.overrides import RETIRED

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


def free_field(
    name: str, *, lang: str | None = None, required: bool = False, n: int = 300
) -> FieldSpec:
    return FieldSpec(name, "text", required=required, max_length=n, lang=lang)


DESIGNATION_COMMON = (
    FieldSpec("institutions", "lines", required=True, max_length=100, max_items=10),
    FieldSpec("orphacodes", "orphacodes", required=True, max_items=50),
)
ECZA_FIELDS = (
    SLUG,
    free_field("label_nl", lang="nl", required=True, n=500),
    *DESIGNATION_COMMON,
    FieldSpec("level", "choice", required=True, choices=("cluster", "disease", "subtype")),
    FieldSpec("valid_from", "date", max_length=10),
    FieldSpec("valid_until", "date", max_length=10),
    free_field("source_ref", required=True, n=1000),
    FieldSpec("note_nl", "textarea", max_length=LONG, lang="nl"),
    FieldSpec("note_en", "textarea", max_length=LONG, lang="en"),
)
SONCOS_FIELDS = (
    SLUG,
    free_field("label_nl", lang="nl", required=True, n=500),
    free_field("label_en", lang="en", required=True, n=500),
    *DESIGNATION_COMMON,
    FieldSpec(
        "level",
        "choice",
        required=True,
        choices=("reference_centre_requirements", "treatment_in_reference_centre"),
    ),
    free_field("source_version", required=True, n=200),
    free_field("source_section", n=300),
    FieldSpec("citation_nl", "textarea", max_length=LONG, lang="nl"),
    FieldSpec("citation_en", "textarea", max_length=LONG, lang="en"),
    free_field("source_ref", required=True, n=1000),
    FieldSpec("note_nl", "textarea", max_length=LONG, lang="nl"),
    FieldSpec("note_en", "textarea", max_length=LONG, lang="en"),
)
