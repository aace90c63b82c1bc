"""The stable JSON shape of search hits, shared by the CLI and the JSON API.

``{"hits": [{"kind", "id", "title", "url", "orphacode", ...}]}`` in rank order;
fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from directory.paths import Permalinks
from search.engine import Reading, RelatedRef, SearchHit, SearchResults


def hit_url(hit: SearchHit, links: Permalinks, lang: str) -> str:
    """The hit's page in ``lang`` (English pages of panels etc. at their English slug)."""
    return links.path(hit.kind, hit.entity_id, lang)


def ref_json(ref: RelatedRef, links: Permalinks, lang: str) -> dict[str, Any]:
    return {
        "kind": ref.kind,
        "id": ref.entity_id,
        "title": ref.title,
        "title_lang": ref.title_lang,
        "url": links.path(ref.kind, ref.entity_id, lang),
        "orphacode": ref.orphacode,
    }


def hit_json(
    hit: SearchHit, links: Permalinks, lang: str, *, with_distance: bool = False
) -> dict[str, Any]:
    """One hit. ``with_distance``: a location was given, so say the distance (or null)."""
    data: dict[str, Any] = {
        "kind": hit.kind,
        "id": hit.entity_id,
        "title": hit.title,
        "title_lang": hit.title_lang,
        "url": hit_url(hit, links, lang),
        "orphacode": hit.orphacode,
        "matched": list(hit.matched),
        "why": list(hit.reasons),
        "groups": [ref_json(g, links, lang) for g in hit.groups],
        "member_of": ref_json(hit.member_of, links, lang) if hit.member_of else None,
        "benign": hit.benign,
        "status": hit.status,
    }
    if hit.distance_km is not None:
        data["distance_km"] = round(hit.distance_km, 1)
    elif with_distance:
        data["distance_km"] = None
    return data


def results_json(results: SearchResults, links: Permalinks, lang: str) -> dict[str, Any]:
    """``links``: each language's slug of panels, working groups, networks and body
    areas (``directory.expertise.slugs.PermalinkQueries``)."""
    located = results.location is not None
    return {
        "total": results.total,
        "hits": [hit_json(h, links, lang, with_distance=located) for h in results.hits],
        "facets": {k: dict(v) for k, v in results.facets.items()},
        "corrected": results.corrected,
        "reading": reading_json(results.reading),
    }


def reading_json(reading: Reading) -> dict[str, Any]:
    """How the query was read: the words searched for, left out, and what steered it."""
    return {
        "words": list(reading.words),
        "ignored": list(reading.ignored),
        "context": list(reading.context),
        "audience": list(reading.audience),
        "ambiguous": list(reading.ambiguous),
        "common_cancer": reading.common_cancer,
        "language": reading.language,
        "symptoms": list(reading.symptoms),
        "common_benign": list(reading.common_benign),
    }
