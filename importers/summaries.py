"""Plain-language summaries the editors drafted (``summaries_b1.csv``).

Columns: ``orphacode, name_en, summary_nl, summary_en, based_on``. Each summary restates,
at B1 level, only what Orphanet's definition of the code (or of its nearest group) says;
``based_on`` names that text. They are shown on condition pages marked "not yet checked"
until an editor approves them in the editor area; an approved summary always wins.
"""

from __future__ import annotations

from directory.conditions.records import ProposedSummaries, ProposedSummaryRecord, ReleaseInfo
from directory.errors import InputRejected
from directory.reports import Problem
from importers.base import SourceFile, not_an_orphacode, orphacode, read_csv

SOURCE = "summaries"
MAX_SUMMARY = 2000
ATTRIBUTION = (
    "Plain-language summaries drafted by the Expertisewijzer editors from Orphanet's "
    "definitions (Orphanet, CC BY 4.0); not yet checked unless an editor approved them."
)


def parse_summaries(source: SourceFile) -> ProposedSummaries:
    """Every row, or InputRejected naming each bad line."""
    problems: list[Problem] = []
    out: list[ProposedSummaryRecord] = []
    seen: dict[int, int] = {}
    columns = ["orphacode", "summary_nl", "summary_en", "based_on"]
    for row in read_csv(source, columns, ["name_en"]):
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
            twice = f"ORPHA:{code} is listed twice (also line {seen[code]})"
            problems.append(Problem(source.name, where, twice, "orphacode"))
            continue
        bad = [c for c in columns[1:] if not v[c] or len(v[c]) > MAX_SUMMARY]
        if bad:
            problems.append(
                Problem(source.name, where, f"empty or over {MAX_SUMMARY} characters", bad[0])
            )
            continue
        seen[code] = row.line
        out.append(
            ProposedSummaryRecord(code, v["summary_nl"], v["summary_en"], v["based_on"], row.line)
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
    return ProposedSummaries(release=info, entries=tuple(out))
