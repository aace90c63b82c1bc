"""Editor screen: the catalogue of entities editors may change."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from starlette.responses import Response

from web.editor import texts
from web.editor.auth import ANY_ROLE, editor_view
from web.editor.contexts import CataloguePage, CatalogueRow, NavLink
from web.editor.navigation import public_url
from web.editor.paths import editor_path, entity_editor_path, kind_segment, twins
from web.editor.render import chrome, html, page, translator
from web.editor.request import EditorRequest


@editor_view(ANY_ROLE)
def catalogue(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    q = er.editor.queries
    kinds = list(q.adapters)
    kind = er.request.query_params.get("kind", kinds[0])
    if kind not in q.adapters:
        kind = kinds[0]
    # No control characters: PostgreSQL cannot compare text holding a NUL.
    text = re.sub(r"[\x00-\x1f\x7f]", " ", er.request.query_params.get("q", "")[:200])
    items = q.find(kind, text)
    base = editor_path("catalogue", er.lang)
    adapter = q.adapters[kind]
    ctx = CataloguePage(
        page=page(er.request, er.lang, _("Catalogue"), twins("catalogue")),
        chrome=chrome(er, "catalogue"),
        kinds=tuple(
            NavLink(
                texts.label(_, texts.KINDS, k),
                base + "?" + urlencode({"kind": k}),
                current=k == kind,
            )
            for k in kinds
        ),
        kind=kind,
        kind_label=texts.label(_, texts.KINDS, kind),
        query=text,
        rows=tuple(
            CatalogueRow(
                title=i.title,
                title_lang=i.title_lang,
                entity_id=i.entity_id,
                edit_url=entity_editor_path("edit", kind, i.entity_id, er.lang),
                history_url=entity_editor_path("history", kind, i.entity_id, er.lang),
                public_url=public_url(er, kind, i.entity_id),
            )
            for i in items
        ),
        new_url=editor_path("new", er.lang, kind_segment(kind, er.lang))
        if adapter.can_create
        else None,
    )
    return html(er.request, er.lang, ctx)
