"""Paths of the editor area in each language: /nl/redactie/... and /en/editor/...

Entity kinds appear in editor paths with their public segment (``aandoening``,
``condition``), so an editor path reads naturally in both languages.
"""

from __future__ import annotations

from urllib.parse import quote

from directory.paths import LANGS, SEGMENTS, page_of_segment

# editor page -> path below the editor root, per language
PAGES: dict[str, dict[str, str]] = {
    "dashboard": {"nl": "", "en": ""},
    "login": {"nl": "inloggen", "en": "login"},
    "logout": {"nl": "uitloggen", "en": "logout"},
    "account": {"nl": "account", "en": "account"},
    "drafts": {"nl": "concepten", "en": "drafts"},
    "catalogue": {"nl": "catalogus", "en": "catalogue"},
    "edit": {"nl": "bewerken", "en": "edit"},
    "new": {"nl": "nieuw", "en": "new"},
    "history": {"nl": "geschiedenis", "en": "history"},
    "overrides": {"nl": "correcties", "en": "overrides"},
    "proposals": {"nl": "voorstellen", "en": "proposals"},
    "imports": {"nl": "imports", "en": "imports"},
    "upload": {"nl": "imports/uploaden", "en": "imports/upload"},
    "feedback": {"nl": "meldingen", "en": "feedback"},
    "users": {"nl": "gebruikers", "en": "users"},
}


def root(lang: str) -> str:
    return f"/{lang}/{SEGMENTS['editor'][lang]}"


def editor_path(page: str, lang: str, *parts: str | int) -> str:
    """E.g. ``editor_path("drafts", "nl", 12) == "/nl/redactie/concepten/12"``."""
    path = root(lang) + "/" + PAGES[page][lang]
    for part in parts:
        path = path.rstrip("/") + "/" + quote(str(part), safe="")
    return path


def kind_segment(kind: str, lang: str) -> str:
    return SEGMENTS[kind][lang] if kind in SEGMENTS else kind


def kind_of_segment(segment: str) -> str | None:
    found = page_of_segment(segment)
    return found[0] if found else (segment if segment.isidentifier() else None)


def entity_editor_path(page: str, kind: str, entity_id: str, lang: str) -> str:
    return editor_path(page, lang, kind_segment(kind, lang), entity_id)


def twins(page: str, *parts: str | int) -> dict[str, str]:
    return {lg: editor_path(page, lg, *parts) for lg in LANGS}


def entity_twins(page: str, kind: str, entity_id: str) -> dict[str, str]:
    return {lg: entity_editor_path(page, kind, entity_id, lg) for lg in LANGS}


def is_editor_path(path: str) -> bool:
    return any(path == root(lg) or path.startswith(root(lg) + "/") for lg in LANGS)
