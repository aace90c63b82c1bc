"""What the public pages show from the editor area: summaries and "last checked".

Page views call these helpers (the templates do no I/O); they read through
:class:`directory.editorial_queries.EditorialQueries`.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from directory.editorial_entities import EDITOR_SOURCE
from directory.editorial_queries import LastChecked
from directory.queries import ConditionDetail, Text
from web.editor.auth import editor_state


@dataclass(frozen=True)
class ConditionExtras:
    summary: Text | None  # the editors' plain-language summary, page language first
    last_checked: LastChecked | None


def condition_extras(request: Request, detail: ConditionDetail, lang: str) -> ConditionExtras:
    # The condition's source releases are on the page already: the "last checked" date
    # by source is the latest import among them (as the editor adapter computes it).
    imported = [r.imported_at for r in detail.releases if r.source != EDITOR_SOURCE]
    source_checked = max(imported).date() if imported else None
    summaries, last_checked = editor_state(request).queries.condition_public(
        detail.ref.orphacode, source_checked
    )
    other = "en" if lang == "nl" else "nl"
    summary = None
    for candidate in (lang, other):
        if summaries.get(candidate):
            summary = Text(summaries[candidate], candidate, "editorial")
            break
    return ConditionExtras(summary, last_checked)
