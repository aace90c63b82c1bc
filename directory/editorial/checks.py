"""Checks that span a form and the catalogue: ORPHAcodes that exist and are active, the
institutions and members a panel or working group links to."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import Condition
from directory.editorial.fields import FieldError, FieldValue

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
