"""The fixed text pages: about recognitions, accessibility."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from starlette.requests import Request
from starlette.responses import Response

from web.contexts.info import AboutPage, AccessibilityPage, InfoPage
from web.pages import html_page, page_frame, page_lang, page_paths, tr

# When the fixed texts (about the recognitions, the accessibility statement) were last
# checked against the seeds and the site. Change it when you change those texts.
TEXTS_REVIEWED = dt.date(2026, 11, 26)


def _info(
    request: Request, name: str, title: str, description: str, kind: type[InfoPage]
) -> Response:
    lang = page_lang(request)
    page = page_frame(request, lang, title, description, page_paths(name))
    ctx = kind(page, format_date(TEXTS_REVIEWED, format="long", locale=lang))
    return html_page(request, lang, ctx)


def about_recognitions(request: Request) -> Response:
    lang = page_lang(request)
    return _info(
        request,
        "about",
        tr(request, lang, "What the recognitions mean"),
        tr(
            request,
            lang,
            "ECZA, SONCOS, expert panels and ERN explained in plain words: "
            "what each recognition says about a hospital.",
        ),
        AboutPage,
    )


def accessibility(request: Request) -> Response:
    lang = page_lang(request)
    return _info(
        request,
        "accessibility",
        tr(request, lang, "Accessibility statement"),
        tr(
            request,
            lang,
            "How we make Expertisewijzer usable for everyone, and how to tell us "
            "when something does not work for you.",
        ),
        AccessibilityPage,
    )
