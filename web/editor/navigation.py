"""Where an editor screen sends the editor: redirects, the 404 page, the public page of
an entity, the entity an address names (no screen: the screens import it)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response

from directory.errors import NotFound
from directory.paths import SEGMENTS
from web.editor.paths import kind_of_segment
from web.editor.request import EditorRequest
from web.permalinks import permalinks


def redirect_to(url: str, done: str) -> Response:
    return RedirectResponse(url + "?" + urlencode({"done": done}), status_code=303)


def not_found_page(er: EditorRequest) -> Response:
    from web.views.errors import not_found

    return not_found(er.request, NotFound())


ENTITY_PATH_ERROR = "bad entity"


def kind_and_id(er: EditorRequest) -> tuple[str, str]:
    kind = kind_of_segment(str(er.request.path_params.get("kind", "")))
    entity_id = str(er.request.path_params.get("entity_id", ""))[:100]
    if kind is None or kind not in er.editor.queries.adapters:
        raise NotFound(ENTITY_PATH_ERROR)
    return kind, entity_id


def public_url(er: EditorRequest, kind: str, entity_id: str) -> str | None:
    return permalinks(er.request).path(kind, entity_id, er.lang) if kind in SEGMENTS else None
