"""What the public pages show from the editor area: summaries and "last checked".

Page views call these helpers (the templates do no I/O); they read through
:class:`directory.editorial_queries.EditorialQueries`.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from directory.editorial_queries import LastChecked
from directory.queries import Text
from web.editor.auth import editor_state


@dataclass(frozen=True)
class ConditionExtras:
    summary: Text | None  # the editors' plain-language summary, page language first
    last_checked: LastChecked | None


def condition_extras(request: Request, orphacode: int, lang: str) -> ConditionExtras:
    queries = editor_state(request).queries
    summaries = queries.summaries(orphacode)
    other = "en" if lang == "nl" else "nl"
    summary = None
    for candidate in (lang, other):
        if summaries.get(candidate):
            summary = Text(summaries[candidate], candidate, "editorial")
            break
    return ConditionExtras(summary, queries.last_checked("condition", orphacode))
