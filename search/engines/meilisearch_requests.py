"""Meilisearch requests and hits, pure (tested without a server): an understood query
as one search request (its words ordered for ``matchingStrategy: "last"``, its filters
quoted), and a Meilisearch hit as a :class:`~search.engine.SearchHit`, with why it
matched worked out by the embedded engine's ranking. :mod:`search.engines.meilisearch`
sends the requests.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from directory.vocabulary import SearchKind
from search.engine import (
    GeoPoint,
    Location,
    RelatedRef,
    SearchHit,
    SearchQuery,
)
from search.engines.meilisearch_index import FACETS, RELATION_ORDER
from search.engines.ranking import (
    DocScore,
    SpanPlan,
    TermPlan,
    doc_index,
    make_field,
    score_doc,
)
from search.geo import nearest_km
from search.lexicon import (
    HOSPITAL_WORDS,
    INSTITUTION_WORDS,
    LEXICON_KEYS,
)
from search.query import (
    MIN_PREFIX,
    Term,
    Understanding,
)
from search.variants import word_key

NEARBY_RADIUS_M = 400_000

_FILTER_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def quote_filter_value(value: str | int | float) -> str:
    """A value in a Meilisearch filter expression: numbers as they are, text quoted.

    Inside double quotes only ``\\`` and ``"`` are special (escaped with a backslash);
    operators such as ``OR``, ``AND``, ``NOT``, ``TO`` and brackets inside a quoted
    value are plain text.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("a filter value must be a finite number")
        return repr(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_in(attribute: str, values: Sequence[str | int]) -> str:
    if not _FILTER_NAME.match(attribute):
        raise ValueError(f"not a filterable attribute name: {attribute!r}")
    return f"{attribute} IN [{', '.join(quote_filter_value(v) for v in values)}]"


def query_filters(query: SearchQuery) -> list[str]:
    """The query's kinds and facet filters, ANDed (a list), values ORed (IN)."""
    out: list[str] = []
    if query.kinds:
        out.append(filter_in("kind", query.kinds))
    for facet, values in sorted(query.filters.items()):
        if values and facet in FACETS:
            out.append(filter_in(facet, values))
    return out


@dataclass(frozen=True)
class MeiliRequest:
    """One search request: the ``q`` string and the other parameters."""

    q: str
    params: dict[str, Any] = field(default_factory=dict)


def query_words(
    u: Understanding, known: Collection[str] = frozenset()
) -> tuple[list[str], tuple[str, ...]]:
    """The words to send, as keys, and the words no index knows.

    Known words (``known``: :func:`vocabulary`, and the lexicon) come first, unknown
    ones last: ``matchingStrategy: "last"`` drops words from the end, so a word no
    document contains goes before a known one. A compound the lexicon can split is sent
    as its parts ("maagkanker" -> "mag kanker"), so a typo can only be inside a part.
    """
    first: list[str] = []
    last: list[str] = []
    unknown: list[str] = []
    for t in u.terms:
        if t.optional or t.context:
            continue
        keys = _lexicon_parts(t) or [t.key]
        if all(k in known or k in LEXICON_KEYS for k in keys):
            first += keys
        else:
            last += keys
            unknown.append(t.word)
    return first + last, tuple(unknown)


def _lexicon_parts(t: Term) -> list[str]:
    """A word made of the lexicon's words ("maagkanker"), as their keys; else nothing."""
    word = t.word
    for cut in range(3, len(word) - 3):
        head, modifier = word[cut:], word[:cut]
        if word_key(head) in LEXICON_KEYS and word_key(modifier) in LEXICON_KEYS:
            return [word_key(modifier), word_key(head)]
    return []


def translate_query(
    u: Understanding,
    query: SearchQuery,
    location: Location | None,
    *,
    depth: int,
    known: Collection[str] = frozenset(),
) -> MeiliRequest:
    """Translate an understood query into a Meilisearch search request.

    ``depth`` is how many hits to fetch from the start (offset + limit, plus room
    for group members). Codes become filters; words are sent as their keys, known
    ones first (:func:`query_words`).
    """
    filters = query_filters(query)
    words, _unknown = query_words(u, known)
    required = [t for t in u.terms if not t.optional and not t.context]
    nearby = (
        location is not None
        and bool(required)
        and all(t.word in INSTITUTION_WORDS for t in required)
    )
    if nearby:
        # "ziekenhuis bij Leeuwarden": institutions, nearest first; "umc" still narrows.
        words = [t.key for t in required if t.word not in HOSPITAL_WORDS]
        filters.append(filter_in("kind", ["institution"]))
    q = " ".join(words)
    code_filters: list[str] = []
    if u.orphacodes:
        code_filters.append(filter_in("orphacode", list(u.orphacodes)))
    if u.icd10:
        # A subcode also finds a mapping of its category ("C49.2" -> "C49").
        codes = list(dict.fromkeys(c for code in u.icd10 for c in (code, code.split(".")[0])))
        code_filters.append(filter_in("icd10", codes))
    if code_filters:
        filters.append(" OR ".join(f"({f})" for f in code_filters))
        q = ""  # a code names its record: the words only narrowed it down
    elif not q and location is not None:
        # Only a place: what is nearby (documents with a location; the Netherlands
        # fits well within this radius).
        p = location.point
        filters.append(f"_geoRadius({p.lat}, {p.lon}, {NEARBY_RADIUS_M})")
    if q:
        # Obsolete and deprecated codes are no text results; their successors carry
        # their names (``keys_former``). A closed hospital is (its page says it closed).
        filters.append('(status = "active" OR kind = "institution")')
        if len(words[-1]) < MIN_PREFIX:
            q += " "  # a query ending in a space: the last word is not completed
    params: dict[str, Any] = {
        "limit": max(0, depth),
        "offset": 0,
        "facets": list(FACETS),
        "attributesToRetrieve": ["*"],
        "showRankingScore": True,
        "matchingStrategy": "last",
    }
    if filters:
        params["filter"] = filters
    if location is not None and (query.sort == "distance" or not q or nearby):
        p = location.point
        params["sort"] = [f"_geoPoint({p.lat}, {p.lon}):asc"]
    return MeiliRequest(q, params)


def icd_rank(h: Mapping[str, Any], typed: Sequence[str]) -> tuple[int, int]:
    relations: Mapping[str, str] = h.get("icd10_relation") or {}
    best = (9, 9)
    for n, code in enumerate(typed):
        for stored, relation in relations.items():
            if stored == code or stored.startswith(code + ".") or code.startswith(stored + "."):
                exactness = 0 if stored == code else 1
                best = min(best, (RELATION_ORDER.get(relation, 2) + 4 * exactness, n))
    return best


def hit_title(h: Mapping[str, Any], lang: str) -> tuple[str, str]:
    if lang == "nl":
        return str(h.get("title_nl", "")), str(h.get("title_nl_lang", "nl"))
    return str(h.get("title_en", "")), str(h.get("title_en_lang", "en"))


def local_score(h: Mapping[str, Any], terms: list[TermPlan], spans: list[SpanPlan]) -> DocScore:
    """Why a Meilisearch hit matched, worked out with the embedded engine's ranking."""
    fields = [make_field(k, t, keys, extras) for k, t, keys, extras in h.get("fields", [])]
    return score_doc(doc_index(fields), terms, spans, matched_elsewhere=True)


def meili_hit(
    h: Mapping[str, Any],
    ds: DocScore,
    lang: str,
    origin: GeoPoint | None,
    member_of: RelatedRef | None,
) -> SearchHit:
    title, title_lang = hit_title(h, lang)
    points = [GeoPoint(lat, lon) for lat, lon in h.get("locations", [])]
    distance = nearest_km(origin, points) if origin is not None else None
    groups = tuple(
        RelatedRef(
            "condition",
            str(g["orphacode"]),
            g["title_nl"] if lang == "nl" else g["title_en"],
            g["title_nl_lang"] if lang == "nl" else "en",
            g["orphacode"],
        )
        for g in h.get("groups", [])
    )
    reasons = list(ds.reasons) if ds.best is not None else ["definition"]
    if member_of is not None:
        reasons = ["member_of_group"]
    return SearchHit(
        id=str(h["entity"]),
        kind=cast("SearchKind", str(h["kind"])),  # the index holds documents' kinds
        entity_id=str(h["entity_id"]),
        title=title,
        title_lang=title_lang,
        orphacode=h.get("orphacode"),
        score=float(h.get("_rankingScore", 0.0)),
        matched=tuple(m.field.text for m in ds.matched_fields[:3]),
        distance_km=round(distance, 3) if distance is not None else None,
        reasons=tuple(dict.fromkeys(reasons)),
        groups=groups,
        member_of=member_of,
        benign=bool(h.get("benign", False)),
        status=str(h.get("status", "active")),
    )


def inside_group(
    scored: Sequence[tuple[dict[str, Any], DocScore]], code: int | None
) -> tuple[list[tuple[dict[str, Any], DocScore]], list[tuple[dict[str, Any], DocScore]]]:
    """The hits that lie deeper in group ``code`` (one of their groups), and the rest.

    They matched the words themselves, so they come before the group's own members that
    did not ("leukemie": the leukaemias before the syndromes of the blood-cancer group),
    as in the embedded engine (``search.engines.candidates.with_group_members``).
    """
    inside: list[tuple[dict[str, Any], DocScore]] = []
    rest: list[tuple[dict[str, Any], DocScore]] = []
    for hit, ds in scored:
        groups = hit.get("groups") or []
        deeper = code is not None and any(g.get("orphacode") == code for g in groups)
        (inside if deeper else rest).append((hit, ds))
    return inside, rest
