"""Public, permanent paths of catalogue entities, per language.

Permalinks are part of an entity's identity (conditions by ORPHAcode, other
entities by slug), so they are defined once, here, and used by the search
documents and the web layer alike.
"""

from __future__ import annotations

import re
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


def entity_path(kind: str, entity_id: str | int, lang: str) -> str:
    """Permalink of an entity, e.g. ``entity_path("condition", 178, "en")``."""
    return f"/{lang}/{SEGMENTS[kind][lang]}/{quote(str(entity_id), safe='')}"


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
