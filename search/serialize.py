"""The stable JSON shape of search hits, shared by the CLI and the JSON API."""

from __future__ import annotations

from typing import Any

from directory.paths import entity_path
from search.engine import SearchHit, SearchResults


def hit_url(hit: SearchHit, lang: str) -> str:
    return entity_path(hit.kind, hit.entity_id, lang)


def hit_json(hit: SearchHit, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": hit.kind,
        "id": hit.entity_id,
        "title": hit.title,
        "title_lang": hit.title_lang,
        "url": hit_url(hit, lang),
        "orphacode": hit.orphacode,
        "matched": list(hit.matched),
    }
    if hit.distance_km is not None:
        data["distance_km"] = round(hit.distance_km, 1)
    return data


def results_json(results: SearchResults, lang: str) -> dict[str, Any]:
    return {
        "total": results.total,
        "hits": [hit_json(h, lang) for h in results.hits],
        "facets": {k: dict(v) for k, v in results.facets.items()},
        "corrected": results.corrected,
    }
