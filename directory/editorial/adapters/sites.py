"""Sites of institutions: locations with a postcode and coordinates."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from directory.editorial.checks import check_institutions
from directory.editorial.entities import ApplyContext, EntityListItem, EntityState
from directory.editorial.fields import FieldError, FieldSpec, FieldValue
from directory.editorial.overrides import RETIRED
from directory.vocabulary import SITE_KINDS

# -- sites of institutions (locations with coordinates) -----------------------------------

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
