"""What the public pages show from the editor area: the editors' summaries.

Page views call these helpers (the templates do no I/O); they read through
:class:`directory.editorial.queries.editor_area.EditorialQueries`.
"""

from __future__ import annotations

from starlette.requests import Request

from directory.conditions.queries import Text
from web.editor.auth import editor_state


def condition_summary(request: Request, orphacode: int, lang: str) -> Text | None:
    """The editors' plain-language summary of a condition, page language first."""
    summaries = editor_state(request).queries.summaries(orphacode)
    for candidate in (lang, "en" if lang == "nl" else "nl"):
        if summaries.get(candidate):
            return Text(summaries[candidate], candidate, "editorial")
    return None
