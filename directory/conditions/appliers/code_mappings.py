"""Editorial code mappings between ORPHAcodes and other codes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    ConditionName,
    CrossReference,
)
from directory.conditions.rows import _check_codes
from directory.conditions.runs import CatalogueRuns, ChangeTally
from directory.conditions.search_records import (
    CodeMappingsRelease,
)
from directory.errors import InputRejected
from directory.reports import ImportReport, Problem


class CodeMappingsApplier(CatalogueRuns):
    """Editorial code mappings between ORPHAcodes and other codes."""

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
