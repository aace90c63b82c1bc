"""The catalogue service: the only code that writes the catalogue.

Importers, the CLI, editor screens and tests change the catalogue through
:class:`CatalogueService`. Each ``apply_*`` method takes typed records, applies
them in ONE transaction, and records an :class:`~directory.conditions.models.ImportRun`.
On any error the transaction is rolled back (the catalogue is exactly as
before) and a failed run is recorded separately. Applying the same release
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from directory.caps import capped_lines, capped_problems
from directory.catalogue_version import bump_version
from directory.changes import ChangeRecorder
from directory.clock import utcnow
from directory.conditions.models import (
    Classification,
    ClassificationEdge,
    Condition,
    ConditionDefinition,
    ConditionName,
    ConditionRedirect,
    CrossReference,
    GazetteerPlace,
    GazetteerPostcode,
    ImportRun,
    LayTerm,
    NameApproval,
    ProposedSummary,
    SearchAlias,
    SourceRelease,
    ZeroResultQuery,
)
from directory.conditions.records import (
    DISORDER_TYPE_LEVEL,
    ClassificationRelease,
    EditorialNames,
    NomenclatureRelease,
    ProposedSummaries,
    ReleaseInfo,
)
from directory.conditions.search_records import (
    CodeMappingsRelease,
    GazetteerRelease,
    LayTermsRelease,
    SearchAliasesRelease,
)
from directory.editorial.overrides import (
    Disagreement,
    OverrideOutcome,
    override_editorial_names,
    override_lay_terms,
)
from directory.errors import InputRejected
from directory.reports import ChangeCounts, ImportReport, Problem
from directory.retirement import RetirementGuard


@dataclass
class ChangeTally:
    """Mutable counter used while applying one release."""

    added: int = 0
    changed: int = 0
    retired: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # row by row, dry runs only
    disagreements: list[Disagreement] = field(default_factory=list)  # also in warnings

    def freeze(self) -> ChangeCounts:
        return ChangeCounts(self.added, self.changed, self.retired, self.unchanged)

    def note_overrides(self, outcome: OverrideOutcome) -> None:
        """What the editors' overrides did: lines in the warnings, disagreements kept apart."""
        self.warnings.extend(outcome.warnings())
        self.disagreements.extend(outcome.disagreements)

    def override_warnings(self, warnings: tuple[str, ...]) -> tuple[str, ...]:
        """The lines of ``warnings`` (as capped for the report) that are disagreements."""
        lines = {str(d) for d in self.disagreements}
        return tuple(w for w in warnings if w in lines)


ApplyFn = Callable[[Session, ChangeTally], int | None]


class _DryRun(Exception):
    """Raised inside a transaction to roll a dry run back."""


class CatalogueService:
    """Writes to the catalogue. Construct with a session factory."""

    def __init__(
        self, session_factory: sessionmaker[Session], *, guard: RetirementGuard | None = None
    ) -> None:
        self._sessions = session_factory
        self._guard = guard

    def guarded(self, guard: RetirementGuard) -> CatalogueService:
        """This service, with imports checked against ``guard`` (empty lists, mass retirement)."""
        return CatalogueService(self._sessions, guard=guard)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """The session factory, for services that write other parts of the catalogue."""
        return self._sessions

    # -- runs ----------------------------------------------------------------

    def run(
        self,
        source: str,
        file_name: str,
        sha256: str | None,
        apply: ApplyFn,
        *,
        dry_run: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Apply ``apply`` in one transaction and record the run.

        ``apply`` returns the id of the source release it wrote (or None).
        ``rejected`` are problems already found by the importer for rows it
        left out (``--allow-partial``); they are kept in the run report.
        """
        started = utcnow()
        tally = ChangeTally()
        status = "dry_run" if dry_run else ("partial" if rejected else "succeeded")
        try:
            with self._sessions() as session, session.begin():
                # A dry run also lists the rows it would change (for the editors' preview).
                recorder = ChangeRecorder(session) if dry_run else None
                release_id = apply(session, tally)
                if self._guard is not None:  # raising here rolls the whole run back
                    self._guard.check(tally.freeze(), file=file_name, dry_run=dry_run)
                if not dry_run:
                    bump_version(session)  # the search indexes are owed this version
                if recorder is not None:
                    session.flush()
                    tally.changes = recorder.close()
                run = ImportRun(
                    source=source,
                    file_name=file_name,
                    sha256=sha256,
                    started_at=started,
                    finished_at=utcnow(),
                    status=status,
                    dry_run=dry_run,
                    added=tally.added,
                    changed=tally.changed,
                    retired=tally.retired,
                    unchanged=tally.unchanged,
                    warnings=list(capped_lines(tally.warnings)),
                    problems=[_problem_json(p) for p in capped_problems(rejected)],
                    release_id=release_id,
                )
                session.add(run)
                session.flush()
                run_id = run.id
                if dry_run:
                    raise _DryRun
        except _DryRun:
            run_id = self._record_run(
                source, file_name, sha256, started, "dry_run", tally, rejected
            )
        warnings = capped_lines(tally.warnings)
        return ImportReport(
            run_id=run_id,
            source=source,
            file_name=file_name,
            status=status,
            counts=tally.freeze(),
            warnings=warnings,
            override_warnings=tally.override_warnings(warnings),
            problems=capped_problems(rejected),
            changes=tuple(tally.changes),
        )

    def _record_run(
        self,
        source: str,
        file_name: str,
        sha256: str | None,
        started: dt.datetime,
        status: str,
        tally: ChangeTally,
        problems: tuple[Problem, ...],
    ) -> int:
        with self._sessions() as session, session.begin():
            run = ImportRun(
                source=source,
                file_name=file_name,
                sha256=sha256,
                started_at=started,
                finished_at=utcnow(),
                status=status,
                dry_run=status == "dry_run",
                added=tally.added,
                changed=tally.changed,
                retired=tally.retired,
                unchanged=tally.unchanged,
                warnings=list(capped_lines(tally.warnings)),
                problems=[_problem_json(p) for p in capped_problems(problems)],
            )
            session.add(run)
            session.flush()
            return run.id

    def record_failed_run(
        self,
        source: str,
        file_name: str,
        sha256: str | None,
        problems: tuple[Problem, ...],
        *,
        started: dt.datetime | None = None,
    ) -> int:
        """Record a run that failed before or while writing (nothing was written)."""
        return self._record_run(
            source, file_name, sha256, started or utcnow(), "failed", ChangeTally(), problems
        )

    # -- releases --------------------------------------------------------------

    @staticmethod
    def _release(session: Session, info: ReleaseInfo) -> SourceRelease:
        existing = session.scalars(
            select(SourceRelease).where(
                SourceRelease.source == info.source, SourceRelease.sha256 == info.sha256
            )
        ).first()
        if existing is not None:
            return existing
        rel = SourceRelease(
            source=info.source,
            version=info.version,
            release_date=info.release_date,
            language=info.language,
            licence=info.licence,
            attribution=info.attribution,
            url=info.url,
            file_name=info.file_name,
            sha256=info.sha256,
        )
        session.add(rel)
        session.flush()
        return rel

    def release(self, session: Session, info: ReleaseInfo) -> SourceRelease:
        """The source release for ``info`` in this session, created when new.

        For other writers of the catalogue (e.g. the expertise service) that
        record their releases in the same table.
        """
        return self._release(session, info)

    @staticmethod
    def _release_dates(session: Session) -> dict[int, dt.date]:
        return {
            r.id: (r.release_date or dt.date.min) for r in session.scalars(select(SourceRelease))
        }

    # -- Orphanet nomenclature ---------------------------------------------------

    def apply_nomenclature(
        self, data: NomenclatureRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """Names, synonyms, definitions, status, redirects and cross-references."""

        def apply(session: Session, tally: ChangeTally) -> int:
            rel = self._release(session, data.release)
            dates = self._release_dates(session)
            new_date = data.release.release_date or dt.date.min
            lang = data.lang
            conditions = {c.orphacode: c for c in session.scalars(select(Condition))}
            names: dict[int, list[ConditionName]] = defaultdict(list)
            for n in session.scalars(
                select(ConditionName).where(
                    ConditionName.lang == lang, ConditionName.origin == "orphanet"
                )
            ):
                names[n.orphacode].append(n)
            definitions = {
                d.orphacode: d
                for d in session.scalars(
                    select(ConditionDefinition).where(
                        ConditionDefinition.lang == lang, ConditionDefinition.origin == "orphanet"
                    )
                )
            }
            redirects = {
                (r.from_code, r.to_code): r for r in session.scalars(select(ConditionRedirect))
            }
            xrefs: dict[int, dict[tuple[str, str], CrossReference]] = defaultdict(dict)
            # Only Orphanet's own rows: the editorial ICD-10 table is never touched here.
            for x in session.scalars(
                select(CrossReference).where(CrossReference.origin == "orphanet")
            ):
                xrefs[x.orphacode][(x.system, x.code)] = x

            # Pass 1: conditions and their texts.
            for e in data.entries:
                changed = False
                cond = conditions.get(e.orphacode)
                if cond is None:
                    cond = Condition(
                        orphacode=e.orphacode,
                        level=e.level,
                        disorder_type=e.disorder_type,
                        disorder_type_id=e.disorder_type_id,
                        status=e.status,
                        release_id=rel.id,
                    )
                    session.add(cond)
                    conditions[e.orphacode] = cond
                    tally.added += 1
                    is_new = True
                else:
                    is_new = False
                    newer = new_date >= dates.get(cond.release_id, dt.date.min)
                    wanted = {
                        "level": e.level or cond.level,
                        "disorder_type_id": e.disorder_type_id or cond.disorder_type_id,
                        "status": e.status if newer else cond.status,
                    }
                    if lang == "en" and e.disorder_type:
                        wanted["disorder_type"] = e.disorder_type
                    for attr, value in wanted.items():
                        if getattr(cond, attr) != value:
                            setattr(cond, attr, value)
                            changed = True
                    if changed and newer:
                        cond.release_id = rel.id
                changed |= _sync_names(
                    session,
                    e.orphacode,
                    lang,
                    "orphanet",
                    e.name,
                    e.synonyms,
                    names.get(e.orphacode, []),
                    rel.id,
                    new_date,
                    dates,
                )
                if e.definition:
                    d = definitions.get(e.orphacode)
                    if d is None:
                        session.add(
                            ConditionDefinition(
                                orphacode=e.orphacode,
                                lang=lang,
                                origin="orphanet",
                                text=e.definition,
                                release_id=rel.id,
                            )
                        )
                        changed = True
                    elif d.text != e.definition and new_date >= dates.get(
                        d.release_id, dt.date.min
                    ):
                        d.text = e.definition
                        d.release_id = rel.id
                        changed = True
                if e.xrefs is not None:
                    have = xrefs.get(e.orphacode, {})
                    want = {(ref.system, ref.code): ref for ref in e.xrefs}
                    for key in set(have) - set(want):
                        session.delete(have[key])
                        changed = True
                    for key, ref in want.items():
                        stored = have.get(key)
                        if stored is None:
                            session.add(
                                CrossReference(
                                    orphacode=e.orphacode,
                                    system=ref.system,
                                    code=ref.code,
                                    origin="orphanet",
                                    relation=ref.relation,
                                    validation=ref.validation,
                                    release_id=rel.id,
                                )
                            )
                            changed = True
                        elif (stored.relation, stored.validation) != (ref.relation, ref.validation):
                            stored.relation, stored.validation = ref.relation, ref.validation
                            stored.release_id = rel.id
                            changed = True
                if not is_new:
                    if changed:
                        tally.changed += 1
                    else:
                        tally.unchanged += 1
            session.flush()

            # Pass 2: redirects, now that every code of the file exists.
            for e in data.entries:
                for r in e.redirects:
                    if r.to_code not in conditions or r.from_code not in conditions:
                        missing = r.to_code if r.to_code not in conditions else r.from_code
                        tally.warnings.append(
                            f"ORPHA:{r.from_code} -> ORPHA:{r.to_code} ({r.kind}): "
                            f"ORPHA:{missing} is not in the catalogue; redirect skipped"
                        )
                        continue
                    known = redirects.get((r.from_code, r.to_code))
                    if known is None:
                        red = ConditionRedirect(
                            from_code=r.from_code,
                            to_code=r.to_code,
                            kind=r.kind,
                            release_id=rel.id,
                        )
                        session.add(red)
                        redirects[(r.from_code, r.to_code)] = red
                    elif known.kind != r.kind:
                        known.kind = r.kind
                        known.release_id = rel.id
            return rel.id

        return self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
        )

    # -- Orphanet classification -------------------------------------------------

    def apply_classification(
        self, data: ClassificationRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """Replace one classification's edges with this release's; add new codes."""

        def apply(session: Session, tally: ChangeTally) -> int:
            rel = self._release(session, data.release)
            dates = self._release_dates(session)
            new_date = data.release.release_date or dt.date.min
            current = session.get(Classification, data.classification_id)
            if current is not None and new_date < dates.get(current.release_id, dt.date.min):
                tally.unchanged += len(data.edges)
                tally.warnings.append(
                    f"classification {data.classification_id}: this release "
                    f"({data.release.release_date}) is older than the one in the catalogue "
                    f"({dates[current.release_id]}); nothing changed"
                )
                return rel.id
            conditions = {c.orphacode: c for c in session.scalars(select(Condition))}
            preferred: dict[int, list[ConditionName]] = defaultdict(list)
            for n in session.scalars(
                select(ConditionName).where(
                    ConditionName.lang == data.lang,
                    ConditionName.origin == "orphanet",
                    ConditionName.kind == "preferred",
                )
            ):
                preferred[n.orphacode].append(n)

            for node in data.nodes:
                cond = conditions.get(node.orphacode)
                if cond is None:
                    level = (
                        DISORDER_TYPE_LEVEL.get(node.disorder_type_id)
                        if node.disorder_type_id is not None
                        else None
                    )
                    cond = Condition(
                        orphacode=node.orphacode,
                        level=level,
                        disorder_type=node.disorder_type if data.lang == "en" else None,
                        disorder_type_id=node.disorder_type_id,
                        status="active",
                        release_id=rel.id,
                    )
                    session.add(cond)
                    conditions[node.orphacode] = cond
                    tally.added += 1
                    session.add(
                        ConditionName(
                            orphacode=node.orphacode,
                            lang=data.lang,
                            kind="preferred",
                            origin="orphanet",
                            text=node.name,
                            release_id=rel.id,
                        )
                    )
                    continue
                changed = False
                if cond.status != "active" and new_date >= dates.get(cond.release_id, dt.date.min):
                    # A code present in a newer classification is in use again.
                    cond.status = "active"
                    cond.release_id = rel.id
                    changed = True
                if cond.level is None and node.disorder_type_id in DISORDER_TYPE_LEVEL:
                    cond.level = DISORDER_TYPE_LEVEL[node.disorder_type_id]
                    changed = True
                changed |= _sync_preferred(
                    session,
                    node.orphacode,
                    data.lang,
                    "orphanet",
                    node.name,
                    preferred.get(node.orphacode, []),
                    rel.id,
                    new_date,
                    dates,
                )
                if changed:
                    tally.changed += 1
                else:
                    tally.unchanged += 1

            cls = session.get(Classification, data.classification_id)
            if cls is None:
                session.add(
                    Classification(
                        id=data.classification_id,
                        orphanumber=data.orphanumber,
                        name=data.name,
                        release_id=rel.id,
                    )
                )
            else:
                cls.name, cls.orphanumber, cls.release_id = data.name, data.orphanumber, rel.id
            session.flush()

            have = {
                (e.parent_code, e.child_code): e
                for e in session.scalars(
                    select(ClassificationEdge).where(
                        ClassificationEdge.classification_id == data.classification_id
                    )
                )
            }
            want = {
                (e.parent, e.child): {
                    "classification_id": data.classification_id,
                    "parent_code": e.parent,
                    "child_code": e.child,
                    "position": e.position,
                }
                for e in data.edges
            }
            _sync_rows(session, ClassificationEdge, have, want, ("position",), rel.id, tally)
            return rel.id

        return self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
        )

    # -- editorial names ---------------------------------------------------------

    def apply_editorial_names(
        self,
        data: EditorialNames,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Editors' names for one language; codes must exist in the catalogue.

        ``rejected`` are rows the parser already left out (with allow_partial).
        """
        rejected_rows: list[Problem] = list(rejected)

        def apply(session: Session, tally: ChangeTally) -> int:
            known, problems = _check_codes(
                session,
                data.release.file_name,
                [(e.orphacode, f"ORPHA:{e.orphacode}") for e in data.entries],
                allow_partial=allow_partial,
            )
            rejected_rows.extend(problems)
            rel = self._release(session, data.release)
            # Corrections made in the editor area win over the file (overrides).
            entries, outcome = override_editorial_names(session, data.lang, data.entries, known)
            tally.note_overrides(outcome)
            existing: dict[int, list[ConditionName]] = defaultdict(list)
            for n in session.scalars(
                select(ConditionName).where(
                    ConditionName.lang == data.lang, ConditionName.origin == "editorial"
                )
            ):
                existing[n.orphacode].append(n)
            seen: set[int] = set()
            dates = self._release_dates(session)
            approved = set(
                session.execute(
                    select(NameApproval.orphacode, NameApproval.text).where(
                        NameApproval.lang == data.lang
                    )
                ).all()
            )
            originals = {e.orphacode: e.preferred for e in data.entries}
            for e in entries:
                if e.orphacode not in known:
                    continue
                seen.add(e.orphacode)
                had = bool(existing.get(e.orphacode))
                changed = _sync_names(
                    session,
                    e.orphacode,
                    data.lang,
                    "editorial",
                    e.preferred,
                    e.synonyms,
                    existing.get(e.orphacode, []),
                    rel.id,
                    dt.date.max,
                    dates,
                )
                # A proposal stays one until an editor approves it; a name the editors
                # corrected in the editor area (an override) was reviewed by two people.
                proposed = (
                    e.proposed
                    and (e.orphacode, e.preferred) not in approved
                    and originals.get(e.orphacode) == e.preferred
                )
                for n in existing.get(e.orphacode, []) or session.scalars(
                    select(ConditionName).where(
                        ConditionName.orphacode == e.orphacode,
                        ConditionName.lang == data.lang,
                        ConditionName.origin == "editorial",
                    )
                ):
                    if n.proposed != proposed:
                        n.proposed = proposed
                        changed = True
                if not had:
                    tally.added += 1
                elif changed:
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            # Codes no longer in the editors' list lose their editorial names.
            for code, rows in existing.items():
                if code not in seen:
                    for n in rows:
                        session.delete(n)
                    tally.retired += 1
            return rel.id

        report = self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
            rejected=(),
        )
        if rejected_rows and not dry_run:
            return self._mark_partial(report, tuple(rejected_rows))
        return report

    def mark_partial(self, report: ImportReport, rejected: tuple[Problem, ...]) -> ImportReport:
        """Record ``rejected`` rows in a finished run and mark it partial."""
        return self._mark_partial(report, rejected)

    def _mark_partial(self, report: ImportReport, rejected: tuple[Problem, ...]) -> ImportReport:
        rejected = capped_problems(rejected)
        with self._sessions() as session, session.begin():
            run = session.get(ImportRun, report.run_id)
            if run is not None:
                run.problems = [_problem_json(p) for p in rejected]
                if run.status == "succeeded":
                    run.status = "partial"
        return ImportReport(
            run_id=report.run_id,
            source=report.source,
            file_name=report.file_name,
            status="partial" if report.status == "succeeded" else report.status,
            counts=report.counts,
            warnings=report.warnings,
            override_warnings=report.override_warnings,
            problems=rejected,
        )

    # -- lay terms (search support) ------------------------------------------------

    def apply_proposed_summaries(
        self, data: ProposedSummaries, *, dry_run: bool = False
    ) -> ImportReport:
        """Replace the drafted summaries; every ORPHAcode must exist in the catalogue."""

        def apply(session: Session, tally: ChangeTally) -> int:
            known, _problems = _check_codes(
                session,
                data.release.file_name,
                [(e.orphacode, f"line {e.line}") for e in data.entries],
                allow_partial=False,
            )
            rel = self._release(session, data.release)
            have = {(s.orphacode, s.lang): s for s in session.scalars(select(ProposedSummary))}
            want: dict[tuple[int, str], tuple[str, str]] = {}
            for e in data.entries:
                if e.orphacode in known:
                    want[(e.orphacode, "nl")] = (e.summary_nl, e.based_on)
                    want[(e.orphacode, "en")] = (e.summary_en, e.based_on)
            for key in sorted(set(have) - set(want)):
                session.delete(have[key])
                tally.retired += 1
            for (code, lang), (text, based_on) in sorted(want.items()):
                row = have.get((code, lang))
                if row is None:
                    session.add(
                        ProposedSummary(
                            orphacode=code,
                            lang=lang,
                            text=text,
                            based_on=based_on,
                            release_id=rel.id,
                        )
                    )
                    tally.added += 1
                elif (row.text, row.based_on) != (text, based_on):
                    row.text, row.based_on, row.release_id = text, based_on, rel.id
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            return rel.id

        return self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
            rejected=(),
        )

    def apply_lay_terms(
        self,
        data: LayTermsRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Replace the lay terms of ``data.origin`` with this release's, in one transaction.

        Every ORPHAcode must exist in the catalogue; with ``allow_partial`` rows with an
        unknown code are left out and listed in the run report.
        """
        rejected_rows: list[Problem] = list(rejected)

        def apply(session: Session, tally: ChangeTally) -> int:
            known, problems = _check_codes(
                session,
                data.release.file_name,
                [(e.orphacode, f"line {e.line}") for e in data.entries],
                allow_partial=allow_partial,
            )
            rejected_rows.extend(problems)
            rel = self._release(session, data.release)
            # Lay terms that editors changed in the editor area win over the file (overrides).
            entries, outcome = override_lay_terms(session, data.entries)
            tally.note_overrides(outcome)
            have = {
                (t.orphacode, t.lang, t.term): t
                for t in session.scalars(select(LayTerm).where(LayTerm.origin == data.origin))
            }
            want = {(e.orphacode, e.lang, e.term) for e in entries if e.orphacode in known}
            for key in sorted(set(have) - want):
                session.delete(have[key])
                tally.retired += 1
            for key in sorted(want):
                if key in have:
                    tally.unchanged += 1
                    continue
                code, lang, term = key
                session.add(
                    LayTerm(
                        orphacode=code, lang=lang, term=term, origin=data.origin, release_id=rel.id
                    )
                )
                tally.added += 1
            return rel.id

        report = self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
        )
        if rejected_rows and not dry_run:
            return self._mark_partial(report, tuple(rejected_rows))
        return report

    # -- editorial code mappings and search aliases ------------------------------------

    def apply_code_mappings(
        self,
        data: CodeMappingsRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Replace the editorial cross-references with this table's, in one transaction.

        Orphanet's own rows are never touched. Every ORPHAcode must exist, and the
        row's check name must be one of the code's English names (a wrong code shows
        up as a name that does not match).
        """
        rejected_rows: list[Problem] = list(rejected)

        def apply(session: Session, tally: ChangeTally) -> int:
            known, problems = _check_codes(
                session,
                data.release.file_name,
                [(e.orphacode, f"line {e.line}") for e in data.entries],
                allow_partial=allow_partial,
            )
            english: dict[int, set[str]] = defaultdict(set)
            for code, text in session.execute(
                select(ConditionName.orphacode, ConditionName.text).where(
                    ConditionName.lang == "en"
                )
            ):
                english[code].add(text.casefold())
            for e in data.entries:
                if e.orphacode in known and e.name_en.casefold() not in english[e.orphacode]:
                    problems.append(
                        Problem(
                            data.release.file_name,
                            f"line {e.line}",
                            f"ORPHA:{e.orphacode} is not called {e.name_en!r} in the catalogue",
                            "orpha_name_en",
                        )
                    )
            bad = {p.location for p in problems}
            if problems and not allow_partial:
                raise InputRejected(problems, f"{data.release.file_name}: wrong ORPHAcodes")
            rejected_rows.extend(p for p in problems if p not in rejected_rows)
            rel = self._release(session, data.release)
            have = {
                (x.orphacode, x.system, x.code): x
                for x in session.scalars(
                    select(CrossReference).where(CrossReference.origin == data.origin)
                )
            }
            want = {
                (e.orphacode, e.system, e.code): e
                for e in data.entries
                if e.orphacode in known and f"line {e.line}" not in bad
            }
            for key in sorted(set(have) - set(want)):
                session.delete(have[key])
                tally.retired += 1
            for key in sorted(want):
                e = want[key]
                stored = have.get(key)
                if stored is None:
                    session.add(
                        CrossReference(
                            orphacode=e.orphacode,
                            system=e.system,
                            code=e.code,
                            origin=data.origin,
                            relation=e.relation,
                            validation=None,
                            release_id=rel.id,
                        )
                    )
                    tally.added += 1
                elif stored.relation != e.relation:
                    stored.relation = e.relation
                    stored.release_id = rel.id
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            return rel.id

        report = self.run(
            data.release.source, data.release.file_name, data.release.sha256, apply, dry_run=dry_run
        )
        if rejected_rows and not dry_run:
            return self._mark_partial(report, tuple(rejected_rows))
        return report

    def apply_search_aliases(
        self,
        data: SearchAliasesRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Replace the search aliases with this release's; every entity must exist."""
        from directory.expertise.models import Institution, Network, Panel, WorkingGroup

        rejected_rows: list[Problem] = list(rejected)
        models: dict[str, Any] = {
            "institution": Institution,
            "panel": Panel,
            "working_group": WorkingGroup,
            "network": Network,
        }

        def apply(session: Session, tally: ChangeTally) -> int:
            slugs = {
                kind: set(session.scalars(select(model.slug))) for kind, model in models.items()
            }
            problems = [
                Problem(
                    data.release.file_name,
                    f"line {e.line}",
                    f"there is no {e.kind.replace('_', ' ')} {e.slug!r} in the catalogue",
                    "slug",
                )
                for e in data.entries
                if e.slug not in slugs[e.kind]
            ]
            if problems and not allow_partial:
                raise InputRejected(problems, f"{data.release.file_name}: unknown entities")
            rejected_rows.extend(problems)
            rel = self._release(session, data.release)
            have = {(a.kind, a.entity, a.alias): a for a in session.scalars(select(SearchAlias))}
            want = {(e.kind, e.slug, e.alias): e for e in data.entries if e.slug in slugs[e.kind]}
            for key in sorted(set(have) - set(want)):
                session.delete(have[key])
                tally.retired += 1
            for key in sorted(want):
                e = want[key]
                stored = have.get(key)
                if stored is None:
                    session.add(
                        SearchAlias(
                            kind=e.kind,
                            entity=e.slug,
                            lang=e.lang,
                            alias=e.alias,
                            source=e.source,
                            release_id=rel.id,
                        )
                    )
                    tally.added += 1
                elif (stored.lang, stored.source) != (e.lang, e.source):
                    stored.lang, stored.source, stored.release_id = e.lang, e.source, rel.id
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            return rel.id

        report = self.run(
            data.release.source, data.release.file_name, data.release.sha256, apply, dry_run=dry_run
        )
        if rejected_rows and not dry_run:
            return self._mark_partial(report, tuple(rejected_rows))
        return report

    # -- gazetteer (postcodes and places) ---------------------------------------------

    def apply_gazetteer(
        self,
        data: GazetteerRelease,
        *,
        dry_run: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Replace the postcode and place list with this release's, in one transaction.

        ``rejected`` are rows the parser already left out (with allow_partial).
        """

        def apply(session: Session, tally: ChangeTally) -> int:
            rel = self._release(session, data.release)
            postcodes = {p.postcode: p for p in session.scalars(select(GazetteerPostcode))}
            wanted = {
                p.postcode: {"postcode": p.postcode, "lat": p.lat, "lon": p.lon, "place": p.place}
                for p in data.postcodes
            }
            pc_fields = ("lat", "lon", "place")
            _sync_rows(session, GazetteerPostcode, postcodes, wanted, pc_fields, rel.id, tally)
            places = {(p.key, p.province): p for p in session.scalars(select(GazetteerPlace))}
            wanted_places = {
                (p.key, p.province): {
                    "key": p.key,
                    "name": p.name,
                    "province": p.province,
                    "lat": p.lat,
                    "lon": p.lon,
                    "postcodes": p.postcodes,
                }
                for p in data.places
            }
            fields = ("name", "lat", "lon", "postcodes")
            _sync_rows(session, GazetteerPlace, places, wanted_places, fields, rel.id, tally)
            return rel.id

        report = self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
        )
        if rejected and not dry_run:
            return self._mark_partial(report, rejected)
        return report

    # -- zero-result log ------------------------------------------------------------------

    def record_zero_result(
        self, normalised: str, example: str, *, at: dt.datetime | None = None
    ) -> None:
        """Count one search that found nothing. Stores the query text and time only."""
        key = normalised[:200]
        if not key:
            return
        when = at or utcnow()
        for attempt in range(2):
            try:
                with self._sessions() as session, session.begin():
                    row = session.get(ZeroResultQuery, key)
                    if row is None:
                        session.add(
                            ZeroResultQuery(
                                normalised=key,
                                example=example[:200],
                                count=1,
                                first_seen=when,
                                last_seen=when,
                            )
                        )
                    else:
                        row.count += 1
                        row.example = example[:200]
                        row.last_seen = max(row.last_seen, when)
                return
            except IntegrityError:
                # Another request inserted the same query first: count on that row.
                if attempt:
                    raise

    # -- edits approved in the editor area (inside the editorial service's transaction) --

    def set_editorial_names(
        self,
        session: Session,
        orphacode: int,
        lang: str,
        preferred: str | None,
        synonyms: tuple[str, ...],
        release: ReleaseInfo,
    ) -> None:
        """Set a condition's editorial names in ``lang``; ``preferred=None`` removes them."""
        rel = self._release(session, release)
        rows = list(
            session.scalars(
                select(ConditionName).where(
                    ConditionName.orphacode == orphacode,
                    ConditionName.lang == lang,
                    ConditionName.origin == "editorial",
                )
            )
        )
        if preferred is None:
            for n in rows:
                session.delete(n)
            return
        _sync_names(
            session,
            orphacode,
            lang,
            "editorial",
            preferred,
            synonyms,
            rows,
            rel.id,
            dt.date.max,
            {},
        )

    def set_lay_terms(
        self,
        session: Session,
        orphacode: int,
        lang: str,
        terms: tuple[str, ...],
        release: ReleaseInfo,
    ) -> None:
        """Make ``terms`` a condition's lay terms in ``lang``, stored with origin ``editor``."""
        rel = self._release(session, release)
        for t in session.scalars(
            select(LayTerm).where(LayTerm.orphacode == orphacode, LayTerm.lang == lang)
        ):
            session.delete(t)
        session.flush()  # the same term may come back below: delete before inserting
        for term in terms:
            session.add(
                LayTerm(
                    orphacode=orphacode, lang=lang, term=term, origin="editor", release_id=rel.id
                )
            )

    def delete_everything(self) -> None:
        """Empty the Orphanet spine (used by tests and `db reset`)."""
        with self._sessions() as session, session.begin():
            for model in (
                SearchAlias,
                LayTerm,
                GazetteerPostcode,
                GazetteerPlace,
                ZeroResultQuery,
                ClassificationEdge,
                Classification,
                ConditionRedirect,
                CrossReference,
                ConditionDefinition,
                ConditionName,
                Condition,
                ImportRun,
                SourceRelease,
            ):
                session.execute(delete(model))


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


def _problem_json(p: Problem) -> dict[str, str | None]:
    return {"file": p.file, "location": p.location, "field": p.field, "reason": p.reason}


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
