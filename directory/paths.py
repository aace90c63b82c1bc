"""Public, permanent paths of catalogue entities, per language.

Permalinks are part of an entity's identity (conditions by ORPHAcode, other
entities by slug), so they are defined once, here, and used by the search
documents and the web layer alike. English pages of panels, working groups,
networks and body areas use the entity's English slug (:class:`Permalinks`,
made by :mod:`directory.expertise.slugs`); everything else has one slug in both languages.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import quote

LANGS = ("nl", "en")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # every slug in paths; IDs are never longer
MAX_SLUG = 100

# page name -> path segment per language
SEGMENTS: dict[str, dict[str, str]] = {
    "search": {"nl": "zoeken", "en": "search"},
    "condition": {"nl": "aandoening", "en": "condition"},
    "institution": {"nl": "instelling", "en": "institution"},
    "panel": {"nl": "expertpanel", "en": "expert-panel"},
    "working_group": {"nl": "werkgroep", "en": "working-group"},
    "network": {"nl": "netwerk", "en": "network"},
    "sources": {"nl": "bronnen", "en": "sources"},
    "about": {"nl": "over-erkenningen", "en": "about-recognitions"},
    "accessibility": {"nl": "toegankelijkheid", "en": "accessibility"},
    "domain": {"nl": "domein", "en": "domain"},
    "body_area": {"nl": "lichaamsdeel", "en": "body-area"},
    "report": {"nl": "fout-melden", "en": "report-an-error"},  # public "report an error"
    "gaps": {"nl": "waar-expertise-ontbreekt", "en": "missing-expertise"},
    # index pages for professionals
    "professionals": {"nl": "voor-verwijzers", "en": "for-professionals"},
    "panels": {"nl": "expertpanels", "en": "expert-panels"},
    "working_groups": {"nl": "werkgroepen", "en": "working-groups"},
    "networks": {"nl": "netwerken", "en": "networks"},
    "institutions": {"nl": "ziekenhuizen", "en": "hospitals"},
    "editor": {"nl": "redactie", "en": "editor"},  # the editor area (login needed)
}


def page_path(page: str, lang: str) -> str:
    """Path of a fixed page, e.g. ``page_path("search", "nl") == "/nl/zoeken"``."""
    if page == "home":
        return f"/{lang}/"
    return f"/{lang}/{SEGMENTS[page][lang]}"


# Every search answer and page holds dozens of links (a search's JSON about twenty, a
# condition page a hundred), most to the same few thousand entities: quoted once.
@functools.lru_cache(maxsize=32768)
def entity_path(kind: str, entity_id: str | int, lang: str) -> str:
    """Permalink of an entity, e.g. ``entity_path("condition", 178, "en")``."""
    return f"/{lang}/{SEGMENTS[kind][lang]}/{quote(str(entity_id), safe='')}"


# Panels, working groups, networks and body areas may have an English slug besides
# their id (the Dutch slug; directory.expertise.slugs). Conditions (ORPHAcodes), institutions
# (abbreviations) and EURACAN domains (English names already) have one in both languages.
_NONE: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Permalinks:
    """Which slug each entity has in each language.

    Holds only the entities whose English slug differs from their id; every other
    entity is at its id in both languages. One value per catalogue version
    (:class:`directory.expertise.slugs.PermalinkQueries`): a page with a hundred links asks
    the database nothing for them.
    """

    english: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # kind -> id -> slug
    ids: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # kind -> slug -> id

    @classmethod
    def of(cls, english_slugs: Iterable[tuple[str, str, str]]) -> Permalinks:
        """From (kind, id, English slug) triples."""
        english: dict[str, dict[str, str]] = {}
        ids: dict[str, dict[str, str]] = {}
        for kind, entity_id, slug_en in english_slugs:
            if slug_en != entity_id:
                english.setdefault(kind, {})[entity_id] = slug_en
                ids.setdefault(kind, {})[slug_en] = entity_id
        return cls(english, ids)

    def slug(self, kind: str, entity_id: str | int, lang: str) -> str:
        """The slug in the address of the entity's page in ``lang``."""
        key = str(entity_id)
        return self.english.get(kind, _NONE).get(key, key) if lang == "en" else key

    def path(self, kind: str, entity_id: str | int, lang: str) -> str:
        """The permalink of an entity's page in ``lang``."""
        return entity_path(kind, self.slug(kind, entity_id, lang), lang)

    def paths(self, kind: str, entity_id: str | int) -> dict[str, str]:
        """The entity's page in every language (hreflang alternates, sitemap)."""
        return {lg: self.path(kind, entity_id, lg) for lg in LANGS}

    def entity_id(self, kind: str, slug: str) -> str:
        """The id of the entity an address's slug names, in either language."""
        return self.ids.get(kind, _NONE).get(slug, slug)


def page_of_segment(segment: str) -> tuple[str, str] | None:
    """(page, lang) whose segment this is; used to switch language keeping the page."""
    for page, by_lang in SEGMENTS.items():
        for lang, seg in by_lang.items():
            if seg == segment:
                return page, lang
    return None


# A page of this site as a report form gives it: "/", or below /nl or /en, with an
# optional query. No backslash and no control character anywhere: browsers read a
# leading "/\" as "//", the start of another site's address (security review D7).
_SITE_PAGE = re.compile(r"/|/(?:nl|en)(?:[/?][^\\\x00-\x1f\x7f]*)?")
MAX_PAGE_PATH = 500


def is_site_page(path: str) -> bool:
    """Whether ``path`` is safe to link to as a page of this site (never another site)."""
    return len(path) <= MAX_PAGE_PATH and _SITE_PAGE.fullmatch(path) is not None


def is_slug(text: str) -> bool:
    """Whether ``text`` can be a slug (checked before it reaches a database query)."""
    return len(text) <= MAX_SLUG and SLUG.fullmatch(text) is not None
