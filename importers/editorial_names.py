"""Editorial names: Dutch (or other) names curated by Expertisewijzer's editors.

The bundled ``data/curated/dutch_names.csv`` gives, per ORPHAcode, a preferred
Dutch name and common synonyms. They are stored with origin ``editorial`` so
that an official Orphanet name can always be told from ours.

Columns: ``orphacode, name_en, preferred_nl, synonyms_nl, note, status``; synonyms are
separated by ``|``; ``status`` is ``approved`` (the default) or ``proposed``: a
translation no editor has approved yet, shown marked as such until one does.
``name_en`` is the English Orphanet name the editor meant; it is informative (the
catalogue checks codes, not labels).
"""

from __future__ import annotations

import datetime as dt

from directory.conditions.records import EditorialName, EditorialNames, ReleaseInfo
from directory.errors import InputRejected
from directory.reports import Problem
from importers.base import SourceFile, not_an_orphacode, orphacode, read_csv

SOURCE = "editorial-names"
ATTRIBUTION = (
    "Dutch names and synonyms curated by the Expertisewijzer editors (editorial "
    "translations, not Orphanet's official Dutch nomenclature)."
)
LICENCE = "CC-BY-4.0"
STATUSES = ("approved", "proposed")


def parse_editorial_names(
    source: SourceFile, lang: str = "nl", *, allow_partial: bool = False
) -> tuple[EditorialNames, tuple[Problem, ...]]:
    """Return the names and the rows rejected (only non-empty with allow_partial)."""
    pref_col, syn_col = f"preferred_{lang}", f"synonyms_{lang}"
    problems: list[Problem] = []
    entries: list[EditorialName] = []
    seen: dict[int, int] = {}
    for row in read_csv(source, ["orphacode", pref_col], ["name_en", syn_col, "note", "status"]):
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
        preferred = row.values[pref_col]
        if not preferred:
            problems.append(Problem(source.name, where, "the preferred name is empty", pref_col))
            continue
        if len(preferred) > 300:
            problems.append(
                Problem(source.name, where, "the name is over 300 characters", pref_col)
            )
            continue
        if code in seen:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"ORPHA:{code} is listed twice (also line {seen[code]})",
                    "orphacode",
                )
            )
            continue
        status = row.values.get("status", "") or "approved"
        if status not in STATUSES:
            problems.append(
                Problem(source.name, where, f"{status!r} is not one of: {', '.join(STATUSES)}",
                        "status")
            )  # fmt: skip
            continue
        seen[code] = row.line
        synonyms = tuple(s.strip() for s in row.values.get(syn_col, "").split("|") if s.strip())
        entries.append(
            EditorialName(
                orphacode=code,
                preferred=preferred,
                synonyms=synonyms,
                proposed=status == "proposed",
            )
        )
    if problems and not allow_partial:
        raise InputRejected(problems, f"{source.name}: {len(problems)} invalid row(s)")
    info = ReleaseInfo(
        source=f"{SOURCE}-{lang}",
        version=source.sha256[:12],
        release_date=dt.date.today(),
        language=lang,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )
    return EditorialNames(release=info, lang=lang, entries=tuple(entries)), tuple(problems)
