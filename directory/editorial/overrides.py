"""Overrides: editors' corrections of imported facts, kept when the source is re-imported.

When an approved edit changes a field that an importer also writes, the editorial
service stores an :class:`~directory.editorial.models.Override`. While a source release
is applied, :func:`apply_overrides` puts the editors' values into the normalised records
before they are written, and returns a :class:`Disagreement` for every overridden field
where the source now says something new, for the import report. The catalogue's
appliers do not import this module: they receive the hooks below
(:func:`override_editorial_names`, :func:`override_lay_terms`, :class:`RowOverrides`)
through :data:`directory.editorial.corrections.EDITOR_CORRECTIONS`, passed to their
services when those are built.

Only this module and :mod:`directory.editorial.services` write the override table.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.records import EditorialName
from directory.editorial.fields import FieldValue, same_value
from directory.editorial.models import EntityRevision, Override
from directory.expertise.records import AliasRecord
from directory.override_outcomes import Disagreement, OverrideOutcome

R = TypeVar("R")

# Pseudo-field of an override that retires the whole entity.
RETIRED = "retired"


def to_json(value: Any) -> FieldValue:
    """A record attribute as a JSON-compatible field value."""
    if isinstance(value, tuple | list):
        return list(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def active_overrides(session: Session, entity_kind: str) -> dict[str, dict[str, Override]]:
    """entity id -> field -> override, for one kind."""
    found: dict[str, dict[str, Override]] = defaultdict(dict)
    for o in session.scalars(
        select(Override).where(Override.entity_kind == entity_kind, Override.active.is_(True))
    ):
        found[o.entity_id][o.field] = o
    return found


def attribute_merge(
    fields: Mapping[str, str],
) -> Callable[[str, list[R], Mapping[str, FieldValue]], list[R]]:
    """A merge for sources with one record per entity: set the mapped attributes.

    ``fields`` maps override field -> record attribute. An override of
    :data:`RETIRED` to true drops the record. Lists become tuples when the record's
    attribute is a tuple.
    """

    def merge(entity_id: str, group: list[R], values: Mapping[str, FieldValue]) -> list[R]:
        if values.get(RETIRED) is True:
            return []
        result = []
        for record in group:
            changes: dict[str, Any] = {}
            for name, value in values.items():
                attr = fields.get(name)
                if attr is None:
                    continue
                current = getattr(record, attr)
                changes[attr] = (
                    tuple(value)
                    if isinstance(value, list) and isinstance(current, tuple)
                    else value
                )
            result.append(dataclasses.replace(record, **changes))  # type: ignore[type-var]  # records are dataclasses
        return result

    return merge


def attribute_source_value(fields: Mapping[str, str]) -> Callable[[str, list[R]], FieldValue]:
    """The source's value of an override field, for one-record-per-entity sources."""

    def source_value(name: str, group: list[R]) -> FieldValue:
        if name == RETIRED:
            return not group
        attr = fields.get(name)
        if attr is None or not group:
            return None
        return to_json(getattr(group[0], attr))

    return source_value


def apply_overrides(
    session: Session,
    entity_kind: str,
    records: Sequence[R],
    *,
    key: Callable[[R], str],
    source_value: Callable[[str, list[R]], FieldValue],
    merge: Callable[[str, list[R], Mapping[str, FieldValue]], list[R]],
    fields: Sequence[str] | None = None,
) -> tuple[list[R], OverrideOutcome]:
    """Put the editors' overrides of ``entity_kind`` into a source's ``records``.

    Records are grouped per entity with ``key``. For every entity with active
    overrides (only of ``fields``, when given), ``source_value`` says what the
    source has for a field and ``merge`` returns the group's records with the
    editors' values (it may add a record the source lacks, or drop one).
    The overrides remember what the source said at this import; a field where the
    source now differs from both the editors' value and what it said when the
    override was made is returned as a :class:`Disagreement`.

    Records of entities without overrides are returned unchanged, in order.
    """
    overrides = active_overrides(session, entity_kind)
    if fields is not None:
        wanted = set(fields)
        overrides = {
            eid: {f: o for f, o in by_field.items() if f in wanted}
            for eid, by_field in overrides.items()
        }
        overrides = {eid: by_field for eid, by_field in overrides.items() if by_field}
    if not overrides:
        return list(records), OverrideOutcome((), 0)
    groups: dict[str, list[R]] = defaultdict(list)
    order: list[str] = []
    for record in records:
        k = key(record)
        if k not in groups:
            order.append(k)
        groups[k].append(record)
    for eid in overrides:
        if eid not in groups:
            order.append(eid)
    now = utcnow()
    disagreements: list[Disagreement] = []
    kept = 0
    result: list[R] = []
    for eid in order:
        group = groups.get(eid, [])
        by_field = overrides.get(eid)
        if not by_field:
            result.extend(group)
            continue
        for name, o in sorted(by_field.items()):
            from_source = source_value(name, group)
            o.last_source_value = from_source
            o.last_import_at = now
            differs = not same_value(from_source, o.value)
            # Needs an editor's decision: the source now says something new and different.
            o.disagrees = differs and not same_value(from_source, o.source_value)
            if o.disagrees:
                disagreements.append(
                    Disagreement(entity_kind, eid, name, from_source, o.value, o.source_value)
                )
            elif differs:
                kept += 1
        result.extend(merge(eid, group, {n: o.value for n, o in by_field.items()}))
    return result, OverrideOutcome(tuple(disagreements), kept)


# -- the hooks for the catalogue's own sources --------------------------------------------


def override_editorial_names(
    session: Session, lang: str, entries: Sequence[EditorialName], known: set[int]
) -> tuple[list[EditorialName], OverrideOutcome]:
    """Editors' overrides of a condition's editorial name (``name_<lang>``, ``synonyms_<lang>``).

    An override that empties the name drops the source's entry; an override for a
    code the file lacks adds an entry (when it sets a name).
    """
    name_f, syn_f = f"name_{lang}", f"synonyms_{lang}"
    plain = attribute_merge({name_f: "preferred", syn_f: "synonyms"})

    def source_value(name: str, group: list[EditorialName]) -> FieldValue:
        if not group:
            return [] if name == syn_f else None
        return group[0].preferred if name == name_f else list(group[0].synonyms)

    def merge(
        eid: str, group: list[EditorialName], values: Mapping[str, FieldValue]
    ) -> list[EditorialName]:
        preferred = values[name_f] if name_f in values else (group[0].preferred if group else None)
        if not isinstance(preferred, str) or not preferred:
            return []
        if not group:
            code = int(eid)
            if code not in known:
                return []
            synonyms = values.get(syn_f)
            return [
                EditorialName(
                    orphacode=code,
                    preferred=preferred,
                    synonyms=tuple(str(s) for s in synonyms) if isinstance(synonyms, list) else (),
                )
            ]
        return plain(eid, group, values)

    return apply_overrides(
        session,
        "condition",
        entries,
        key=lambda e: str(e.orphacode),
        source_value=source_value,
        merge=merge,
        fields=(name_f, syn_f),
    )


class _LayTerm(Protocol):
    @property
    def orphacode(self) -> int: ...
    @property
    def lang(self) -> str: ...
    @property
    def term(self) -> str: ...


LT = TypeVar("LT", bound=_LayTerm)


def sorted_terms(terms: Iterable[str]) -> list[str]:
    """Lay terms in their canonical order (case-insensitive), as stored in overrides."""
    return sorted(terms, key=lambda t: (t.casefold(), t))


def override_lay_terms(
    session: Session, entries: Sequence[LT], langs: Sequence[str] = ("nl", "en")
) -> tuple[list[LT], OverrideOutcome]:
    """Editors' overrides of a condition's lay terms (``lay_terms_<lang>``).

    The editors' list is stored with origin ``editor``; the source's terms for an
    overridden (condition, language) are left out so they do not come back.
    """
    fields = {f"lay_terms_{lg}": lg for lg in langs}

    def source_value(name: str, group: list[LT]) -> FieldValue:
        lg = fields[name]
        return sorted_terms(r.term for r in group if r.lang == lg)

    def merge(eid: str, group: list[LT], values: Mapping[str, FieldValue]) -> list[LT]:
        dropped = {fields[n] for n in values if n in fields}
        return [r for r in group if r.lang not in dropped]

    return apply_overrides(
        session,
        "condition",
        entries,
        key=lambda e: str(e.orphacode),
        source_value=source_value,
        merge=merge,
        fields=tuple(fields),
    )


# Pseudo-field of an override that marks an entity created in the editor area: the
# source does not have it, and a re-import must not retire it.
CREATED = "created"


class RowOverrides:
    """Overrides for sources that write one row per slug from a dict of column values.

    Used by the expertise service (through
    :data:`~directory.editorial.corrections.EDITOR_CORRECTIONS`) while applying panels,
    working groups, institutions, networks and sites: :meth:`apply` puts the editors'
    values into a row's column values, :meth:`retired` says whether editors retired the
    row, :meth:`created` lists rows editors made (to keep), and :meth:`outcome` reports
    where the source now disagrees.
    """

    def __init__(self, session: Session, entity_kind: str) -> None:
        self.kind = entity_kind
        self._by_entity = active_overrides(session, entity_kind)
        # When editors last confirmed each row: a re-import must not make it look older.
        self._checked = {
            eid: at.date()
            for eid, at in session.execute(
                select(EntityRevision.entity_id, EntityRevision.checked_at).where(
                    EntityRevision.entity_kind == entity_kind,
                    EntityRevision.checked_at.is_not(None),
                )
            )
            if at is not None
        }
        self._now = utcnow()
        self._disagreements: list[Disagreement] = []
        self._kept = 0

    def _check(self, slug: str, name: str, o: Override, from_source: Any) -> None:
        o.last_source_value = from_source
        o.last_import_at = self._now
        differs = not same_value(from_source, o.value)
        o.disagrees = differs and not same_value(from_source, o.source_value)
        if o.disagrees:
            self._disagreements.append(
                Disagreement(self.kind, slug, name, from_source, o.value, o.source_value)
            )
        elif differs:
            self._kept += 1

    def retired(self, slug: str) -> bool:
        o = self._by_entity.get(slug, {}).get(RETIRED)
        if o is None or o.value is not True:
            return False
        self._check(slug, RETIRED, o, False)  # the source still lists it
        return True

    def apply(self, slug: str, values: dict[str, Any]) -> dict[str, Any]:
        merged = dict(values)
        checked = self._checked.get(slug)
        if checked is not None and "checked_on" in merged:
            source_checked = merged["checked_on"]
            if source_checked is None or source_checked < checked:
                merged["checked_on"] = checked
        by_field = self._by_entity.get(slug)
        if not by_field:
            return merged
        for name, o in sorted(by_field.items()):
            if name in (RETIRED, CREATED) or name not in values:
                continue
            self._check(slug, name, o, to_json(values[name]))
            merged[name] = o.value
        return merged

    def aliases(self, slug: str, records: Sequence[AliasRecord]) -> list[AliasRecord]:
        """An institution's aliases: the editors' list when they changed it."""
        o = self._by_entity.get(slug, {}).get("aliases")
        if o is None or not isinstance(o.value, list):
            return list(records)
        self._check(slug, "aliases", o, sorted(r.alias for r in records))
        origin = {r.alias: r.origin for r in records}
        return [AliasRecord(str(a), origin.get(str(a), "editor")) for a in o.value]

    def created(self) -> list[str]:
        return sorted(
            slug
            for slug, by_field in self._by_entity.items()
            if CREATED in by_field
            and by_field[CREATED].value is True
            and not (RETIRED in by_field and by_field[RETIRED].value is True)
        )

    def outcome(self) -> OverrideOutcome:
        return OverrideOutcome(tuple(self._disagreements), self._kept)
