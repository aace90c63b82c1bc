"""The expertise service: the only code that writes the expertise catalogue.

Each ``apply_*`` method takes the typed records of one source release,
resolves their references (institution names and slugs, ORPHAcodes, ERNs,
domains, working groups) against the catalogue, and writes them in ONE
transaction, recorded as an :class:`~directory.conditions.models.ImportRun` through
:meth:`CatalogueService.run`.

* Strict by default: any unresolvable reference rejects the whole release
  (:class:`~directory.errors.InputRejected` listing every problem with file,
  location, field and reason) and nothing is written.
* ``allow_partial``: records with problems are left out and listed in the run
  report; the rest is written.
* Applying the same release twice changes nothing (every row is compared).
* A new release updates, adds and retires: rows that are no longer in the
  source get ``retired_at`` and keep their history; a row that comes back is
  un-retired.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from directory.catalogue_version import bump_version
from directory.clock import utcnow
from directory.conditions.models import (
    Condition,
    ConditionName,
    ConditionRedirect,
    GazetteerPostcode,
)
from directory.conditions.records import ReleaseInfo
from directory.conditions.services import CatalogueService, ChangeTally
from directory.db import Base
from directory.editorial.overrides import RowOverrides
from directory.errors import InputRejected
from directory.expertise.models import (
    BodyArea,
    Designation,
    DesignationCondition,
    DesignationExclusion,
    DesignationInstitution,
    Ern,
    EuracanDomain,
    Institution,
    InstitutionAlias,
    Network,
    NetworkMembership,
    NetworkRole,
    Panel,
    PanelInstitution,
    PatientResource,
    PatientResourceCondition,
    PriorityCondition,
    ScopeCondition,
    ScopeExclusion,
    Site,
    SourceDocument,
    WorkingGroup,
)
from directory.expertise.records import (
    Bilingual,
    CodeRef,
    EczaRelease,
    ExpertiseCentresRelease,
    InstitutionsRelease,
    MemberRecord,
    NetworksRelease,
    PanelsRelease,
    PatientResourcesRelease,
    PriorityConditionsRelease,
    Ref,
    ReferenceRelease,
    SoncosRelease,
    SourceRef,
    SourcesRelease,
    WorkingGroupsRelease,
)
from directory.expertise.slugs import ENGLISH_SLUG_MODELS, EnglishSlugs
from directory.reports import ImportReport, Problem
from directory.text import fold_name

M = TypeVar("M", bound=Base)

# What the editor area may change through edit_row / retire_row, and the values a
# row made there starts with (the form gives the rest).
EDITABLE_MODELS: dict[str, Any] = {
    "panel": Panel,
    "working_group": WorkingGroup,
    "institution": Institution,
    "network": Network,
}
EDITOR_CREATE_DEFAULTS: dict[str, dict[str, Any]] = {
    "panel": {"submission_kind": "unknown", "aliases": [], "sources": []},
    "working_group": {"sources": [], "initiatives": []},
    "institution": {"origin": "editor", "rivm_organisations": [], "corrections": [], "sources": []},
    "network": {"aliases": [], "sources": []},
}

ECZA_TO_ORPHANET_LEVEL = {"cluster": "group", "disease": "disorder", "subtype": "subtype"}


# -- small helpers ----------------------------------------------------------------


def _nl(b: Bilingual | None) -> str | None:
    return b.nl if b else None


def _en(b: Bilingual | None) -> str | None:
    return b.en if b else None


def _sources_json(sources: Iterable[SourceRef]) -> list[dict[str, str]]:
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


def _refs_text(sources: Iterable[SourceRef]) -> str:
    return "; ".join(s.label for s in sources)


@dataclass(frozen=True)
class _DesignationSpec:
    """A designation with its references resolved to ids, ready to write."""

    key: str
    kind: str
    values: dict[str, Any]
    institution_ids: tuple[int, ...]
    conditions: tuple[tuple[int, int | None], ...]  # (orphacode, code used by the source)
    exclusions: tuple[int, ...] = ()  # codes (and what is below them) it does not reach


class _Resolver:
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
        return _sources_json(sources)

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


class _EditorLinks:
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


# -- the generic writers ------------------------------------------------------------


def _upsert(
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


def _english_slugs(
    session: Session,
    r: _Resolver,
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


def _count(tally: ChangeTally, state: str) -> None:
    if state == "added":
        tally.added += 1
    elif state == "changed":
        tally.changed += 1
    else:
        tally.unchanged += 1


def _retire_missing(
    existing: dict[Any, M], keep: Iterable[Any], tally: ChangeTally, now: dt.datetime
) -> None:
    keep_set = set(keep)
    for key, row in existing.items():
        if key not in keep_set and getattr(row, "retired_at", None) is None:
            row.retired_at = now  # type: ignore[attr-defined]  # models with history have it
            tally.retired += 1


def _sync_scope(session: Session, owner_kind: str, owner_id: int, codes: Iterable[int]) -> bool:
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


def _sync_scope_exclusions(
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


def _codes_only(found: Iterable[tuple[int, int | None]]) -> tuple[int, ...]:
    return tuple(c for c, _s in found)


def _sync_designations(
    session: Session,
    source: str,
    specs: Sequence[_DesignationSpec],
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
        d, state = _upsert(
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
        _count(tally, state)
    _retire_missing(existing, [s.key for s in specs] + list(protected), tally, now)


# -- the service ----------------------------------------------------------------------


class ExpertiseService:
    """Writes institutions, reference data, networks, working groups, panels and designations.

    Construct with a session factory; import runs are recorded through a
    :class:`CatalogueService` on the same database.
    """

    def __init__(
        self, session_factory: sessionmaker[Session], catalogue: CatalogueService | None = None
    ) -> None:
        self._sessions = session_factory
        self._catalogue = catalogue or CatalogueService(session_factory)

    # -- the run wrapper ---------------------------------------------------------------

    def _run(
        self,
        release: ReleaseInfo,
        body: Callable[[Session, ChangeTally, _Resolver], int],
        *,
        what: str,
        dry_run: bool,
        allow_partial: bool,
        rejected: tuple[Problem, ...],
        source_name: str = "",
        extra_warnings: tuple[str, ...] = (),
    ) -> ImportReport:
        """Resolve and write in one transaction; problems reject all (or, partial, some).

        ``rejected`` are rows the parser found invalid: in a strict run they are
        reported together with the problems found here, and nothing is written.
        """
        rejected_rows: list[Problem] = list(rejected)

        def apply(session: Session, tally: ChangeTally) -> int:
            resolver = _Resolver(session, source_name or release.file_name)
            tally.warnings.extend(extra_warnings)
            release_id = body(session, tally, resolver)
            tally.warnings.extend(resolver.warnings)
            if (resolver.problems or rejected) and not allow_partial:
                everything = [*rejected, *resolver.problems]
                raise InputRejected(
                    sorted(everything, key=_problem_order),
                    f"{source_name or release.file_name}: {len(everything)} problem(s) in the "
                    f"{what}; nothing was changed",
                )
            rejected_rows.extend(resolver.problems)
            return release_id

        report = self._catalogue.run(
            release.source, release.file_name, release.sha256, apply, dry_run=dry_run
        )
        if rejected_rows:
            if dry_run:
                return dataclasses.replace(report, problems=tuple(rejected_rows))
            return self._catalogue.mark_partial(report, tuple(rejected_rows))
        return report

    def _release_id(self, session: Session, info: ReleaseInfo) -> int:
        return self._catalogue.release(session, info).id

    # -- institutions ------------------------------------------------------------------

    def apply_institutions(
        self, data: InstitutionsRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """Institutions, their aliases and sites (RIVM + GeoNames + curated overlay).

        The importer has already checked the overlay against RIVM (every site
        claimed once, aliases unique); institutions missing from a new release
        are retired with their sites.
        """

        def body(session: Session, tally: ChangeTally, _r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            rivm_rel = self._release_id(session, data.rivm)
            self._release_id(session, data.geonames)
            existing = {
                i.slug: i
                for i in session.scalars(
                    select(Institution).options(
                        selectinload(Institution.aliases), selectinload(Institution.sites)
                    )
                )
            }
            states: dict[str, str] = {}
            overrides = RowOverrides(session, "institution")  # corrections in the editor area
            retired_by_editors = [r.slug for r in data.institutions if overrides.retired(r.slug)]
            for rec in data.institutions:
                values: dict[str, Any] = {
                    "name": rec.name,
                    "name_en": rec.name_en,
                    "kind": rec.kind,
                    "kind_certainty": rec.kind_certainty,
                    "origin": rec.origin,
                    "website": rec.website,
                    "rivm_organisations": list(rec.rivm_organisations),
                    "notes_nl": _nl(rec.notes),
                    "notes_en": _en(rec.notes),
                    "corrections": [{"what": c.what, "ref": c.ref} for c in rec.corrections],
                    "sources": _sources_json(rec.sources),
                    "status": rec.status,
                    "ended_on": rec.ended_on,
                    "lifecycle_nl": _nl(rec.lifecycle),
                    "lifecycle_en": _en(rec.lifecycle),
                }
                values = overrides.apply(rec.slug, values)
                _row, states[rec.slug] = _upsert(
                    session,
                    existing,
                    rec.slug,
                    partial(Institution, slug=rec.slug, updated_at=now),
                    values,
                    rel,
                )
            session.flush()
            for rec in data.institutions:  # successors, now that every row has an id
                heir = existing.get(rec.successor) if rec.successor else None
                successor_id = heir.id if heir is not None else None
                inst_row = existing[rec.slug]
                if inst_row.successor_id != successor_id:
                    inst_row.successor_id = successor_id
                    if states[rec.slug] == "unchanged":
                        states[rec.slug] = "changed"

            # Aliases: one row per folded key, moved to whichever institution claims it now.
            aliases = {a.key: a for a in session.scalars(select(InstitutionAlias))}
            wanted_keys: set[str] = set()
            for rec in data.institutions:
                inst = existing[rec.slug]
                for a in overrides.aliases(rec.slug, rec.aliases):
                    key = fold_name(a.alias)
                    if not key or key in wanted_keys:
                        continue
                    wanted_keys.add(key)
                    row = aliases.get(key)
                    if row is None:
                        session.add(
                            InstitutionAlias(
                                institution_id=inst.id, alias=a.alias, key=key, origin=a.origin
                            )
                        )
                    elif (row.institution_id, row.alias, row.origin) != (
                        inst.id,
                        a.alias,
                        a.origin,
                    ):
                        row.institution_id, row.alias, row.origin = inst.id, a.alias, a.origin
                    else:
                        continue
                    if states[rec.slug] == "unchanged":
                        states[rec.slug] = "changed"
            current = {existing[r.slug].id: r.slug for r in data.institutions}
            for key, row in aliases.items():
                if key not in wanted_keys and row.institution_id in current:
                    session.delete(row)
                    slug = current[row.institution_id]
                    if states[slug] == "unchanged":
                        states[slug] = "changed"

            # Sites; editors' corrections (kind "site", keyed by the site key) win.
            sites = {s.key: s for s in session.scalars(select(Site))}
            site_overrides = RowOverrides(session, "site")
            slug_ids = {slug: row.id for slug, row in existing.items()}
            wanted_sites: list[str] = list(site_overrides.created())
            for rec in data.institutions:
                inst = existing[rec.slug]
                for s in rec.sites:
                    if site_overrides.retired(s.key):
                        continue
                    wanted_sites.append(s.key)
                    corrected = site_overrides.apply(
                        s.key,
                        {
                            "institution": rec.slug,
                            "name": s.name,
                            "kind": s.kind,
                            "address": s.address,
                            "postcode": s.postcode,
                            "city": s.city,
                        },
                    )
                    inst_id = slug_ids.get(str(corrected.pop("institution")), inst.id)
                    point = (s.pc4, s.lat, s.lon)
                    if corrected["postcode"] != s.postcode:
                        point = site_point(session, corrected["postcode"]) or point
                    values = {
                        **corrected,
                        "institution_id": inst_id,
                        "pc4": point[0],
                        "lat": point[1],
                        "lon": point[2],
                        "rivm_location": s.rivm_location,
                        "source_ref": s.source_ref,
                        "certainty": s.certainty,
                    }
                    _site, state = _upsert(
                        session,
                        sites,
                        s.key,
                        partial(Site, key=s.key),
                        values,
                        rel if s.from_curated else rivm_rel,
                    )
                    _count(tally, state)
            tally.note_overrides(site_overrides.outcome())
            _retire_missing(sites, wanted_sites, tally, now)

            for slug, state in states.items():
                if state == "changed":
                    existing[slug].updated_at = now
                _count(tally, state)
            tally.note_overrides(overrides.outcome())
            _retire_missing(existing, [*states, *overrides.created()], tally, now)
            for slug in retired_by_editors:  # retired in the editor area: stays retired
                if existing[slug].retired_at is None:
                    existing[slug].retired_at = now
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="institutions",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
            extra_warnings=data.warnings,
        )

    # -- reference data: ERNs, EURACAN domains, body areas, roles ----------------------

    def apply_reference(
        self,
        data: ReferenceRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """ERNs with their Dutch members (ERN-member designations), domains, areas, roles."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)

            roles = {x.code: x for x in session.scalars(select(NetworkRole))}
            for role in data.roles:
                _role, state = _upsert(
                    session,
                    roles,
                    role.code,
                    partial(NetworkRole, code=role.code),
                    {
                        "name_nl": role.name.nl,
                        "name_en": role.name.en,
                        "description_nl": _nl(role.description),
                        "description_en": _en(role.description),
                        "model": role.model,
                        "echelon": role.echelon,
                        "sources": _sources_json(role.sources),
                    },
                    rel,
                )
                _count(tally, state)

            domains = {d.slug: d for d in session.scalars(select(EuracanDomain))}
            domain_codes: dict[str, tuple[tuple[int, int | None], ...]] = {}
            domain_exclusions: dict[str, tuple[int, ...]] = {}
            for d in data.domains:
                mark = r.mark()
                codes = r.codes(d.orphacodes)
                if r.failed_since(mark):
                    continue
                domain_codes[d.slug] = codes
                domain_row, state = _upsert(
                    session,
                    domains,
                    d.slug,
                    partial(EuracanDomain, slug=d.slug),
                    {
                        "code": d.code,
                        "position": d.position,
                        "name_nl": d.name.nl,
                        "name_en": d.name.en,
                        "lay_name_nl": _nl(d.lay_name),
                        "lay_name_en": _en(d.lay_name),
                        "notes_nl": _nl(d.notes),
                        "notes_en": _en(d.notes),
                        "sources": _sources_json(d.sources),
                    },
                    rel,
                )
                session.flush()
                if _sync_scope(session, "euracan_domain", domain_row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                excluded = _codes_only(r.codes(d.exclude))
                domain_exclusions[d.slug] = excluded
                if _sync_scope_exclusions(session, "euracan_domain", domain_row.id, excluded):
                    state = "added" if state == "added" else "changed"
                _count(tally, state)
            _retire_missing(domains, domain_codes, tally, now)

            areas = {a.slug: a for a in session.scalars(select(BodyArea))}
            kept_areas = []
            for a in data.body_areas:
                mark = r.mark()
                codes = r.codes(a.orphacodes)
                if r.failed_since(mark):
                    continue
                kept_areas.append(a.slug)
                area_row, state = _upsert(
                    session,
                    areas,
                    a.slug,
                    partial(BodyArea, slug=a.slug),
                    {
                        "position": a.position,
                        "name_nl": a.name.nl,
                        "name_en": a.name.en,
                        "notes_nl": _nl(a.notes),
                        "notes_en": _en(a.notes),
                        "sources": _sources_json(a.sources),
                    },
                    rel,
                )
                session.flush()
                if _sync_scope(session, "body_area", area_row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                _count(tally, state)
            _retire_missing(areas, kept_areas, tally, now)

            erns = {e.slug: e for e in session.scalars(select(Ern))}
            for e in data.erns:
                _ern, state = _upsert(
                    session,
                    erns,
                    e.slug,
                    partial(Ern, slug=e.slug),
                    {
                        "code": e.code,
                        "name_nl": e.name.nl,
                        "name_en": e.name.en,
                        "website": e.website,
                        "notes_nl": _nl(e.notes),
                        "notes_en": _en(e.notes),
                        "sources": _sources_json(e.sources),
                    },
                    rel,
                )
                _count(tally, state)
            _retire_missing(erns, [e.slug for e in data.erns], tally, now)
            session.flush()

            specs: list[_DesignationSpec] = []
            for e in data.erns:
                scope: tuple[tuple[int, int | None], ...] = ()
                exclusions: tuple[int, ...] = ()
                if e.slug != data.euracan_scope_ern:
                    # the Orphanet groups the curated file maps the ERN's scope to
                    mark = r.mark()
                    scope = r.codes(e.scope)
                    exclusions = _codes_only(r.codes(e.scope_exclude))
                    if r.failed_since(mark):
                        continue
                for m in e.members:
                    mark = r.mark()
                    inst = r.institution(m.institution)
                    member_scope, member_exclusions = scope, exclusions
                    if e.slug == data.euracan_scope_ern:
                        # A EURACAN member reaches the conditions of the domains it is a
                        # member for, and no others (a membership is not a centre).
                        for ref in m.domains:
                            if ref.value not in domain_codes:
                                r.problem(
                                    ref.where, ref.field, f"unknown EURACAN domain {ref.value!r}"
                                )
                        wanted = [x.value for x in m.domains if x.value in domain_codes]
                        member_scope = tuple(sorted({c for d in wanted for c in domain_codes[d]}))
                        member_exclusions = tuple(
                            sorted({c for d in wanted for c in domain_exclusions.get(d, ())})
                        )
                    sources = m.sources or e.sources
                    stored = r.sources(sources, f"{e.where}, member {m.institution.value!r}")
                    if inst is None or r.failed_since(mark):
                        continue
                    specs.append(
                        _DesignationSpec(
                            key=f"{e.slug}:{m.institution.value}",
                            kind="ern_member",
                            values={
                                "label_nl": e.code,
                                "label_en": e.code,
                                "ern_id": erns[e.slug].id,
                                "certainty": m.certainty,
                                "note_nl": _nl(m.note),
                                "note_en": _en(m.note),
                                "source_ref": _refs_text(sources),
                                "sources": stored,
                            },
                            institution_ids=(inst,),
                            conditions=member_scope,
                            exclusions=member_exclusions,
                        )
                    )
            _english_slugs(session, r, "body_area", kept_areas)
            _sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="reference data",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )

    # -- networks ----------------------------------------------------------------------

    def apply_networks(
        self,
        data: NetworksRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Networks and their members with roles (roles come from the reference data)."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            roles = set(session.scalars(select(NetworkRole.code)))
            networks = {n.slug: n for n in session.scalars(select(Network))}
            memberships = {
                (m.network_id, m.institution_id, m.role): m
                for m in session.scalars(select(NetworkMembership))
            }
            kept: list[str] = []
            kept_members: list[tuple[int, int, str]] = []
            overrides = RowOverrides(session, "network")  # corrections in the editor area
            links = _EditorLinks(session)
            for n in data.networks:
                mark = r.mark()
                resolved: list[tuple[MemberRecord, int, int | None]] = []
                for m in n.members:
                    inst = r.institution(m.institution)
                    partner = r.institution(m.partner_of) if m.partner_of else None
                    if m.role not in roles:
                        r.problem(
                            m.institution.where,
                            "role",
                            f"unknown role {m.role!r}; known roles: {', '.join(sorted(roles))}",
                        )
                    if inst is not None:
                        resolved.append((m, inst, partner))
                if r.failed_since(mark):
                    continue
                if overrides.retired(n.slug):
                    continue
                kept.append(n.slug)
                member_values: dict[tuple[int, str], dict[str, Any]] = {
                    (inst, m.role): {
                        "partner_of_id": partner,
                        "region": m.region,
                        "certainty": m.certainty,
                        "note_nl": _nl(m.note),
                        "note_en": _en(m.note),
                    }
                    for m, inst, partner in resolved
                }
                slug_of = links.slugs()
                source_members = {
                    "members": sorted(f"{slug_of[i]} {role}" for i, role in member_values)
                }
                corrected = overrides.apply(n.slug, source_members)
                if corrected != source_members:  # the editors changed the memberships
                    edited: dict[tuple[int, str], dict[str, Any]] = {}
                    for line in corrected["members"] or ():
                        slug, _sp, role = str(line).partition(" ")
                        inst_id = links.institution(slug)
                        if inst_id is not None and role in roles:
                            edited[(inst_id, role)] = member_values.get(
                                (inst_id, role), {"certainty": "editor"}
                            )
                    member_values = edited
                row, state = _upsert(
                    session,
                    networks,
                    n.slug,
                    partial(Network, slug=n.slug),
                    overrides.apply(
                        n.slug,
                        {
                            "name": n.name,
                            "kind": n.kind,
                            "status": n.status,
                            "aliases": list(n.aliases),
                            "region_nl": _nl(n.region),
                            "region_en": _en(n.region),
                            "description_nl": _nl(n.description),
                            "description_en": _en(n.description),
                            "sources": _sources_json(n.sources),
                        },
                    ),
                    rel,
                )
                session.flush()
                for (inst, role), member in member_values.items():
                    key = (row.id, inst, role)
                    kept_members.append(key)
                    _mrow, mstate = _upsert(
                        session,
                        memberships,
                        key,
                        partial(
                            NetworkMembership, network_id=key[0], institution_id=key[1], role=key[2]
                        ),
                        member,
                        rel,
                    )
                    _count(tally, mstate)
                _count(tally, state)
            created = overrides.created()  # made in the editor area: kept with their members
            kept += created
            created_ids = {networks[slug].id for slug in created if slug in networks}
            kept_members += [k for k, m in memberships.items() if k[0] in created_ids]
            tally.note_overrides(overrides.outcome())
            _retire_missing(networks, kept, tally, now)
            _retire_missing(memberships, kept_members, tally, now)
            _english_slugs(session, r, "network", kept)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="networks",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )

    # -- working groups ----------------------------------------------------------------

    def apply_working_groups(
        self,
        data: WorkingGroupsRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Working groups with their scope; their centres and preferred partners as designations."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            groups = {g.slug: g for g in session.scalars(select(WorkingGroup))}
            in_file = {g.slug for g in data.working_groups}
            partner_of = {
                inst: (m.partner_of_id, m.network_id)
                for inst, m in (
                    (m.institution_id, m)
                    for m in session.scalars(
                        select(NetworkMembership).where(
                            NetworkMembership.role == "preferred_partner",
                            NetworkMembership.retired_at.is_(None),
                        )
                    )
                )
            }
            kept: list[str] = []
            specs: list[_DesignationSpec] = []
            parents: dict[str, str | None] = {}
            states: dict[str, str] = {}
            overrides = RowOverrides(session, "working_group")  # corrections in the editor area
            links = _EditorLinks(session)
            for g in data.working_groups:
                mark = r.mark()
                domain = (
                    r.entity(g.euracan_domain, EuracanDomain, "EURACAN domain", "reference")
                    if g.euracan_domain
                    else None
                )
                if g.parent and g.parent.value not in in_file:
                    r.entity(g.parent, WorkingGroup, "working group", "working-groups")
                codes = r.codes(g.scope_codes)
                centres = r.institutions(g.centres)
                partners = [(ref, r.institution(ref)) for ref in g.partners]
                if r.failed_since(mark):
                    continue
                if overrides.retired(g.slug):
                    continue
                kept.append(g.slug)
                slug_of = links.slugs()
                source_links = {
                    "centre_institutions": sorted(slug_of[i] for i in centres),
                    "scope_orphacodes": sorted(c for c, _s in codes),
                }
                linked = overrides.apply(g.slug, source_links)
                if linked != source_links:  # the editors changed the group's links
                    centres = links.institutions(linked["centre_institutions"])
                    codes = links.codes(linked["scope_orphacodes"], codes)
                parents[g.slug] = g.parent.value if g.parent else None
                row, state = _upsert(
                    session,
                    groups,
                    g.slug,
                    partial(WorkingGroup, slug=g.slug),
                    overrides.apply(
                        g.slug,
                        {
                            "name_nl": g.name.nl,
                            "name_en": g.name.en,
                            "abbreviation": g.abbreviation,
                            "kind": g.kind,
                            "euracan_domain_id": domain,
                            "domain_label_nl": _nl(g.domain_label),
                            "domain_label_en": _en(g.domain_label),
                            "scope_nl": _nl(g.scope),
                            "scope_en": _en(g.scope),
                            "description_nl": _nl(g.description),
                            "description_en": _en(g.description),
                            "notes_nl": _nl(g.notes),
                            "notes_en": _en(g.notes),
                            "website": g.website,
                            "initiatives": [i.value for i in g.initiatives],
                            "sources": _sources_json(g.sources),
                        },
                    ),
                    rel,
                )
                session.flush()
                if _sync_scope(session, "working_group", row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                excluded = _codes_only(r.codes(g.scope_exclude))
                if _sync_scope_exclusions(session, "working_group", row.id, excluded):
                    state = "added" if state == "added" else "changed"
                states[g.slug] = state
                common = {
                    "working_group_id": row.id,
                    "source_ref": _refs_text(g.sources),
                    "sources": r.sources(g.sources, g.where),
                    "certainty": "confirmed",
                }
                specs.append(
                    _DesignationSpec(
                        key=g.slug,
                        kind="working_group_centre",
                        values={"label_nl": g.name.nl, "label_en": g.name.en, **common},
                        institution_ids=centres,
                        conditions=codes,
                        exclusions=excluded,
                    )
                )
                for ref, inst in partners:
                    if inst is None:
                        continue
                    centre, network = partner_of.get(inst, (None, None))
                    specs.append(
                        _DesignationSpec(
                            key=f"{g.slug}:{ref.value}",
                            kind="preferred_partner",
                            values={
                                "label_nl": g.name.nl,
                                "label_en": g.name.en,
                                "partner_of_id": centre,
                                "network_id": network,
                                **common,
                            },
                            institution_ids=(inst,),
                            conditions=codes,
                            exclusions=excluded,
                        )
                    )
            for slug, parent in parents.items():
                parent_id = groups[parent].id if parent else None
                row = groups[slug]
                if row.parent_id != parent_id:
                    row.parent_id = parent_id
                    if states[slug] == "unchanged":
                        states[slug] = "changed"
                        row.release_id = rel
            for state in states.values():
                _count(tally, state)
            kept += overrides.created()
            tally.note_overrides(overrides.outcome())
            _retire_missing(groups, kept, tally, now)
            _english_slugs(session, r, "working_group", kept)
            _sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="working groups",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )

    # -- panels ------------------------------------------------------------------------

    def apply_panels(
        self,
        data: PanelsRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Expert panels with every field of seeds 000/001; each panel is also a designation."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            panels = {p.slug: p for p in session.scalars(select(Panel))}
            initiatives: dict[str, set[str]] = {
                g.slug: set(g.initiatives or ())
                for g in session.scalars(
                    select(WorkingGroup).where(WorkingGroup.retired_at.is_(None))
                )
            }
            kept: list[str] = []
            specs: list[_DesignationSpec] = []
            overrides = RowOverrides(session, "panel")  # corrections made in the editor area
            links = _EditorLinks(session)
            for p in data.panels:
                mark = r.mark()
                domain = (
                    r.entity(p.euracan_domain, EuracanDomain, "EURACAN domain", "reference")
                    if p.euracan_domain
                    else None
                )
                group = (
                    r.entity(p.working_group, WorkingGroup, "working group", "working-groups")
                    if p.working_group
                    else None
                )
                coordinating = (
                    r.institution(p.coordinating_institution)
                    if p.coordinating_institution
                    else None
                )
                members = r.institutions(p.member_institutions)
                codes = r.codes(p.scope_codes)
                if r.failed_since(mark):
                    continue
                if p.working_group and p.slug not in initiatives.get(p.working_group.value, set()):
                    r.warnings.append(
                        f"{r.file}: {p.where}: working group {p.working_group.value!r} does not "
                        f"list panel {p.slug!r} among its initiatives"
                    )
                if overrides.retired(p.slug):
                    continue
                kept.append(p.slug)
                slug_of = links.slugs()
                source_links = {
                    "coordinating_institution": slug_of.get(coordinating) if coordinating else None,
                    "member_institutions": sorted(slug_of[i] for i in members if i != coordinating),
                    "scope_orphacodes": sorted(c for c, _s in codes),
                }
                linked = overrides.apply(p.slug, source_links)
                if linked != source_links:  # the editors changed the panel's links
                    coordinating = links.institution(linked["coordinating_institution"])
                    members = links.institutions(linked["member_institutions"])
                    codes = links.codes(linked["scope_orphacodes"], codes)
                values: dict[str, Any] = {
                    "name_nl": p.name.nl,
                    "name_en": p.name.en,
                    "short_name": p.short_name,
                    "aliases": list(p.aliases),
                    "level": p.level,
                    "region_nl": _nl(p.region),
                    "region_en": _en(p.region),
                    "euracan_domain_id": domain,
                    "working_group_id": group,
                    "coordinating_institution_id": coordinating,
                    "scope_nl": _nl(p.scope),
                    "scope_en": _en(p.scope),
                    "disciplines_nl": list(p.disciplines.nl),
                    "disciplines_en": list(p.disciplines.en),
                    "turnaround_days_min": p.turnaround_days[0] if p.turnaround_days else None,
                    "turnaround_days_max": p.turnaround_days[1] if p.turnaround_days else None,
                    "submission_kind": p.submission_kind,
                    "portal_name": p.portal_name,
                    "submission_url": p.submission_url,
                    "submission_email": p.submission_email,
                    "contact_email": p.contact_email,
                    "contact_phone": p.contact_phone,
                    "website": p.website,
                    "founded": p.founded,
                    "clinical_trials_in_advice": p.clinical_trials_in_advice,
                    "certainty": p.certainty,
                    "sources": _sources_json(p.sources),
                }
                for stem, text in p.texts:
                    values[f"{stem}_nl"] = _nl(text)
                    values[f"{stem}_en"] = _en(text)
                values = overrides.apply(p.slug, values)
                row, state = _upsert(
                    session,
                    panels,
                    p.slug,
                    partial(Panel, slug=p.slug),
                    values,
                    rel,
                )
                session.flush()
                if _sync_scope(session, "panel", row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                excluded = _codes_only(r.codes(p.scope_exclude))
                if _sync_scope_exclusions(session, "panel", row.id, excluded):
                    state = "added" if state == "added" else "changed"
                wanted_inst = dict.fromkeys(members, "member")
                if coordinating is not None:
                    wanted_inst[coordinating] = "coordinating"
                have_inst = {
                    pi.institution_id: pi
                    for pi in session.scalars(
                        select(PanelInstitution).where(PanelInstitution.panel_id == row.id)
                    )
                }
                if {k: v.role for k, v in have_inst.items()} != wanted_inst:
                    for pi in have_inst.values():
                        session.delete(pi)
                    session.flush()
                    for inst, role in wanted_inst.items():
                        session.add(
                            PanelInstitution(panel_id=row.id, institution_id=inst, role=role)
                        )
                    state = "added" if state == "added" else "changed"
                _count(tally, state)
                ordered = ((coordinating,) if coordinating else ()) + tuple(
                    i for i in members if i != coordinating
                )
                specs.append(
                    _DesignationSpec(
                        key=p.slug,
                        kind="panel",
                        values={
                            "label_nl": p.name.nl,
                            "label_en": p.name.en,
                            "level": p.level,
                            "panel_id": row.id,
                            "working_group_id": group,
                            "certainty": p.certainty,
                            "population": p.population,
                            "source_ref": _refs_text(p.sources),
                            "sources": r.sources(p.sources, p.where),
                        },
                        institution_ids=ordered,
                        conditions=codes,
                        exclusions=excluded,
                    )
                )
            kept += overrides.created()
            tally.note_overrides(overrides.outcome())
            _retire_missing(panels, kept, tally, now)
            _english_slugs(
                session, r, "panel", kept, {p.slug: p.slug_en for p in data.panels if p.slug_en}
            )
            _sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="panels",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )

    # -- SONCOS ------------------------------------------------------------------------

    def apply_soncos(
        self,
        data: SoncosRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """SONCOS reference-centre requirements per tumour group, as designations."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            specs: list[_DesignationSpec] = []
            for s in data.records:
                mark = r.mark()
                institutions = r.institutions(s.institutions)
                codes = r.codes(s.orphacodes)
                excluded = _codes_only(r.codes(s.exclude))
                stored = r.sources(s.sources, s.where)
                if r.failed_since(mark):
                    continue
                specs.append(
                    _DesignationSpec(
                        key=s.slug,
                        kind="soncos_reference_centre",
                        values={
                            "label_nl": s.tumour_group.nl,
                            "label_en": s.tumour_group.en,
                            "level": s.requirement_kind,
                            "certainty": s.certainty,
                            "source_version": s.report_version,
                            "source_section": s.chapter,
                            "citation_nl": s.citation.nl,
                            "citation_en": s.citation.en,
                            "note_nl": _nl(s.notes),
                            "note_en": _en(s.notes),
                            "source_ref": _refs_text(s.sources),
                            "sources": stored,
                        },
                        institution_ids=institutions,
                        conditions=codes,
                        exclusions=excluded,
                    )
                )
            _sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="SONCOS records",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )

    # -- ECZA --------------------------------------------------------------------------

    def apply_ecza(
        self,
        data: EczaRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
        protected_keys: tuple[str, ...] = (),
    ) -> ImportReport:
        """ECZA recognitions, one designation per centre and ORPHAcode.

        Deprecated codes are followed to their successor (the code as written
        is kept); unknown codes and institutions are problems. With
        ``allow_partial``, ``protected_keys`` (rows the parser rejected but
        could identify) are not retired.
        """

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            specs: dict[str, _DesignationSpec] = {}
            lines: dict[str, int] = {}
            protected = set(protected_keys)
            for row in data.rows:
                mark = r.mark()
                institutions = r.institutions(row.institutions)
                found = r.code(row.code)
                ern = r.ern(row.ern) if row.ern else None
                stored = r.sources(row.sources, row.where)
                excluded = _codes_only(r.codes(row.exclude))
                if found is None:
                    continue
                key = ecza_key(row.centre_name, found[0])
                if r.failed_since(mark):
                    protected.add(key)
                    continue
                if key in specs:
                    r.problem(
                        row.where,
                        "orphacode",
                        f"centre {row.centre_name!r} is listed twice for ORPHA:{found[0]} "
                        f"(also line {lines[key]})",
                    )
                    continue
                expected = ECZA_TO_ORPHANET_LEVEL.get(row.level)
                actual = r.condition_level(found[0])
                if actual and expected and actual != expected:
                    r.warnings.append(
                        f"{r.file}: {row.where}, level: recognised at level {row.level!r} but "
                        f"ORPHA:{found[0]} is a {actual!r} in Orphanet"
                    )
                lines[key] = row.line
                specs[key] = _DesignationSpec(
                    key=key,
                    kind="ecza",
                    values={
                        "label_nl": row.centre_name,  # a Dutch name, not translated
                        "label_en": None,
                        "level": row.level,
                        "ern_id": ern,
                        "valid_from": row.valid_from,
                        "valid_until": row.valid_until,
                        "certainty": row.certainty,
                        "source_ref": "; ".join(
                            x for x in (row.source_ref, _refs_text(row.sources)) if x
                        ),
                        "sources": stored + ([{"ref": row.source_ref}] if row.source_ref else []),
                        "note_nl": _nl(row.note),
                        "note_en": _en(row.note),
                    },
                    institution_ids=institutions,
                    conditions=(found,),
                    exclusions=excluded,
                )
            _sync_designations(
                session, data.release.source, list(specs.values()), rel, tally, now, protected
            )
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="ECZA list",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )

    # -- the source register ---------------------------------------------------------

    def apply_sources(self, data: SourcesRelease, *, dry_run: bool = False) -> ImportReport:
        """The source register. An entry that facts still cite cannot be retired."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            existing = {d.slug: d for d in session.scalars(select(SourceDocument))}
            for doc in data.documents:
                _row, state = _upsert(
                    session,
                    existing,
                    doc.slug,
                    partial(SourceDocument, slug=doc.slug),
                    {
                        "publisher": doc.publisher,
                        "publisher_kind": doc.publisher_kind,
                        "title": doc.title,
                        "url": doc.url,
                        "page_date": doc.page_date,
                        "read_on": doc.read_on,
                        "language": doc.language,
                        "note_nl": _nl(doc.note),
                        "note_en": _en(doc.note),
                    },
                    rel,
                )
                _count(tally, state)
            kept = {d.slug for d in data.documents}
            gone = {
                slug for slug, row in existing.items() if slug not in kept and not row.retired_at
            }
            if gone:
                for slug in sorted(_cited_sources(session) & gone):
                    r.problem(
                        "document",
                        "sources",
                        f"source {slug!r} is still cited by the catalogue; it cannot be removed",
                    )
            _retire_missing(existing, kept, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="source register",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
        )

    # -- patient organisations and information pages ---------------------------------------

    def apply_patient_resources(
        self, data: PatientResourcesRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """Resources with the codes they are for (and not for); missing ones are retired."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            existing = {x.slug: x for x in session.scalars(select(PatientResource))}
            kept: list[str] = []
            for res in data.resources:
                mark = r.mark()
                codes = _codes_only(r.codes(res.orphacodes))
                excluded = _codes_only(r.codes(res.exclude))
                stored = r.sources(res.sources, res.where)
                if r.failed_since(mark):
                    continue
                kept.append(res.slug)
                row, state = _upsert(
                    session,
                    existing,
                    res.slug,
                    partial(PatientResource, slug=res.slug),
                    {
                        "kind": res.kind,
                        "name": res.name,
                        "website": res.website,
                        "description_nl": res.description.nl,
                        "description_en": res.description.en,
                        "sources": stored,
                    },
                    rel,
                )
                session.flush()
                want = {(c, False) for c in codes} | {(c, True) for c in excluded}
                have = {
                    (x.orphacode, x.excluded)
                    for x in session.scalars(
                        select(PatientResourceCondition).where(
                            PatientResourceCondition.resource_id == row.id
                        )
                    )
                }
                if want != have:
                    session.execute(
                        delete(PatientResourceCondition).where(
                            PatientResourceCondition.resource_id == row.id
                        )
                    )
                    session.add_all(
                        PatientResourceCondition(resource_id=row.id, orphacode=c, excluded=x)
                        for c, x in sorted(want)
                    )
                    state = "added" if state == "added" else "changed"
                _count(tally, state)
            _retire_missing(existing, kept, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="patient resources",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
        )

    # -- the conditions people look up most -----------------------------------------------

    def apply_priority_conditions(
        self, data: PriorityConditionsRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """The list replaces the previous one; every code must be in the catalogue."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            rel = self._release_id(session, data.release)
            existing = {p.orphacode: p for p in session.scalars(select(PriorityCondition))}
            wanted: dict[int, tuple[int, Bilingual]] = {}
            for n, item in enumerate(data.conditions, start=1):
                found = r.code(item.code)
                if found is not None:
                    wanted[found[0]] = (n, item.topic)
            for code, (position, topic) in wanted.items():
                row = existing.get(code)
                values = {"position": position, "topic_nl": topic.nl, "topic_en": topic.en}
                if row is None:
                    session.add(PriorityCondition(orphacode=code, release_id=rel, **values))
                    tally.added += 1
                elif any(getattr(row, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(row, k, v)
                    row.release_id = rel
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            for code, row in existing.items():
                if code not in wanted:
                    session.delete(row)
                    tally.retired += 1
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="list of conditions",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
        )

    # -- other named expertise centres ---------------------------------------------------

    def apply_expertise_centres(
        self,
        data: ExpertiseCentresRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Centres a public source names (national, reference, ENETS, children's), as
        designations of kind ``expertise_centre``."""

        def body(session: Session, tally: ChangeTally, r: _Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            specs: list[_DesignationSpec] = []
            for c in data.centres:
                mark = r.mark()
                institutions = r.institutions(c.institutions)
                codes = r.codes(c.orphacodes)
                excluded = _codes_only(r.codes(c.exclude))
                stored = r.sources(c.sources, c.where)
                if r.failed_since(mark):
                    continue
                specs.append(
                    _DesignationSpec(
                        key=c.slug,
                        kind="expertise_centre",
                        values={
                            "label_nl": c.name.nl,
                            "label_en": c.name.en,
                            "level": c.basis,
                            "population": c.population,
                            "certainty": c.certainty,
                            "note_nl": _nl(c.note),
                            "note_en": _en(c.note),
                            "source_ref": _refs_text(c.sources),
                            "sources": stored,
                        },
                        institution_ids=institutions,
                        conditions=codes,
                        exclusions=excluded,
                    )
                )
            _sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="expertise centres",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )

    # -- edits approved in the editor area (inside the editorial service's transaction) --

    def edit_row(
        self,
        session: Session,
        kind: str,
        slug: str,
        values: dict[str, Any],
        release: ReleaseInfo,
        *,
        create: bool = False,
    ) -> None:
        """Set columns of one panel, working group or institution (editor area).

        With ``create`` a new row is made. A panel's designation keeps its label.
        Re-imports keep these values through the editors' overrides.
        """
        model = EDITABLE_MODELS[kind]
        now = utcnow()
        rel = self._release_id(session, release)
        row = session.scalar(select(model).where(model.slug == slug))
        if row is None:
            if not create:
                raise LookupError(f"no {kind} {slug!r}")
            row = model(slug=slug, release_id=rel, **EDITOR_CREATE_DEFAULTS.get(kind, {}))
            session.add(row)
        aliases = values.pop("aliases", None) if kind == "institution" else None
        for attr, value in values.items():
            setattr(row, attr, value)
        row.release_id = rel
        if hasattr(row, "updated_at"):
            row.updated_at = now
        session.flush()
        if aliases is not None:
            self._set_aliases(session, row, [str(a) for a in aliases])
        if kind == "panel":
            for d in session.scalars(select(Designation).where(Designation.panel_id == row.id)):
                d.label_nl, d.label_en, d.updated_at = row.name_nl, row.name_en, now

    @staticmethod
    def _set_aliases(session: Session, inst: Institution, aliases: list[str]) -> None:
        """Make ``aliases`` the institution's aliases; new ones have origin ``editor``."""
        wanted = {fold_name(a): a for a in aliases if fold_name(a)}
        have = {
            a.key: a
            for a in session.scalars(
                select(InstitutionAlias).where(InstitutionAlias.institution_id == inst.id)
            )
        }
        for key, row in have.items():
            if key not in wanted:
                session.delete(row)
            elif row.alias != wanted[key]:
                row.alias = wanted[key]
        session.flush()
        for key, alias in wanted.items():
            if key not in have:
                session.add(
                    InstitutionAlias(institution_id=inst.id, alias=alias, key=key, origin="editor")
                )

    def retire_row(self, session: Session, kind: str, slug: str, *, retired: bool = True) -> None:
        """Retire (or bring back) one panel, working group or institution, with its facts."""
        model = EDITABLE_MODELS[kind]
        row = session.scalar(select(model).where(model.slug == slug))
        if row is None:
            raise LookupError(f"no {kind} {slug!r}")
        now = utcnow()
        row.retired_at = now if retired else None
        # The row's own facts: a working group's centres and partners, not its panels
        # (whose designations name the group too).
        owned = {
            "panel": Designation.panel_id == row.id,
            "working_group": (Designation.working_group_id == row.id)
            & Designation.kind.in_(("working_group_centre", "preferred_partner")),
        }
        if kind in owned:
            for d in session.scalars(select(Designation).where(owned[kind])):
                d.retired_at, d.updated_at = (now if retired else None), now

    def edit_designation(
        self,
        session: Session,
        source: str,
        key: str,
        kind: str,
        values: dict[str, Any],
        release: ReleaseInfo,
        *,
        institutions: Sequence[str] | None = None,
        orphacodes: Sequence[int] | None = None,
        create: bool = False,
    ) -> None:
        """Write one designation entered in the editor area (e.g. an ECZA row by hand).

        ``institutions`` are slugs in order, ``orphacodes`` existing codes; None leaves
        them as they are. Such designations have a source of their own, so imports of
        the official lists never touch them.
        """
        rel = self._release_id(session, release)
        now = utcnow()
        d = session.scalar(
            select(Designation).where(Designation.source == source, Designation.key == key)
        )
        if d is None:
            if not create:
                raise LookupError(f"no designation {source}/{key}")
            d = Designation(source=source, key=key, kind=kind, first_release_id=rel, created_at=now)
            session.add(d)
        for attr, value in values.items():
            setattr(d, attr, value)
        d.kind, d.release_id, d.updated_at, d.checked_on = kind, rel, now, now.date()
        session.flush()
        if institutions is not None:
            rows = session.execute(
                select(Institution.slug, Institution.id).where(
                    Institution.slug.in_(list(institutions))
                )
            )
            ids: dict[str, int] = {row.slug: row.id for row in rows}
            missing = [slug for slug in institutions if slug not in ids]
            if missing:
                raise LookupError(f"no institution {missing[0]!r}")
            d.institutions.clear()
            session.flush()
            d.institutions.extend(
                DesignationInstitution(institution_id=ids[slug], position=n)
                for n, slug in enumerate(institutions)
            )
        if orphacodes is not None:
            d.conditions.clear()
            session.flush()
            d.conditions.extend(DesignationCondition(orphacode=code) for code in orphacodes)

    def retire_designation(
        self, session: Session, source: str, key: str, *, retired: bool = True
    ) -> None:
        d = session.scalar(
            select(Designation).where(Designation.source == source, Designation.key == key)
        )
        if d is None:
            raise LookupError(f"no designation {source}/{key}")
        now = utcnow()
        d.retired_at, d.updated_at = (now if retired else None), now

    def set_links(
        self,
        session: Session,
        kind: str,
        slug: str,
        links: dict[str, Any],
        release: ReleaseInfo,
    ) -> None:
        """Set a panel's or working group's institutions and ORPHAcodes (editor area).

        ``links`` holds any of ``coordinating_institution`` (a slug or None),
        ``member_institutions`` (panel), ``centre_institutions`` (working group),
        all slugs, and ``scope_orphacodes`` (existing codes). The scope and the
        institution rows change, and so does the expertise fact (designation of kind
        ``panel`` / ``working_group_centre``) that puts the panel or group on the
        condition pages; a panel or group made in the editor area gets one with the
        source ``editor-panels`` / ``editor-working-groups``.
        """
        model = EDITABLE_MODELS[kind]
        row = session.scalar(select(model).where(model.slug == slug))
        if row is None:
            raise LookupError(f"no {kind} {slug!r}")
        wanted = [str(links.get("coordinating_institution") or "")] + [
            str(s)
            for s in [*links.get("member_institutions", ()), *links.get("centre_institutions", ())]
        ]
        wanted = [s for s in wanted if s]
        ids: dict[str, int] = {
            r.slug: r.id
            for r in session.execute(
                select(Institution.slug, Institution.id).where(Institution.slug.in_(wanted))
            )
        }
        missing = [s for s in wanted if s not in ids]
        if missing:
            raise LookupError(f"no institution {missing[0]!r}")
        if "scope_orphacodes" in links:
            _sync_scope(session, kind, row.id, [int(c) for c in links["scope_orphacodes"]])
        codes = sorted(
            session.scalars(
                select(ScopeCondition.orphacode).where(
                    ScopeCondition.owner_kind == kind, ScopeCondition.owner_id == row.id
                )
            )
        )
        now = utcnow()
        if kind == "panel":
            have = {
                pi.institution_id: pi
                for pi in session.scalars(
                    select(PanelInstitution).where(PanelInstitution.panel_id == row.id)
                )
            }
            coordinating = (
                ids.get(str(links["coordinating_institution"] or ""))
                if "coordinating_institution" in links
                else row.coordinating_institution_id
            )
            members = (
                [ids[str(s)] for s in links["member_institutions"]]
                if "member_institutions" in links
                else [i for i, pi in have.items() if pi.role == "member"]
            )
            wanted_roles = dict.fromkeys(members, "member")
            if coordinating is not None:
                wanted_roles[coordinating] = "coordinating"
            if {k: v.role for k, v in have.items()} != wanted_roles:
                for pi in have.values():
                    session.delete(pi)
                session.flush()
                for inst, role in wanted_roles.items():
                    session.add(PanelInstitution(panel_id=row.id, institution_id=inst, role=role))
            row.coordinating_institution_id = coordinating
            ordered = ([coordinating] if coordinating else []) + [
                i for i in members if i != coordinating
            ]
            facts = list(session.scalars(select(Designation).where(Designation.panel_id == row.id)))
            own_kind, own_source = "panel", "editor-panels"
        else:
            facts = list(
                session.scalars(
                    select(Designation).where(
                        Designation.working_group_id == row.id,
                        Designation.kind.in_(("working_group_centre", "preferred_partner")),
                    )
                )
            )
            centre = next((d for d in facts if d.kind == "working_group_centre"), None)
            ordered = (
                [ids[str(s)] for s in links["centre_institutions"]]
                if "centre_institutions" in links
                else [i.institution_id for i in centre.institutions]
                if centre is not None
                else []
            )
            own_kind, own_source = "working_group_centre", "editor-working-groups"
        own = next((d for d in facts if d.kind == own_kind), None)
        if own is None:
            rel = self._release_id(session, release)
            own = Designation(
                source=own_source,
                key=slug,
                kind=own_kind,
                label_nl=row.name_nl,
                label_en=row.name_en,
                level=getattr(row, "level", None),
                panel_id=row.id if kind == "panel" else None,
                working_group_id=row.id if kind == "working_group" else None,
                source_ref="Expertisewijzer editors",
                release_id=rel,
                first_release_id=rel,
                created_at=now,
                retired_at=row.retired_at,
            )
            session.add(own)
            facts.append(own)
        session.flush()
        if [i.institution_id for i in own.institutions] != ordered:
            own.institutions.clear()
            session.flush()
            own.institutions.extend(
                DesignationInstitution(institution_id=i, position=n) for n, i in enumerate(ordered)
            )
        for d in facts:  # a preferred partner covers the group's scope too
            if sorted(c.orphacode for c in d.conditions) != codes:
                source_codes = {c.orphacode: c.source_code for c in d.conditions}
                d.conditions.clear()
                session.flush()
                d.conditions.extend(
                    DesignationCondition(orphacode=c, source_code=source_codes.get(c))
                    for c in codes
                )
            d.updated_at, d.checked_on = now, now.date()

    def set_network_members(
        self, session: Session, slug: str, members: Sequence[tuple[str, str]], release: ReleaseInfo
    ) -> None:
        """Make ``members`` ((institution slug, role) pairs) a network's current memberships.

        Memberships no longer listed are retired; facts the source gave about a
        membership that stays (region, partner, note) are kept.
        """
        network = session.scalar(select(Network).where(Network.slug == slug))
        if network is None:
            raise LookupError(f"no network {slug!r}")
        rel = self._release_id(session, release)
        ids: dict[str, int] = {
            r.slug: r.id
            for r in session.execute(
                select(Institution.slug, Institution.id).where(
                    Institution.slug.in_([m[0] for m in members])
                )
            )
        }
        roles = set(session.scalars(select(NetworkRole.code)))
        wanted: set[tuple[int, str]] = set()
        for inst_slug, role in members:
            if inst_slug not in ids:
                raise LookupError(f"no institution {inst_slug!r}")
            if role not in roles:
                raise LookupError(f"no network role {role!r}")
            wanted.add((ids[inst_slug], role))
        now = utcnow()
        have = {
            (m.institution_id, m.role): m
            for m in session.scalars(
                select(NetworkMembership).where(NetworkMembership.network_id == network.id)
            )
        }
        for key, m in have.items():
            if key in wanted and m.retired_at is not None:
                m.retired_at, m.release_id = None, rel
            elif key not in wanted and m.retired_at is None:
                m.retired_at = now
        for inst_id, role in sorted(wanted - set(have)):
            session.add(
                NetworkMembership(
                    network_id=network.id,
                    institution_id=inst_id,
                    role=role,
                    certainty="editor",
                    release_id=rel,
                )
            )
        session.flush()

    def edit_site(
        self,
        session: Session,
        key: str,
        values: dict[str, Any],
        release: ReleaseInfo,
        *,
        create: bool = False,
    ) -> None:
        """Set a site's institution (slug), name, kind, address, postcode and place.

        The coordinates follow the postcode (the gazetteer's PC4 centre); a postcode
        the gazetteer lacks is refused (the editor area checks this first).
        """
        rel = self._release_id(session, release)
        values = dict(values)
        slug = values.pop("institution", None)
        inst_id = None
        if slug is not None:
            inst_id = session.scalar(select(Institution.id).where(Institution.slug == slug))
            if inst_id is None:
                raise LookupError(f"no institution {slug!r}")
        point = site_point(session, values.get("postcode"))
        if values.get("postcode") and point is None:
            raise LookupError(f"postcode {values['postcode']!r} is not in the gazetteer")
        row = session.scalar(select(Site).where(Site.key == key))
        if row is None:
            if not create:
                raise LookupError(f"no site {key!r}")
            row = Site(key=key, source_ref="Expertisewijzer editors", certainty="editor")
        if inst_id is not None:
            row.institution_id = inst_id
        if "postcode" in values:
            row.pc4, row.lat, row.lon = point or (None, None, None)
        for attr, value in values.items():
            setattr(row, attr, value)
        row.release_id = rel
        session.add(row)
        session.flush()

    def retire_site(self, session: Session, key: str, *, retired: bool = True) -> None:
        row = session.scalar(select(Site).where(Site.key == key))
        if row is None:
            raise LookupError(f"no site {key!r}")
        row.retired_at = utcnow() if retired else None

    # -- maintenance -------------------------------------------------------------------

    def fill_english_slugs(self) -> int:
        """Give every panel, working group, network and body area without an English
        slug one (after the migration that added them); how many were given."""
        with self._sessions.begin() as session:
            given = sum(EnglishSlugs(session, kind).fill_missing() for kind in ENGLISH_SLUG_MODELS)
            if given:
                bump_version(session)  # English addresses changed: pages and index follow
            return given

    def delete_everything(self) -> None:
        """Empty the expertise tables (tests and `db reset`); the Orphanet spine stays."""
        with self._sessions() as session, session.begin():
            for model in (
                DesignationCondition,
                DesignationInstitution,
                Designation,
                PanelInstitution,
                ScopeCondition,
                Panel,
                WorkingGroup,
                NetworkMembership,
                Network,
                NetworkRole,
                Ern,
                EuracanDomain,
                BodyArea,
                Site,
                InstitutionAlias,
                Institution,
            ):
                session.execute(delete(model))


def _cited_sources(session: Session) -> set[str]:
    """Slugs of the source register cited by any current fact."""
    cited: set[str] = set()
    for model in (Institution, Network, WorkingGroup, Panel, Designation, Ern, EuracanDomain):
        for raw in session.scalars(select(model.sources).where(model.retired_at.is_(None))):
            cited.update(
                s["source"]
                for s in raw or ()
                if isinstance(s, dict) and isinstance(s.get("source"), str)
            )
    return cited


def _problem_order(p: Problem) -> tuple[int, str, str]:
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


def ecza_key(centre_name: str, orphacode: int) -> str:
    """The natural key of an ECZA recognition: the centre (folded name) and the code."""
    return f"{fold_name(centre_name)}|{orphacode}"
