"""What editors can edit: one adapter per entity kind.

An adapter knows an entity kind's editable fields, reads an entity's current values,
checks rules that span fields, and applies approved values through the service that
owns the entity's tables (:class:`~directory.conditions.services.CatalogueService`, the
expertise service) inside the editorial service's transaction. The editorial
service itself is generic: it only talks to adapters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import Condition
from directory.conditions.records import ReleaseInfo
from directory.conditions.services import CatalogueService
from directory.editorial.fields import FieldError, FieldSpec, FieldValue

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
