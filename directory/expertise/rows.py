"""The generic writers every applier shares: upsert a row, retire what a source no longer
lists, and keep a scope's conditions and designations in step with a release."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from directory.conditions.runs import ChangeTally
from directory.db import Base
from directory.expertise.models import (
    Designation,
    DesignationCondition,
    DesignationExclusion,
    DesignationInstitution,
    ScopeCondition,
    ScopeExclusion,
)
from directory.expertise.resolver import DesignationSpec, Resolver
from directory.expertise.slugs import ENGLISH_SLUG_MODELS, EnglishSlugs

M = TypeVar("M", bound=Base)
# -- the generic writers ------------------------------------------------------------


def upsert_row(
    session: Session,
    existing: dict[Any, M],
    key: Any,
    make: Callable[[], M],
    values: dict[str, Any],
    release_id: int | None,
) -> tuple[M, str]:
    """Insert or update one row; returns it and "added" | "changed" | "unchanged"."""
    row = existing.get(key)
    if row is None:
        row = make()
        for attr, value in values.items():
            setattr(row, attr, value)
        if release_id is not None:
            row.release_id = release_id  # type: ignore[attr-defined]  # every model passed has it
        session.add(row)
        existing[key] = row
        return row, "added"
    state = "unchanged"
    for attr, value in values.items():
        if getattr(row, attr) != value:
            setattr(row, attr, value)
            state = "changed"
    if getattr(row, "retired_at", None) is not None:
        row.retired_at = None  # type: ignore[attr-defined]  # checked just above
        state = "changed"
    if state == "changed" and release_id is not None:
        row.release_id = release_id  # type: ignore[attr-defined]  # every model passed has it
    return row, state


def english_slugs(
    session: Session,
    r: Resolver,
    kind: str,
    kept: Iterable[str],
    given: Mapping[str, Any] | None = None,
) -> None:
    """After an import wrote the rows of ``kind``: rows get the English slug the file
    names (``given``: id -> row with ``slug_en``) or one made from their English name
    (directory.expertise.slugs); a row whose id is another entity's English slug is a problem,
    as an address would then name two entities."""
    session.flush()
    english = EnglishSlugs(session, kind)
    for slug in kept:
        why = english.clash(slug)
        if why:
            r.problem(slug, "slug", why)
    if given:
        model = ENGLISH_SLUG_MODELS[kind]
        for row in session.scalars(select(model).where(model.slug.in_(list(given)))):
            why = english.give(row, given[row.slug])
            if why:
                r.problem(row.slug, "slug_en", why)
    english.fill_missing()


def count_state(tally: ChangeTally, state: str) -> None:
    if state == "added":
        tally.added += 1
    elif state == "changed":
        tally.changed += 1
    else:
        tally.unchanged += 1


def retire_missing(
    existing: dict[Any, M], keep: Iterable[Any], tally: ChangeTally, now: dt.datetime
) -> None:
    keep_set = set(keep)
    for key, row in existing.items():
        if key not in keep_set and getattr(row, "retired_at", None) is None:
            row.retired_at = now  # type: ignore[attr-defined]  # models with history have it
            tally.retired += 1


def sync_scope(session: Session, owner_kind: str, owner_id: int, codes: Iterable[int]) -> bool:
    have = set(
        session.scalars(
            select(ScopeCondition.orphacode).where(
                ScopeCondition.owner_kind == owner_kind, ScopeCondition.owner_id == owner_id
            )
        )
    )
    want = set(codes)
    if have == want:
        return False
    if have - want:
        session.execute(
            delete(ScopeCondition).where(
                ScopeCondition.owner_kind == owner_kind,
                ScopeCondition.owner_id == owner_id,
                ScopeCondition.orphacode.in_(have - want),
            )
        )
    for code in sorted(want - have):
        session.add(ScopeCondition(owner_kind=owner_kind, owner_id=owner_id, orphacode=code))
    return True


def sync_scope_exclusions(
    session: Session, owner_kind: str, owner_id: int, codes: Iterable[int]
) -> bool:
    have = set(
        session.scalars(
            select(ScopeExclusion.orphacode).where(
                ScopeExclusion.owner_kind == owner_kind, ScopeExclusion.owner_id == owner_id
            )
        )
    )
    want = set(codes)
    if have == want:
        return False
    if have - want:
        session.execute(
            delete(ScopeExclusion).where(
                ScopeExclusion.owner_kind == owner_kind,
                ScopeExclusion.owner_id == owner_id,
                ScopeExclusion.orphacode.in_(have - want),
            )
        )
    for code in sorted(want - have):
        session.add(ScopeExclusion(owner_kind=owner_kind, owner_id=owner_id, orphacode=code))
    return True


def codes_only(found: Iterable[tuple[int, int | None]]) -> tuple[int, ...]:
    return tuple(c for c, _s in found)


def sync_designations(
    session: Session,
    source: str,
    specs: Sequence[DesignationSpec],
    release_id: int,
    tally: ChangeTally,
    now: dt.datetime,
    protected: Iterable[str] = (),
) -> None:
    """Make the designations of ``source`` exactly ``specs`` (retiring the others)."""
    existing = {
        d.key: d
        for d in session.scalars(
            select(Designation)
            .where(Designation.source == source)
            .options(selectinload(Designation.institutions), selectinload(Designation.conditions))
        )
    }
    for spec in specs:
        values = {"kind": spec.kind, **spec.values}
        d, state = upsert_row(
            session,
            existing,
            spec.key,
            partial(
                Designation,
                source=source,
                key=spec.key,
                first_release_id=release_id,
                created_at=now,
            ),
            values,
            release_id,
        )
        have_inst = [i.institution_id for i in d.institutions]
        if have_inst != list(spec.institution_ids):
            d.institutions.clear()
            session.flush()
            d.institutions.extend(
                DesignationInstitution(institution_id=i, position=n)
                for n, i in enumerate(spec.institution_ids)
            )
            state = "added" if state == "added" else "changed"
        have_codes = sorted((c.orphacode, c.source_code) for c in d.conditions)
        if have_codes != sorted(spec.conditions):
            d.conditions.clear()
            session.flush()
            d.conditions.extend(
                DesignationCondition(orphacode=c, source_code=s) for c, s in spec.conditions
            )
            state = "added" if state == "added" else "changed"
        if sorted(e.orphacode for e in d.exclusions) != sorted(set(spec.exclusions)):
            d.exclusions.clear()
            session.flush()
            d.exclusions.extend(
                DesignationExclusion(orphacode=c) for c in sorted(set(spec.exclusions))
            )
            state = "added" if state == "added" else "changed"
        if state == "changed":
            d.release_id = release_id
            d.updated_at = now
        count_state(tally, state)
    retire_missing(existing, [s.key for s in specs] + list(protected), tally, now)
