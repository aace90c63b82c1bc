"""Resolving a release's references against the catalogue: institutions, ORPHAcodes, ERNs,
slugs and sources, each problem found recorded with where and why."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import Condition, ConditionName, ConditionRedirect
from directory.expertise.models import (
    Ern,
    Institution,
    InstitutionAlias,
    SourceDocument,
)
from directory.expertise.records import (
    Bilingual,
    CodeRef,
    Ref,
    SourceRef,
)
from directory.places.models import GazetteerPostcode
from directory.reports import Problem
from directory.text import fold_name

# -- small helpers ----------------------------------------------------------------


def dutch(b: Bilingual | None) -> str | None:
    return b.nl if b else None


def english(b: Bilingual | None) -> str | None:
    return b.en if b else None


def sources_json(sources: Iterable[SourceRef]) -> list[dict[str, str]]:
    """Sources as stored with a fact (read by :mod:`directory.expertise.provenance`)."""
    out = []
    for s in sources:
        item: dict[str, str] = {}
        if s.source:
            item["source"] = s.source
        if s.locator:
            item["locator"] = s.locator
        if s.ref:
            item["ref"] = s.ref
        if s.read_on:
            item["read_on"] = s.read_on.isoformat()
        if s.note:
            item["note"] = s.note
        out.append(item)
    return out


def refs_text(sources: Iterable[SourceRef]) -> str:
    return "; ".join(s.label for s in sources)


@dataclass(frozen=True)
class Scope:
    """A record's institutions, conditions, exclusions and sources, resolved."""

    institutions: tuple[int, ...]
    codes: tuple[tuple[int, int | None], ...]
    excluded: tuple[int, ...]
    sources: list[dict[str, str]]


@dataclass(frozen=True)
class DesignationSpec:
    """A designation with its references resolved to ids, ready to write."""

    key: str
    kind: str
    values: dict[str, Any]
    institution_ids: tuple[int, ...]
    conditions: tuple[tuple[int, int | None], ...]  # (orphacode, code used by the source)
    exclusions: tuple[int, ...] = ()  # codes (and what is below them) it does not reach


class Resolver:
    """Resolves references of one release against the catalogue, collecting problems."""

    def __init__(self, session: Session, file_name: str) -> None:
        self.session = session
        self.file = file_name
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self._institutions: dict[str, int] | None = None
        self._alias_names: dict[str, str] = {}
        self._conditions: dict[int, tuple[str, str | None]] | None = None
        self._redirects: dict[int, list[tuple[str, int]]] = defaultdict(list)
        self._english: dict[int, str] | None = None
        self._cache: dict[str, dict[str, int]] = {}
        self._closed: dict[str, dt.date | None] = {}
        self._registry: set[str] | None = None

    # problems ---------------------------------------------------------------

    def problem(self, where: str, field: str | None, reason: str) -> None:
        self.problems.append(Problem(self.file, where, reason, field))

    def mark(self) -> int:
        return len(self.problems)

    def failed_since(self, mark: int) -> bool:
        return len(self.problems) > mark

    # institutions -------------------------------------------------------------

    def _load_institutions(self) -> dict[str, int]:
        if self._institutions is None:
            active = {}
            for i in self.session.scalars(
                select(Institution).where(Institution.retired_at.is_(None))
            ):
                if i.status == "active":
                    active[i.id] = i.slug
                else:
                    self._closed[i.slug] = i.ended_on
            keys: dict[str, int] = {}
            for inst_id, slug in active.items():
                keys[slug] = inst_id
            for a in self.session.scalars(select(InstitutionAlias)):
                if a.institution_id in active:
                    keys.setdefault(a.key, a.institution_id)
                    self._alias_names.setdefault(a.key, a.alias)
            self._institutions = keys
        return self._institutions

    def institution(self, ref: Ref) -> int | None:
        """Id of the active institution a name, alias or slug refers to."""
        keys = self._load_institutions()
        value = ref.value.strip()
        if value in self._closed:  # its slug: its old names are its successor's aliases
            when = self._closed[value]
            self.problem(
                ref.where,
                ref.field,
                f"institution {value!r} closed{f' on {when}' if when else ''}; "
                "name its successor instead",
            )
            return None
        found = keys.get(value) or keys.get(fold_name(value))
        if found is not None:
            return found
        candidates = list(self._alias_names)
        close = difflib.get_close_matches(fold_name(value), candidates, n=3, cutoff=0.6)
        if close:
            names = ", ".join(repr(self._alias_names[k]) for k in close)
            hint = f"; closest known names: {names}"
        else:
            hint = "; no similar name is known (add it as an alias in institutions.json)"
        self.problem(ref.where, ref.field, f"unknown institution {value!r}{hint}")
        return None

    def institutions(self, refs: Sequence[Ref]) -> tuple[int, ...]:
        ids: list[int] = []
        for ref in refs:
            found = self.institution(ref)
            if found is not None and found not in ids:
                ids.append(found)
        return tuple(ids)

    # sources ------------------------------------------------------------------

    def sources(self, sources: Iterable[SourceRef], where: str) -> list[dict[str, str]]:
        """The sources as stored; a slug that is not in the source register is a problem."""
        if self._registry is None:
            self._registry = set(
                self.session.scalars(
                    select(SourceDocument.slug).where(SourceDocument.retired_at.is_(None))
                )
            )
        for s in sources:
            if s.source and s.source not in self._registry:
                close = difflib.get_close_matches(s.source, sorted(self._registry), n=3)
                hint = f"; closest: {', '.join(close)}" if close else ""
                self.problem(
                    where,
                    "sources",
                    f"unknown source {s.source!r} (not in the source register, sources.json)"
                    + hint,
                )
        return sources_json(sources)

    def scope(
        self,
        institutions: Sequence[Ref],
        codes: Sequence[CodeRef],
        exclude: Sequence[CodeRef],
        sources: Iterable[SourceRef],
        where: str,
    ) -> Scope | None:
        """Resolve a record's scope; None when any part of it was a problem (each one
        recorded, institutions first, then codes, exclusions and sources)."""
        mark = self.mark()
        found = Scope(
            self.institutions(institutions),
            self.codes(codes),
            tuple(c for c, _s in self.codes(exclude)),
            self.sources(sources, where),
        )
        return None if self.failed_since(mark) else found

    # conditions ---------------------------------------------------------------

    def _load_conditions(self) -> dict[int, tuple[str, str | None]]:
        if self._conditions is None:
            self._conditions = {
                c: (s, lv)
                for c, s, lv in self.session.execute(
                    select(Condition.orphacode, Condition.status, Condition.level)
                )
            }
            for f, t, k in self.session.execute(
                select(
                    ConditionRedirect.from_code, ConditionRedirect.to_code, ConditionRedirect.kind
                )
            ):
                self._redirects[f].append((k, t))
        return self._conditions

    def english_name(self, code: int) -> str | None:
        if self._english is None:
            rows = self.session.execute(
                select(ConditionName.orphacode, ConditionName.text).where(
                    ConditionName.lang == "en",
                    ConditionName.kind == "preferred",
                    ConditionName.origin == "orphanet",
                )
            )
            self._english = dict(rows.all())
        return self._english.get(code)

    def condition_level(self, code: int) -> str | None:
        return self._load_conditions().get(code, ("", None))[1]

    def code(self, ref: CodeRef) -> tuple[int, int | None] | None:
        """(active ORPHAcode, code as written if it was redirected), or None."""
        conditions = self._load_conditions()
        if ref.code not in conditions:
            self.problem(
                ref.where, ref.field, f"unknown ORPHAcode {ref.code} (not in the catalogue)"
            )
            return None
        code, seen = ref.code, {ref.code}
        while conditions[code][0] != "active":
            targets = sorted(self._redirects.get(code, ()))  # moved_to before referred_to
            nxt = next((t for _k, t in targets if t not in seen and t in conditions), None)
            if nxt is None:
                self.problem(
                    ref.where,
                    ref.field,
                    f"ORPHA:{ref.code} is {conditions[ref.code][0]} and has no active "
                    "successor in the catalogue",
                )
                return None
            code = nxt
            seen.add(code)
        if code != ref.code:
            self.warnings.append(
                f"{self.file}: {ref.where}, {ref.field}: ORPHA:{ref.code} is "
                f"{conditions[ref.code][0]}; recorded under its successor ORPHA:{code}"
            )
            return code, ref.code
        if ref.name_en:
            official = self.english_name(code)
            if official and fold_name(official) != fold_name(ref.name_en):
                self.warnings.append(
                    f"{self.file}: {ref.where}, {ref.field}: ORPHA:{code} is called "
                    f"{official!r} in Orphanet, the source says {ref.name_en!r}"
                )
        return code, None

    def codes(self, refs: Sequence[CodeRef]) -> tuple[tuple[int, int | None], ...]:
        out: dict[int, int | None] = {}
        for ref in refs:
            found = self.code(ref)
            if found is not None and found[0] not in out:
                out[found[0]] = found[1]
        return tuple(sorted(out.items()))

    # slugs of other entities ------------------------------------------------------

    def _slugs(self, name: str, model: type[Any]) -> dict[str, int]:
        if name not in self._cache:
            rows = self.session.execute(
                select(model.slug, model.id).where(model.retired_at.is_(None))
            )
            self._cache[name] = dict(rows.all())
        return self._cache[name]

    def entity(self, ref: Ref, model: type[Any], what: str, source: str) -> int | None:
        known = self._slugs(what, model)
        found = known.get(ref.value)
        if found is None:
            close = difflib.get_close_matches(ref.value, list(known), n=3, cutoff=0.6)
            hint = f"; closest: {', '.join(close)}" if close else ""
            self.problem(
                ref.where,
                ref.field,
                f"unknown {what} {ref.value!r} (import {source} first?){hint}",
            )
        return found

    def ern(self, ref: Ref) -> int | None:
        if "ern_codes" not in self._cache:
            codes: dict[str, int] = {}
            for e in self.session.scalars(select(Ern).where(Ern.retired_at.is_(None))):
                codes[fold_name(e.code)] = e.id
                codes[fold_name(e.slug)] = e.id
            self._cache["ern_codes"] = codes
        found = self._cache["ern_codes"].get(fold_name(ref.value))
        if found is None:
            self.problem(
                ref.where, ref.field, f"unknown ERN {ref.value!r} (see reference.json, erns)"
            )
        return found


class EditorLinks:
    """Slugs and codes in editors' overrides of links, resolved while a source is applied.

    An override may name an institution that was retired since, or a code that is
    gone; those are left out (the override itself is reported where it disagrees).
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._slugs: dict[int, str] | None = None
        self._ids: dict[str, int] = {}
        self._codes: set[int] | None = None

    def slugs(self) -> dict[int, str]:
        if self._slugs is None:
            rows = self._session.execute(
                select(Institution.id, Institution.slug, Institution.retired_at)
            ).all()
            self._slugs = {i: slug for i, slug, _r in rows}
            self._ids = {slug: i for i, slug, retired in rows if retired is None}
        return self._slugs

    def institution(self, slug: Any) -> int | None:
        self.slugs()
        return self._ids.get(str(slug)) if slug else None

    def institutions(self, slugs: Any) -> tuple[int, ...]:
        self.slugs()
        return tuple(self._ids[str(s)] for s in slugs or () if str(s) in self._ids)

    def codes(
        self, codes: Any, from_source: Sequence[tuple[int, int | None]]
    ) -> tuple[tuple[int, int | None], ...]:
        if self._codes is None:
            self._codes = set(self._session.scalars(select(Condition.orphacode)))
        source_codes = dict(from_source)
        return tuple(
            (int(c), source_codes.get(int(c))) for c in codes or () if int(c) in self._codes
        )


def problem_order(p: Problem) -> tuple[int, str, str]:
    """Problems in file order: by line or row number where there is one."""
    match = re.match(r"(?:line|row) (\d+)", p.location)
    return (int(match.group(1)) if match else 0, p.location, p.field or "")


def site_point(session: Session, postcode: str | None) -> tuple[str, float, float] | None:
    """PC4 and the gazetteer's coordinates of a Dutch postcode ("9713 GZ"), or None."""
    digits = (postcode or "").strip()[:4]
    if len(digits) != 4 or not digits.isdigit():
        return None
    found = session.get(GazetteerPostcode, digits)
    return None if found is None else (digits, found.lat, found.lon)
