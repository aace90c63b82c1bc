"""Paths with control characters are refused before any view runs.

No page of the site has a control character in its path, and PostgreSQL cannot
store or compare text with a NUL byte: ``/nl/instelling/a%00b`` reached a database
query and answered 500 on every slug page (security review D4). Query strings are
left alone: search texts are cleaned by the search layer and must keep working.
"""

from __future__ import annotations

import re

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


class PathGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and has_control_characters(scope["path"]):
            await PlainTextResponse("Bad request", status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)
