"""The editorial ICD-10 -> ORPHAcode table: codes GPs have, for the groups of the catalogue.

Orphanet publishes ICD-10 mappings in product1 (``ExternalReferenceList``, read by
:mod:`importers.orphanet`), but the bundled files carry none, so the editors keep
a table for the neoplasm chapter (C00-D48), ``data/curated/icd10_orphacodes.csv``.
Columns: ``icd10, orphacode, orpha_name_en, relation, origin, note``:

* ``icd10``: an ICD-10 (WHO) category or subcode of C00-D48 (``C49``, ``C45.0``), or
  of the few categories outside that chapter that GPs use for conditions of the
  catalogue (``BEYOND_NEOPLASMS``); ICD-10-CM codes such as C7A are not ICD-10 and
  are refused;
* ``orpha_name_en``: a check column, the ORPHAcode's English name; a wrong code
  shows up as a name that does not match;
* ``relation``: ``exact``, ``broader`` (the ICD-10 code covers more than the ORPHA
  concept: C50 breast for the rare malignant breast tumours) or ``narrower``;
* ``origin``: always ``editorial`` (these are not Orphanet's mappings);
* ``note``: why, for the editors; not imported.
"""

from __future__ import annotations

import datetime as dt
import re

from directory.conditions.records import ReleaseInfo
from directory.conditions.search_records import CodeMappingRecord, CodeMappingsRelease
from directory.errors import InputRejected
from directory.reports import Problem
from importers.base import SourceFile, not_an_orphacode, orphacode, read_csv

SOURCE = "code-mappings"
RELATIONS = ("exact", "broader", "narrower")
ATTRIBUTION = (
    "ICD-10 to ORPHAcode table for the neoplasm chapter, curated by the Expertisewijzer "
    "editors (not Orphanet's alignment; each row says how the codes relate)."
)
LICENCE = "CC-BY-4.0"
# WHO ICD-10, chapter II (neoplasms): C00-C97 and D00-D48, with an optional subcode.
_ICD10 = re.compile(r"^(?P<letter>[A-Z])(?P<number>[0-9]{2})(?:\.(?P<sub>[0-9]{1,2}))?$")
# Categories outside chapter II where a GP's record codes conditions of the catalogue:
# the carcinoid syndrome (E34.0, an endocrine code), molar pregnancy (O01, gestational
# trophoblastic disease) and the phakomatoses (Q85: neurofibromatosis, tuberous
# sclerosis, von Hippel-Lindau). Any other code outside C00-D48 is refused.
BEYOND_NEOPLASMS = frozenset({"E34.0", "O01", "Q85"})


def icd10_problem(code: str) -> str | None:
    """Why ``code`` is not a code of ICD-10's neoplasm chapter (None: it is one)."""
    m = _ICD10.match(code)
    if m is None:
        return f"{code!r} is not an ICD-10 code such as C49 or C45.0 (ICD-10-CM codes are not used)"
    letter, number = m.group("letter"), int(m.group("number"))
    if code in BEYOND_NEOPLASMS or code.split(".")[0] in BEYOND_NEOPLASMS:
        return None
    if letter not in "CD":
        return f"{code!r} is not an ICD-10 code such as C49 or C45.0 of the neoplasm chapter"
    if letter == "D" and number > 48:
        return f"{code!r} is outside the neoplasm chapter (C00-D48)"
    return None


def parse_code_mappings(
    source: SourceFile, *, allow_partial: bool = False
) -> tuple[CodeMappingsRelease, tuple[Problem, ...]]:
    """Read the table; every problem names its line and column."""
    problems: list[Problem] = []
    entries: list[CodeMappingRecord] = []
    seen: dict[tuple[str, int], int] = {}
    for row in read_csv(
        source, ["icd10", "orphacode", "orpha_name_en", "relation", "origin"], ["note"]
    ):
        where = f"line {row.line}"
        if row.error is not None:
            problems.append(Problem(source.name, where, row.error))
            continue
        code = row.values["icd10"].strip().upper()
        wrong = icd10_problem(code)
        if wrong:
            problems.append(Problem(source.name, where, wrong, "icd10"))
            continue
        orpha = orphacode(row.values["orphacode"])
        if orpha is None:
            problems.append(
                Problem(source.name, where, not_an_orphacode(row.values["orphacode"]), "orphacode")
            )
            continue
        relation = row.values["relation"].strip().lower()
        if relation not in RELATIONS:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"{relation!r} is not one of: {', '.join(RELATIONS)}",
                    "relation",
                )
            )
            continue
        if row.values["origin"].strip() != "editorial":
            problems.append(
                Problem(source.name, where, "every row of this table is editorial", "origin")
            )
            continue
        name = " ".join(row.values["orpha_name_en"].split())
        if not name:
            problems.append(Problem(source.name, where, "the check name is empty", "orpha_name_en"))
            continue
        key = (code, orpha)
        if key in seen:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"{code} -> ORPHA:{orpha} is listed twice (also line {seen[key]})",
                    "icd10",
                )
            )
            continue
        seen[key] = row.line
        entries.append(CodeMappingRecord("ICD-10", code, orpha, name, relation, row.line))
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
    return CodeMappingsRelease(release=info, entries=tuple(entries)), tuple(problems)
