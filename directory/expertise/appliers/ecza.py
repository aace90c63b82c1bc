"""ECZA recognitions of expertise centres."""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.records import (
    EczaRelease,
)
from directory.expertise.resolver import DesignationSpec, Resolver, dutch, english, refs_text
from directory.expertise.rows import codes_only, sync_designations
from directory.reports import ImportReport, Problem
from directory.text import fold_name

ECZA_TO_ORPHANET_LEVEL = {"cluster": "group", "disease": "disorder", "subtype": "subtype"}


def ecza_key(centre_name: str, orphacode: int) -> str:
    """The natural key of an ECZA recognition: the centre (folded name) and the code."""
    return f"{fold_name(centre_name)}|{orphacode}"


class EczaApplier(Applier):
    """Writes the ECZA release."""

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

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            specs: dict[str, DesignationSpec] = {}
            lines: dict[str, int] = {}
            protected = set(protected_keys)
            for row in data.rows:
                mark = r.mark()
                institutions = r.institutions(row.institutions)
                found = r.code(row.code)
                ern = r.ern(row.ern) if row.ern else None
                stored = r.sources(row.sources, row.where)
                excluded = codes_only(r.codes(row.exclude))
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
                specs[key] = DesignationSpec(
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
                            x for x in (row.source_ref, refs_text(row.sources)) if x
                        ),
                        "sources": stored + ([{"ref": row.source_ref}] if row.source_ref else []),
                        "note_nl": dutch(row.note),
                        "note_en": english(row.note),
                    },
                    institution_ids=institutions,
                    conditions=(found,),
                    exclusions=excluded,
                )
            sync_designations(
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
