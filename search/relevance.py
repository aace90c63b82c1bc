"""Relevance measurement: Success@k per class of a labelled query set.

The labelled set lives in ``tests/data/relevance/queries.csv`` (columns
``query, lang, class, expected, note``; ``expected`` lists acceptable results as
``kind:id`` separated by ``|``). Success@k of a query is 1 when an expected
result is among the first k hits. The test suite and the benchmark both use
this module, so the floors below are checked in CI and reported side by side
with the naive baseline.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from search.engine import SearchResults

# class -> (k, floor): the floors; postcode combinations get the cross-language floor.
FLOORS: dict[str, tuple[int, float]] = {
    "name": (1, 0.95),
    "synonym": (1, 0.95),
    "code": (1, 0.95),
    "typo": (5, 0.90),
    "compound": (5, 0.90),
    "institution_panel": (5, 0.90),
    "cross_language": (5, 0.85),
    "lay": (10, 0.85),
    "postcode": (5, 0.85),
    # Issue 11: queries written the way patients and GPs type, not from the catalogue.
    "sentence": (5, 0.85),  # whole questions, with a child's age or a pregnancy
    "organ_compound": (5, 0.90),  # "tongkanker", "galblaaskanker", "anal cancer"
    "common_cancer": (3, 0.90),  # "borstkanker": the common-cancer card ("common:breast")
    "icd10": (3, 0.90),  # ICD-10 codes from a GP's record
    "informal_name": (5, 0.85),  # old and merged hospital names, groups described in Dutch
    "url": (1, 0.95),  # a pasted orpha.net disease page
    "place_word": (5, 0.85),  # "ziekenhuis groningen", "sarcoom nijmegen"
}
KS = (1, 3, 5, 10)

Search = Callable[[str, str], Sequence[str]]  # (query, lang) -> ranked "kind:id" results


def ranked_ids(results: SearchResults) -> list[str]:
    """What a visitor sees, in order: the common-cancer card ("common:breast"), then the hits."""
    card = [f"common:{results.reading.common_cancer}"] if results.reading.common_cancer else []
    return card + [h.id for h in results.hits]


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    lang: str
    cls: str
    expected: frozenset[str]
    line: int


def load_queries(path: Path) -> tuple[LabelledQuery, ...]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for n, r in enumerate(rows, start=2):
        expected = frozenset(e.strip() for e in r["expected"].split("|") if e.strip())
        out.append(LabelledQuery(r["query"], r["lang"], r["class"], expected, n))
    return tuple(out)


@dataclass(frozen=True)
class Outcome:
    query: LabelledQuery
    rank: int | None  # 1-based rank of the first expected result; None if not in the results


@dataclass(frozen=True)
class ClassScore:
    cls: str
    n: int
    success: dict[int, float]  # k -> Success@k

    def at(self, k: int) -> float:
        return self.success[k]


def evaluate(search: Search, queries: Iterable[LabelledQuery]) -> list[Outcome]:
    outcomes = []
    for q in queries:
        ranked = list(search(q.query, q.lang))
        rank = next((i for i, r in enumerate(ranked, start=1) if r in q.expected), None)
        outcomes.append(Outcome(q, rank))
    return outcomes


def scores(outcomes: Iterable[Outcome], ks: Sequence[int] = KS) -> dict[str, ClassScore]:
    by_class: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_class[o.query.cls].append(o)
    out = {}
    for cls, items in sorted(by_class.items()):
        success = {
            k: sum(1 for o in items if o.rank is not None and o.rank <= k) / len(items) for k in ks
        }
        out[cls] = ClassScore(cls, len(items), success)
    return out
