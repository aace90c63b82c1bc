"""The root address, each language's root, and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from web.i18n import negotiate
from web.pages import app_state, page_lang


def root(request: Request) -> Response:
    lang = negotiate(request.headers.get("accept-language"))
    return RedirectResponse(f"/{lang}/", status_code=307, headers={"vary": "Accept-Language"})


def lang_root(request: Request) -> Response:
    return RedirectResponse(f"/{page_lang(request)}/", status_code=301)


def health(request: Request) -> Response:
    return JSONResponse({"status": "ok", "documents": app_state(request).search.count()})
