"""Row syncing shared by the appliers: compare wanted rows with the stored ones, add, change,
retire; names and preferred names of conditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    Condition,
    ConditionName,
)
from directory.conditions.runs import ChangeTally
from directory.errors import InputRejected
from directory.reports import Problem


def _sync_rows(
    session: Session,
    model: type[Any],
    have: Mapping[Any, Any],
    want: Mapping[Any, dict[str, Any]],
    fields: tuple[str, ...],
    release_id: int,
    tally: ChangeTally,
) -> None:
    """Make the rows ``have`` (by key) equal to ``want`` (by key: column values).

    Rows no longer wanted are deleted (retired), new ones added, and rows whose
    ``fields`` differ are updated and take the new release; the rest are unchanged.
    """
    for key in sorted(set(have) - set(want)):
        session.delete(have[key])
        tally.retired += 1
    for key, values in want.items():
        row = have.get(key)
        if row is None:
            session.add(model(**values, release_id=release_id))
            tally.added += 1
        elif any(getattr(row, f) != values[f] for f in fields):
            for f in fields:
                setattr(row, f, values[f])
            row.release_id = release_id
            tally.changed += 1
        else:
            tally.unchanged += 1


def _check_codes(
    session: Session,
    file_name: str,
    entries: list[tuple[int, str]],
    *,
    allow_partial: bool,
) -> tuple[set[int], list[Problem]]:
    """The catalogue's ORPHAcodes, and a problem per (code, location) not among them.

    Strict by default: any unknown code rejects the whole input.
    """
    known = set(session.scalars(select(Condition.orphacode)))
    problems = [
        Problem(file_name, where, f"unknown ORPHAcode {code} (not in the catalogue)", "orphacode")
        for code, where in entries
        if code not in known
    ]
    if problems and not allow_partial:
        raise InputRejected(problems, f"{file_name}: unknown ORPHAcodes")
    return known, problems


def _sync_preferred(
    session: Session,
    code: int,
    lang: str,
    origin: str,
    text: str,
    rows: list[ConditionName],
    release_id: int,
    new_date: dt.date,
    dates: dict[int, dt.date],
) -> bool:
    """Set the preferred name unless a newer release already set it."""
    current = [n for n in rows if n.kind == "preferred"]
    if not current:
        n = ConditionName(
            orphacode=code,
            lang=lang,
            kind="preferred",
            origin=origin,
            text=text,
            release_id=release_id,
        )
        session.add(n)
        rows.append(n)
        return True
    head = current[0]
    for extra in current[1:]:
        session.delete(extra)
        rows.remove(extra)
    if head.text == text:
        return False
    if new_date < dates.get(head.release_id, dt.date.min):
        return False
    head.text = text
    head.release_id = release_id
    return True


def _sync_names(
    session: Session,
    code: int,
    lang: str,
    origin: str,
    preferred: str,
    synonyms: tuple[str, ...],
    rows: list[ConditionName],
    release_id: int,
    new_date: dt.date,
    dates: dict[int, dt.date],
) -> bool:
    changed = _sync_preferred(
        session, code, lang, origin, preferred, rows, release_id, new_date, dates
    )
    have = {n.text: n for n in rows if n.kind == "synonym"}
    want = []
    for s in synonyms:
        if s and s != preferred and s not in want:
            want.append(s)
    if set(have) == set(want):
        return changed
    for text, n in have.items():
        if text not in want:
            session.delete(n)
            rows.remove(n)
    for text in want:
        if text not in have:
            n = ConditionName(
                orphacode=code,
                lang=lang,
                kind="synonym",
                origin=origin,
                text=text,
                release_id=release_id,
            )
            session.add(n)
            rows.append(n)
    return True
