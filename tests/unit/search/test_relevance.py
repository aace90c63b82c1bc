"""Relevance on the labelled query set, per class, with the issue's floors (run in CI).

The queries (tests/data/relevance/queries.csv) are written the way patients,
GPs and specialists type: misspellings, lay words, half-remembered panel names,
postcodes. They run against the full bundled catalogue.
"""

from __future__ import annotations

import pytest

from config.settings import PROJECT_ROOT
from importers.registry import SOURCES
from search.common_cancers import COMMON_CANCERS
from search.engine import SearchQuery
from search.relevance import FLOORS, Outcome, evaluate, load_queries, ranked_ids, scores

QUERIES = load_queries(PROJECT_ROOT / "tests" / "data" / "relevance" / "queries.csv")
CLASSES = sorted({q.cls for q in QUERIES})
EXPERTISE_KINDS = ("institution", "panel", "working_group")
EXPERTISE_FILES = tuple(
    f"data/{SOURCES[s].bundled[0]}" for s in ("institutions", "panels", "working-groups")
)


@pytest.fixture(scope="module")
def outcomes(loaded) -> list[Outcome]:  # type: ignore[no-untyped-def]  # fixture from conftest
    def search(text: str, lang: str) -> list[str]:
        return ranked_ids(loaded.engine.search(SearchQuery(text=text, lang=lang)))

    return evaluate(search, QUERIES)


def test_the_set_is_large_and_covers_both_languages_and_every_class() -> None:
    assert len(QUERIES) >= 590  # 351 before issue 11, and 246 written for it
    assert set(CLASSES) == set(FLOORS)
    for cls in CLASSES:
        langs = {q.lang for q in QUERIES if q.cls == cls}
        assert langs == {"nl", "en"}, cls
    assert len({q.query.lower() for q in QUERIES}) == len(QUERIES)  # no duplicates


def test_expected_results_exist_in_the_catalogue(loaded) -> None:  # type: ignore[no-untyped-def]
    from search.documents import all_documents

    known = {d.id for d in all_documents(loaded.queries)}
    known |= {f"common:{c.slug}" for c in COMMON_CANCERS}  # the common-cancer cards
    built = {k.split(":")[0] for k in known}
    assert set(EXPERTISE_KINDS) <= built, (
        f"no {sorted(set(EXPERTISE_KINDS) - built)} documents: the bundled "
        f"{', '.join(EXPERTISE_FILES)} are part of the repository and must be imported"
    )
    missing = sorted({e for q in QUERIES for e in q.expected} - known)
    assert missing == [], f"queries.csv expects results the catalogue does not have: {missing}"


@pytest.mark.parametrize("cls", CLASSES)
def test_success_at_k_meets_the_floor(cls: str, outcomes: list[Outcome], loaded) -> None:  # type: ignore[no-untyped-def]
    mine = [o for o in outcomes if o.query.cls == cls]
    needs_expertise = any(
        e.split(":")[0] in EXPERTISE_KINDS for o in mine for e in o.query.expected
    )
    if needs_expertise:
        assert loaded.engine.search(SearchQuery(text="umc", kinds=EXPERTISE_KINDS)).hits, (
            f"{cls}: no institution, panel or working-group documents in the index; the "
            f"bundled {', '.join(EXPERTISE_FILES)} are part of the repository"
        )
    k, floor = FLOORS[cls]
    score = scores(mine)[cls]
    misses = [
        f"{o.query.query!r} (rank {o.rank}, line {o.query.line})"
        for o in mine
        if o.rank is None or o.rank > k
    ]
    assert score.at(k) >= floor, f"Success@{k} {score.at(k):.2f} < {floor}; misses: {misses}"
