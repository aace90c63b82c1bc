"""The Orphanet classifications: the parent/child edges of conditions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    Classification,
    ClassificationEdge,
    Condition,
    ConditionName,
)
from directory.conditions.records import (
    DISORDER_TYPE_LEVEL,
    ClassificationRelease,
)
from directory.conditions.rows import _sync_preferred, _sync_rows
from directory.conditions.runs import CatalogueRuns, ChangeTally
from directory.reports import ImportReport


class ClassificationApplier(CatalogueRuns):
    """The Orphanet classifications: the parent/child edges of conditions."""

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
