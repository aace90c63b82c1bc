"""Search aliases: other names people use for institutions, panels, groups and networks.

``data/curated/search_aliases.csv`` holds names from before a merger ("Dijkzigt",
"Groot Ziekengasthuis"), abbreviations that went out of use ("AZG") and names
people in a region still use ("Sint Radboud"), each with its source. Columns:
``kind, slug, lang, alias, source, certainty, note``; ``lang`` is ``nl``, ``en``
or empty (both); ``certainty`` as in the other curated files (``confirmed``, ``reported``,
``public-knowledge``, ``uncertain``); ``note`` is for the editors and not imported.
The names are searchable only: the pages show an entity's own names.
"""

from __future__ import annotations

import datetime as dt

from directory.conditions.records import ReleaseInfo
from directory.errors import InputRejected
from directory.expertise.records import SearchAliasesRelease, SearchAliasRecord
from directory.reports import Problem
from directory.vocabulary import CERTAINTIES, SEARCH_ALIAS_KINDS
from importers.base import SourceFile, read_csv
from importers.curated import SLUG_RE

SOURCE = "search-aliases"
MAX_ALIAS = 200
MAX_SOURCE = 500  # the catalogue's column; PostgreSQL refuses longer (SQLite does not)
ATTRIBUTION = (
    "Other names of institutions, panels, working groups and networks (old, merged and "
    "informal names), curated by the Expertisewijzer editors, each with its source."
)
LICENCE = "CC-BY-4.0"


def parse_search_aliases(
    source: SourceFile, *, allow_partial: bool = False
) -> tuple[SearchAliasesRelease, tuple[Problem, ...]]:
    problems: list[Problem] = []
    entries: list[SearchAliasRecord] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in read_csv(source, ["kind", "slug", "lang", "alias", "source"], ["certainty", "note"]):
        where = f"line {row.line}"
        if row.error is not None:
            problems.append(Problem(source.name, where, row.error))
            continue
        kind = row.values["kind"].strip()
        if kind not in SEARCH_ALIAS_KINDS:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"{kind!r} is not one of: {', '.join(SEARCH_ALIAS_KINDS)}",
                    "kind",
                )
            )
            continue
        slug = row.values["slug"].strip()
        if not SLUG_RE.match(slug):
            problems.append(Problem(source.name, where, f"{slug!r} is not a slug", "slug"))
            continue
        lang = row.values["lang"].strip().lower() or None
        if lang not in (None, "nl", "en"):
            problems.append(
                Problem(source.name, where, f"{lang!r} is not nl, en or empty (both)", "lang")
            )
            continue
        alias = " ".join(row.values["alias"].split())
        if not alias or len(alias) > MAX_ALIAS:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"the alias is empty or over {MAX_ALIAS} characters",
                    "alias",
                )
            )
            continue
        src = " ".join(row.values["source"].split())
        if not src:
            problems.append(Problem(source.name, where, "every alias needs its source", "source"))
            continue
        if len(src) > MAX_SOURCE:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"the source is {len(src)} characters, over {MAX_SOURCE}: say less",
                    "source",
                )
            )
            continue
        certainty = (row.values.get("certainty") or "").strip()
        if certainty and certainty not in CERTAINTIES:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"{certainty!r} is not one of: {', '.join(CERTAINTIES)}",
                    "certainty",
                )
            )
            continue
        key = (kind, slug, alias.casefold())
        if key in seen:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"{alias!r} is listed twice (also line {seen[key]})",
                    "alias",
                )
            )
            continue
        seen[key] = row.line
        entries.append(SearchAliasRecord(kind, slug, lang, alias, src, row.line))
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
    return SearchAliasesRelease(release=info, entries=tuple(entries)), tuple(problems)
