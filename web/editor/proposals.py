"""The editors' review of proposals: drafted Dutch names and plain-language summaries.

One screen per kind, fifty a page, with a checkbox per proposal and one button to
approve the checked ones; "correct" opens the condition's usual edit form (a draft that
a reviewer approves, like every other edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response

from directory.editorial.queries.proposals import (
    ProposedName,
    ProposedSummaryView,
    proposed_names,
    proposed_summaries,
)
from directory.numbers import ascii_int
from directory.paths import entity_path
from web.contexts.base import Page
from web.editor.auth import ANY_ROLE, editor_view
from web.editor.contexts import EditorChrome
from web.editor.paths import editor_path, entity_editor_path, twins
from web.editor.render import chrome, html, page, translator
from web.editor.request import EditorRequest

PAGE_SIZE = 50
KINDS = ("names", "summaries")
MAX_CHECKED = PAGE_SIZE  # a form approves at most one page


@dataclass(frozen=True)
class ProposalRow:
    orphacode: int
    title: str  # the English Orphanet name, or the condition's name
    proposal: tuple[str, ...]  # the proposed name and synonyms, or the nl and en summary
    note: str  # what a summary restates
    public_url: str
    edit_url: str


@dataclass(frozen=True)
class ProposalsPage:
    template: ClassVar[str] = "editor/proposals.html"
    page: Page
    chrome: EditorChrome
    kind: str  # names | summaries
    rows: tuple[ProposalRow, ...]
    total: int
    offset: int
    action_url: str
    names_url: str
    summaries_url: str
    next_url: str | None
    previous_url: str | None
    approved: int | None  # how many the last approval approved


def _row(er: EditorRequest, item: ProposedName | ProposedSummaryView) -> ProposalRow:
    code = item.orphacode
    public = entity_path("condition", code, er.lang)
    edit = entity_editor_path("edit", "condition", str(code), er.lang)
    if isinstance(item, ProposedName):
        return ProposalRow(code, item.name_en, (item.preferred, *item.synonyms), "", public, edit)
    return ProposalRow(
        code, item.name, (item.summary_nl, item.summary_en), item.based_on, public, edit
    )


@editor_view(ANY_ROLE)
def proposals(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    kind = er.request.query_params.get("kind", "names")
    kind = kind if kind in KINDS else "names"
    base = editor_path("proposals", er.lang)
    if er.form is not None:
        raw = er.form.getlist("approve")
        codes = [c for c in (ascii_int(v) for v in raw if isinstance(v, str)) if c][:MAX_CHECKED]
        service = er.editor.service
        done = (
            service.approve_names(er.user_id, "nl", codes)
            if kind == "names"
            else service.approve_summaries(er.user_id, codes)
        )
        query = urlencode({"kind": kind, "approved": done})
        return RedirectResponse(f"{base}?{query}", status_code=303)
    offset = max(0, ascii_int(er.request.query_params.get("offset", "0")) or 0)
    sessions = er.editor.catalogue.session_factory

    def load(at: int) -> tuple[int, tuple[ProposedName | ProposedSummaryView, ...]]:
        if kind == "names":
            return proposed_names(sessions, "nl", at, PAGE_SIZE)
        return proposed_summaries(sessions, at, PAGE_SIZE)

    total, items = load(offset)
    if offset and offset >= total:  # beyond the last page: show the last one
        offset = max(0, (total - 1) // PAGE_SIZE * PAGE_SIZE)
        total, items = load(offset)

    def at(new_offset: int) -> str:
        return f"{base}?{urlencode({'kind': kind, 'offset': new_offset})}"

    title = _("Dutch names to check") if kind == "names" else _("Summaries to check")
    ctx = ProposalsPage(
        page=page(er.request, er.lang, title, twins("proposals")),
        chrome=chrome(er, "proposals"),
        kind=kind,
        rows=tuple(_row(er, item) for item in items),
        total=total,
        offset=offset,
        action_url=f"{base}?{urlencode({'kind': kind})}",
        names_url=f"{base}?kind=names",
        summaries_url=f"{base}?kind=summaries",
        next_url=at(offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
        previous_url=at(max(0, offset - PAGE_SIZE)) if offset else None,
        approved=ascii_int(er.request.query_params.get("approved", "")),
    )
    return html(er.request, er.lang, ctx)
