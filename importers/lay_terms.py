"""Lay terms: the words patients and relatives type for a condition.

The bundled ``data/curated/lay_terms.csv`` is written by Expertisewijzer's
editors. Columns: ``orphacode, lang, term, note``; one row per term. Terms are
folded into the condition's search document, so "botkanker" finds bone sarcoma.
``note`` explains a choice to the editors and is not imported.
"""

from __future__ import annotations

import datetime as dt

from directory.conditions.records import ReleaseInfo
from directory.conditions.search_records import LayTermRecord, LayTermsRelease
from directory.errors import InputRejected
from directory.reports import Problem
from importers.base import SourceFile, not_an_orphacode, orphacode, read_csv

SOURCE = "lay-terms"
LANGS = ("nl", "en")
MAX_TERM = 200
ATTRIBUTION = (
    "Lay terms curated by the Expertisewijzer editors (plain words patients use; "
    "not part of Orphanet's nomenclature)."
)
LICENCE = "CC-BY-4.0"


def parse_lay_terms(
    source: SourceFile, *, allow_partial: bool = False
) -> tuple[LayTermsRelease, tuple[Problem, ...]]:
    """Return the lay terms and the rows rejected (only non-empty with allow_partial)."""
    problems: list[Problem] = []
    entries: list[LayTermRecord] = []
    seen: dict[tuple[int, str, str], int] = {}
    for row in read_csv(source, ["orphacode", "lang", "term"], ["note"]):
        where = f"line {row.line}"
        if row.error is not None:
            problems.append(Problem(source.name, where, row.error))
            continue
        code = orphacode(row.values["orphacode"])
        if code is None:
            problems.append(
                Problem(source.name, where, not_an_orphacode(row.values["orphacode"]), "orphacode")
            )
            continue
        lang = row.values["lang"].lower()
        if lang not in LANGS:
            problems.append(
                Problem(source.name, where, f"{lang!r} is not a language we use (nl or en)", "lang")
            )
            continue
        term = " ".join(row.values["term"].split())
        if not term:
            problems.append(Problem(source.name, where, "the term is empty", "term"))
            continue
        if len(term) > MAX_TERM:
            problems.append(
                Problem(source.name, where, f"the term is over {MAX_TERM} characters", "term")
            )
            continue
        key = (code, lang, term.lower())
        if key in seen:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"the term {term!r} is listed twice for ORPHA:{code} (also line {seen[key]})",
                    "term",
                )
            )
            continue
        seen[key] = row.line
        entries.append(LayTermRecord(orphacode=code, lang=lang, term=term, line=row.line))
    if problems and not allow_partial:
        raise InputRejected(problems, f"{source.name}: {len(problems)} invalid row(s)")
    info = ReleaseInfo(
        source=SOURCE,
        version=source.sha256[:12],
        release_date=dt.date.today(),
        language=None,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )
    return LayTermsRelease(release=info, entries=tuple(entries)), tuple(problems)
