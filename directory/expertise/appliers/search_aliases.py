"""Search aliases: other names of institutions, panels, groups and networks, written in a
run of the catalogue like every expertise source."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.runs import ChangeTally
from directory.errors import InputRejected
from directory.expertise.applier import Applier
from directory.expertise.models import Institution, Network, Panel, SearchAlias, WorkingGroup
from directory.expertise.records import SearchAliasesRelease
from directory.reports import ImportReport, Problem


class SearchAliasesApplier(Applier):
    """Search aliases: other names of institutions, panels, groups and networks."""

    def apply_search_aliases(
        self,
        data: SearchAliasesRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Replace the search aliases with this release's; every entity must exist."""
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
            rel = self._catalogue.release(session, data.release)
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

        report = self._catalogue.run(
            data.release.source, data.release.file_name, data.release.sha256, apply, dry_run=dry_run
        )
        if rejected_rows and not dry_run:
            return self._catalogue.mark_partial(report, tuple(rejected_rows))
        return report
