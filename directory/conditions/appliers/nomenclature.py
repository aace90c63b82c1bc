"""The Orphanet nomenclature: conditions, names, definitions, cross-references."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    Condition,
    ConditionDefinition,
    ConditionName,
    ConditionRedirect,
    CrossReference,
)
from directory.conditions.records import (
    NomenclatureRelease,
)
from directory.conditions.rows import _sync_names
from directory.conditions.runs import CatalogueRuns, ChangeTally
from directory.reports import ImportReport


class NomenclatureApplier(CatalogueRuns):
    """The Orphanet nomenclature: conditions, names, definitions, cross-references."""

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
