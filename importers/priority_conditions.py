"""The conditions people look up most (``priority_conditions.csv``).

The editors' list of the rare cancers a patient or GP is most likely to look up:
the directory must name their centres (or say plainly that none is named and give
the route that exists). Columns: ``orphacode, name_en, topic_nl, topic_en``; the
English Orphanet name is a check. Used by the coverage report and the editors'
worklists.
"""

from __future__ import annotations

from directory.conditions.records import ReleaseInfo
from directory.errors import InputRejected
from directory.expertise.records import (
    Bilingual,
    CodeRef,
    PriorityConditionRecord,
    PriorityConditionsRelease,
)
from directory.reports import Problem
from importers.base import SourceFile, not_an_orphacode, orphacode, read_csv

SOURCE = "priority-conditions"
ATTRIBUTION = "List of the rare cancers people look up most, by the Expertisewijzer editors."


def parse_priority_conditions(source: SourceFile) -> PriorityConditionsRelease:
    """The list in file order; InputRejected naming every bad line."""
    problems: list[Problem] = []
    out: list[PriorityConditionRecord] = []
    seen: dict[int, int] = {}
    for row in read_csv(source, ["orphacode", "name_en", "topic_nl", "topic_en"]):
        where = f"line {row.line}"
        if row.error is not None:
            problems.append(Problem(source.name, where, row.error))
            continue
        v = row.values
        code = orphacode(v["orphacode"])
        if code is None:
            problems.append(
                Problem(source.name, where, not_an_orphacode(v["orphacode"]), "orphacode")
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
        if not v["topic_nl"] or not v["topic_en"]:
            problems.append(Problem(source.name, where, "the topic needs nl and en", "topic_nl"))
            continue
        seen[code] = row.line
        out.append(
            PriorityConditionRecord(
                CodeRef(code, where, "orphacode", v["name_en"] or None),
                Bilingual(v["topic_nl"][:200], v["topic_en"][:200]),
            )
        )
    if problems:
        raise InputRejected(problems, f"{source.name}: {len(problems)} invalid row(s)")
    info = ReleaseInfo(
        source=SOURCE,
        version=source.sha256[:12],
        release_date=None,
        language=None,
        licence="CC-BY-4.0",
        attribution=ATTRIBUTION,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )
    return PriorityConditionsRelease(release=info, conditions=tuple(out), source_name=source.name)
