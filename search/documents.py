"""Catalogue rows -> search documents with Dutch, English and neutral fields.

Only committed catalogue data is read (through :class:`CatalogueQueries`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from directory.lay_terms import LayTermView
from directory.queries import CatalogueQueries, ConditionIndexRow, preferred_names
from search.engine import SearchDocument

INACTIVE_BOOST = 0.3


def condition_document(
    row: ConditionIndexRow, lay_terms: Sequence[LayTermView] = ()
) -> SearchDocument:
    """The search document of one condition; ``lay_terms`` are the words patients use."""
    preferred = preferred_names(row.names)
    en = preferred.get("en")
    nl = preferred.get("nl")
    title_en = en.value if en else f"ORPHA:{row.orphacode}"
    title_nl = nl.value if nl else title_en

    def names_in(lang: str) -> tuple[str, ...]:
        seen: list[str] = []
        for n in row.names:
            if n.lang == lang and n.text not in seen:
                seen.append(n.text)
        return tuple(seen)

    codes = [f"ORPHA:{row.orphacode}"]
    codes += [f"{x.system} {x.code}" for x in row.xrefs]
    return SearchDocument(
        id=f"condition:{row.orphacode}",
        kind="condition",
        entity_id=str(row.orphacode),
        title_nl=title_nl,
        title_nl_lang="nl" if nl else "en",
        title_en=title_en,
        orphacode=row.orphacode,
        names_nl=names_in("nl"),
        names_en=names_in("en"),
        codes=tuple(codes),
        text_nl=row.definitions.get("nl", ""),
        text_en=row.definitions.get("en", ""),
        level=row.level,
        status=row.status,
        boost=1.0 if row.status == "active" else INACTIVE_BOOST,
        facets={"level": (row.level,) if row.level else ()},
        related=row.parents + row.children,
        parents=row.parents,
        children=row.children,
        lay_nl=tuple(t.term for t in lay_terms if t.lang == "nl"),
        lay_en=tuple(t.term for t in lay_terms if t.lang == "en"),
    )


def all_documents(queries: CatalogueQueries) -> Iterator[SearchDocument]:
    """Every search document of the catalogue."""
    lay_terms = queries.lay_terms()
    for row in queries.conditions_for_index():
        yield condition_document(row, lay_terms.get(row.orphacode, ()))
