"""Trailing-slash redirects that stay on this site.

Starlette's ``redirect_slashes`` answers ``/nl/zoeken/`` with an absolute URL built
from the request's ``Host`` header, so a proxy that passes any Host lets someone
plant ``Location: http://evil.example/nl/zoeken`` in a cache (security review D14).
Every other redirect of the site is relative; this one is too.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import RedirectResponse
from starlette.routing import Match, Router
from starlette.types import Receive, Scope, Send


def relative_slash_redirects(router: Router) -> None:
    """Replace ``router``'s slash redirect with one that answers a relative path."""
    router.redirect_slashes = False
    not_found = router.default

    async def default(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            target = _twin(router, scope)
            if target is not None:
                query = scope.get("query_string", b"").decode("latin-1")
                location = quote(target) + (f"?{query}" if query else "")
                await RedirectResponse(location, status_code=307)(scope, receive, send)
                return
        await not_found(scope, receive, send)

    router.default = default


def _twin(router: Router, scope: Scope) -> str | None:
    """The path with the trailing slash added or removed, when a route has that path."""
    path: str = scope["path"]
    if path == "/" or not path.startswith("/") or path.startswith(("//", "/\\")):
        return None  # "//host" or "/\host" as a Location would leave the site
    other = path[:-1] if path.endswith("/") else path + "/"
    probe = {**scope, "path": other}
    if any(route.matches(probe)[0] != Match.NONE for route in router.routes):
        return other
    return None
