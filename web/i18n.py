"""Gettext translations and one Jinja2 environment per UI language.

UI strings live in Babel catalogues under ``locales/`` (source strings in
English; ``nl`` and ``en`` catalogues are both complete, checked by a test).
Catalogue content is never put in ``.po`` files: it comes from the database
with its own language.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

from directory.paths import Permalinks, page_path
from web.linkify import linkify
from web.location import with_near

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
LANG_NAMES = {"nl": "Nederlands", "en": "English"}


def negotiate(accept_language: str | None) -> str:
    """Pick nl or en from an Accept-Language header (default nl)."""
    if not accept_language:
        return DEFAULT_LANG
    best: tuple[float, str] | None = None
    for part in accept_language.split(","):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary in LANGS and q > 0 and (best is None or q > best[0]):
            best = (q, primary)
    return best[1] if best else DEFAULT_LANG


def load_translations(locales_dir: Path, lang: str) -> NullTranslations:
    return Translations.load(dirname=str(locales_dir), locales=[lang], domain="messages")


def foreign(text: str, text_lang: str, page_lang: str) -> Markup:
    """Escape ``text``; wrap it in a ``lang`` span when it is not in the page language."""
    if text_lang and text_lang != page_lang:
        return Markup('<span lang="{}">{}</span>').format(text_lang, text)
    return escape(text)


# Babel takes some 70 µs to format a date, and a condition page shows dozens of dates,
# mostly the same few (when a source was read, checked, recognised): formatted once.
DATES_KEPT = 8192


@functools.lru_cache(maxsize=DATES_KEPT)
def formatted_date(value: dt.date, fmt: str, lang: str) -> str:
    return format_date(value, format=fmt, locale=lang)


@functools.lru_cache(maxsize=DATES_KEPT)
def partial_date(value: str | None, lang: str) -> str:
    """``2023`` stays ``2023``; ``2023-04`` becomes "April 2023"; a full date is formatted."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return formatted_date(dt.date.fromisoformat(value), "long", lang)
        if len(parts) == 2:
            return formatted_date(dt.date(int(parts[0]), int(parts[1]), 1), "MMMM y", lang)
    except ValueError:
        return value
    return value


def make_environments(templates_dir: Path, locales_dir: Path) -> dict[str, jinja2.Environment]:
    envs: dict[str, jinja2.Environment] = {}
    for lang in LANGS:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        translations = load_translations(locales_dir, lang)
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
        # ``_()`` and ``{% trans %}`` as the extension's new-style gettext does them (the
        # text always a format string, its variables escaped), without two calls through
        # the template context per text: a condition page asks for some 160 texts.
        env.globals.update(gettext=(text := _gettext(translations)), _=text)

        def _date(value: dt.date | None, fmt: str = "long", _lang: str = lang) -> str:
            return formatted_date(value, fmt, _lang) if value else ""

        def _datetime(value: dt.datetime | None, fmt: str = "medium", _lang: str = lang) -> str:
            return format_datetime(value, format=fmt, locale=_lang) if value else ""

        def _number(value: float | int, _lang: str = lang) -> str:
            return format_decimal(value, locale=_lang)

        def _partial_date(value: str | None, _lang: str = lang) -> str:
            """A date as a page gives it: ``2023``, ``2023-04`` or ``2023-04-17``."""
            return partial_date(value, _lang)

        def _foreign(text: str, text_lang: str, _lang: str = lang) -> Markup:
            return foreign(text, text_lang, _lang)

        env.filters.update(
            date=_date,
            datetime=_datetime,
            number=_number,
            partial_date=_partial_date,
            linkify=linkify,
        )

        @jinja2.pass_context
        def _entity_url(
            context: jinja2.runtime.Context, kind: str, entity_id: str | int, _lang: str = lang
        ) -> str:
            links: Permalinks = context["links"]  # given by render()
            return with_near(links.path(kind, entity_id, _lang), _near_of(context))

        @jinja2.pass_context
        def _page_url(context: jinja2.runtime.Context, name: str, _lang: str = lang) -> str:
            return with_near(page_path(name, _lang), _near_of(context))

        env.globals.update(
            foreign=_foreign,
            lang=lang,
            lang_names=LANG_NAMES,
            entity_url=_entity_url,
            page_url=_page_url,
        )
        envs[lang] = env
    return envs


def _gettext(translations: Translations | NullTranslations) -> Callable[..., Markup]:
    translated: dict[str, Markup] = {}

    def gettext(__string: str, **variables: Any) -> Markup:
        found = translated.get(__string)
        if found is None:
            # our own catalogues' texts, marked safe as the i18n extension does
            found = translated[__string] = Markup(translations.gettext(__string))  # noqa: S704
        return found % variables

    return gettext


def _near_of(context: jinja2.runtime.Context) -> str:
    """The visitor's postcode or town on the page being rendered ("" when none)."""
    return str(getattr(context.get("page"), "near", "") or "")


def render(
    envs: dict[str, jinja2.Environment],
    lang: str,
    template: str,
    *,
    links: Permalinks,
    **context: Any,
) -> str:
    """``links``: each language's slug of the entities the page links to (``entity_url``)."""
    return envs[lang].get_template(template).render(links=links, **context)
