"""Meilisearch's side of the catalogue, pure (tested without a server): the index
settings (searchable, filterable and sortable attributes, synonyms from the lexicon,
known words, ranking rules) and the catalogue's documents as Meilisearch documents (one
per site, each carrying the spelling keys of its words). :mod:`search.engines.meilisearch`
sends them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from search.engine import (
    SearchDocument,
)
from search.engines.ranking import (
    CODE,
    LAY,
    NAME,
    TITLE,
    Field,
    compound_heads,
    doc_audiences,
    field_extras,
    name_fields,
)
from search.hierarchy import ancestors, expertise_locations
from search.lexicon import (
    ABBREVIATIONS,
    LEXICON_KEYS,
    STOPWORDS,
    TRANSLATIONS,
)
from search.variants import word_key

PRIMARY_KEY = "uid"
FACETS = ("kind", "level", "status", "euracan_domain", "network", "institution", "expertise")
FILTERABLE = (
    *FACETS,
    "entity",
    "orphacode",
    "icd10",
    "is_primary",
    "audience",
    "benign",
    "_geo",
)
SORTABLE = ("_geo", "boost")
SEARCHABLE = (
    "keys_names",
    "keys_lay",
    "keys_codes",
    "keys_former",
    "title_nl",
    "title_en",
    "names_nl",
    "names_en",
    "lay_nl",
    "lay_en",
    "codes",
    "text_nl",
    "text_en",
)
RANKING_RULES = ("words", "typo", "proximity", "attribute", "sort", "exactness", "boost:desc")
LOCALES = {"nl": "nld", "en": "eng"}
MAX_HITS = 1000  # Meilisearch's maxTotalHits: how deep pagination can go
MAX_GROUPS = 4
RELATION_ORDER = {"exact": 0, "narrower": 1, "": 2, "broader": 3}


def synonyms() -> dict[str, list[str]]:
    """Index synonyms from the Dutch <-> English lexicon, as keys (queries are sent as keys).

    A multi-word side stays a phrase ("weke delen" <-> "soft tissue"); Meilisearch
    applies synonyms of up to three words.
    """
    out: dict[str, set[str]] = {}
    for phrase, others in TRANSLATIONS.items():
        key = " ".join(word_key(w) for w in phrase.split())
        if len(phrase.split()) > 3:
            continue
        for other in others:
            other_key = " ".join(word_key(w) for w in other.split())
            if other_key != key and len(other.split()) <= 3:
                out.setdefault(key, set()).add(other_key)
    # Abbreviations the catalogue does not use, one way: "hipec" -> "peritoneum".
    for abbreviation, meanings in ABBREVIATIONS.items():
        key = word_key(abbreviation)
        out.setdefault(key, set()).update(
            " ".join(word_key(w) for w in m.split()) for m in meanings
        )
    return {k: sorted(v) for k, v in sorted(out.items())}


def vocabulary(docs: Sequence[SearchDocument]) -> list[str]:
    """The words Meilisearch must never correct into others: every key of the documents'
    names and lay terms (with compound parts), and the lexicon's words."""
    heads = compound_heads(docs)
    known = set(LEXICON_KEYS)
    for doc in docs:
        for f in name_fields(doc, heads):
            known.update(k for k in f.index if " " not in k and not k.isdigit())
    return sorted(k for k in known if len(k) >= 2)


def index_settings(known_words: Sequence[str] = ()) -> dict[str, Any]:
    """The index settings, as the Meilisearch settings API expects them.

    ``known_words`` (:func:`vocabulary`) become ``typoTolerance.disableOnWords``: as in
    the embedded engine, a word the catalogue or the lexicon knows is never matched as a
    typo of another ("maagkanker" is not "oogkanker").
    """
    return {
        "searchableAttributes": list(SEARCHABLE),
        "filterableAttributes": list(FILTERABLE),
        "sortableAttributes": list(SORTABLE),
        "displayedAttributes": ["*"],
        "distinctAttribute": "entity",
        "rankingRules": list(RANKING_RULES),
        "localizedAttributes": [
            {"attributePatterns": ["*_nl"], "locales": [LOCALES["nl"]]},
            {"attributePatterns": ["*_en"], "locales": [LOCALES["en"]]},
        ],
        "stopWords": sorted(STOPWORDS),
        "synonyms": synonyms(),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnAttributes": ["codes", "keys_codes"],
            "disableOnNumbers": True,
            "disableOnWords": list(known_words),
        },
        "pagination": {"maxTotalHits": MAX_HITS},
        "faceting": {"maxValuesPerFacet": 200},
    }


def _keys_text(fields: Iterable[Field]) -> str:
    return " ".join(dict.fromkeys(k for f in fields for k in f.index))


def meili_documents(docs: Sequence[SearchDocument]) -> list[dict[str, Any]]:
    """Our documents as Meilisearch documents: one per location (site), keys included."""
    heads = compound_heads(docs)
    groups = ancestors(docs)
    inherited = expertise_locations(docs)
    titles = {
        d.orphacode: (d.title_nl, d.title_nl_lang, d.title_en)
        for d in docs
        if d.kind == "condition" and d.orphacode is not None
    }
    # The names of an obsolete code are searchable on its successors (the code itself is
    # never a text result).
    former: dict[int, list[str]] = {}
    for doc in docs:
        if doc.status != "active" and doc.successors:
            keys = _keys_text(f for f in name_fields(doc, heads) if f.kind in (TITLE, NAME))
            for code in doc.successors:
                former.setdefault(code, []).append(keys)
    out: list[dict[str, Any]] = []
    for doc in docs:
        fields = name_fields(doc, heads)
        locations = doc.locations or inherited.get(doc.id, ())
        icd10: list[str] = []
        relations: dict[str, str] = {}
        for m in doc.icd10():
            icd10 += [m.code, m.code.split(".")[0]]
            best = relations.get(m.code)
            if best is None or RELATION_ORDER[m.relation] < RELATION_ORDER[best]:
                relations[m.code] = m.relation
        base: dict[str, Any] = {
            "entity": doc.id,
            "kind": doc.kind,
            "entity_id": doc.entity_id,
            "orphacode": doc.orphacode,
            "title_nl": doc.title_nl,
            "title_nl_lang": doc.title_nl_lang,
            "title_en": doc.title_en,
            "title_en_lang": doc.title_en_lang,
            "names_nl": list(doc.names_nl),
            "names_en": list(doc.names_en),
            "lay_nl": list(doc.lay_nl),
            "lay_en": list(doc.lay_en),
            "codes": list(doc.codes),
            "icd10": sorted(set(icd10)),
            "text_nl": doc.text_nl,
            "text_en": doc.text_en,
            "level": doc.level,
            "status": doc.status,
            "boost": doc.boost,
            "keys_names": _keys_text(f for f in fields if f.kind in (TITLE, NAME)),
            "keys_lay": _keys_text(f for f in fields if f.kind == LAY),
            "keys_codes": _keys_text(f for f in fields if f.kind == CODE),
            "keys_former": " ".join(former.get(doc.orphacode, ())) if doc.orphacode else "",
            "icd10_relation": relations,
            "benign": doc.benign,
            "audience": doc_audiences(doc, fields),
            "successors": list(doc.successors),
            "fields": [[f.kind, f.text, list(f.keys), field_extras(f)] for f in fields],
            "locations": [[p.lat, p.lon] for p in locations],
            "children": list(doc.children),
            "groups": [
                {
                    "orphacode": code,
                    "title_nl": titles[code][0],
                    "title_nl_lang": titles[code][1],
                    "title_en": titles[code][2],
                }
                for code in (groups.get(doc.orphacode, ()) if doc.orphacode else ())
                if code in titles
            ][:MAX_GROUPS],
        }
        for facet, values in doc.facets.items():
            if facet in FACETS and facet != "kind" and values:
                base[facet] = list(values)
        if not locations:
            out.append({**base, PRIMARY_KEY: _uid(doc.id, 0), "is_primary": True})
            continue
        for n, point in enumerate(locations):
            out.append(
                {
                    **base,
                    PRIMARY_KEY: _uid(doc.id, n),
                    "is_primary": n == 0,
                    "_geo": {"lat": point.lat, "lng": point.lon},
                }
            )
    return out


def _uid(doc_id: str, site: int) -> str:
    # Meilisearch ids allow a-z A-Z 0-9 - and _ only.
    return re.sub(r"[^A-Za-z0-9_-]", "_", doc_id) + (f"-site{site}" if site else "")
