"""The JSON search API: ``GET /api/search``.

Parameters (all optional; unknown parameters are ignored):

``q``        the search text: any text; cut to the engine's maximum length
``lang``     ``nl`` (default) or ``en``: the language of titles and URLs
``kind``     restrict to kinds (repeatable or comma separated): condition, institution, ...
``near``     a Dutch postcode (``9712`` or ``9712 AB``), a place, or ``lat,lon``:
             every hit with a location gets ``distance_km``
``sort``     ``relevance`` (default) or ``distance`` (needs a location)
``limit``    0 to 100 (default 10); ``offset`` 0 to 10000 (default 0)
``euracan_domain``, ``network``, ``institution``, ``expertise``, ``level``, ``status``:
             facet filters (repeatable or comma separated)

Bad values give HTTP 400 with ``{"error": ..., "errors": [{"param", "message"}]}``;
nothing a client sends causes a server error. The hits are the same, in the same
order, as on the HTML results page and in ``expertisewijzer search --json``.

The view is async and asks the engine through ``search_async``: the embedded
engine answers in the event loop (CPU-bound work that a thread would only delay),
the Meilisearch adapter in a worker thread, so its blocking client never holds up
the loop. Recording a zero-result query writes to the database: that runs in the
thread pool, after the answer has been sent.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.background import BackgroundTask
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from directory.conditions.services import CatalogueService
from directory.db import make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.paths import Permalinks
from directory.text import fold
from directory.vocabulary import SearchKind, SearchSort, is_one_of
from search.engine import KINDS, MAX_LIMIT, SORTS, Location, SearchQuery, SearchResults
from search.geo import NearError
from search.serialize import results_json
from search.text import clean_query
from web.i18n import LANGS
from web.permalinks import permalinks

if TYPE_CHECKING:
    from web.state import AppState

log = logging.getLogger(__name__)

FILTERS = ("euracan_domain", "network", "institution", "expertise", "level", "status")
MAX_OFFSET = 10_000
MAX_VALUES = 20  # per filter
_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")


@dataclass
class SearchParams:
    """A search request, parsed and checked."""

    query: SearchQuery
    errors: list[tuple[str, str]] = field(default_factory=list)
    location: Location | None = None


def _values(params: QueryParams, name: str) -> list[str]:
    out: list[str] = []
    for raw in params.getlist(name):
        out += [v.strip() for v in raw.split(",") if v.strip()]
    return out


def _int(params: QueryParams, name: str, default: int, high: int, errors: list[Any]) -> int:
    raw = params.get(name)
    if raw is None or not raw.strip():
        return default
    text = raw.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
        errors.append((name, f"{name} must be a whole number, got {text[:20]!r}"))
        return default
    value = int(text)
    if not 0 <= value <= high:
        errors.append((name, f"{name} must be between 0 and {high}, got {value}"))
        return default
    return value


def parse_search_params(state: AppState, params: QueryParams) -> SearchParams:
    """Read the API's parameters; problems are collected, never raised."""
    errors: list[tuple[str, str]] = []
    lang = (params.get("lang") or "nl").strip()
    if lang not in LANGS:
        errors.append(("lang", f"lang must be one of {', '.join(LANGS)}, got {lang[:20]!r}"))
        lang = "nl"
    kinds: list[SearchKind] = []
    for k in _values(params, "kind"):
        if is_one_of(k, KINDS):
            kinds.append(k)
        else:
            errors.append(("kind", f"unknown kind {k[:40]!r}; expected one of {', '.join(KINDS)}"))
    filters: dict[str, tuple[str, ...]] = {}
    for name in FILTERS:
        values = _values(params, name)
        if len(values) > MAX_VALUES:
            errors.append((name, f"at most {MAX_VALUES} values for {name}"))
            continue
        bad = [v for v in values if not _VALUE.match(v)]
        if bad:
            errors.append((name, f"{name} value {bad[0][:40]!r} is not a valid identifier"))
            continue
        if values:
            filters[name] = tuple(values)
    given = (params.get("sort") or "relevance").strip()
    sort: SearchSort = "relevance"
    if is_one_of(given, SORTS):
        sort = given
    else:
        errors.append(("sort", f"sort must be one of {', '.join(SORTS)}, got {given[:20]!r}"))
    limit = _int(params, "limit", 10, MAX_LIMIT, errors)
    offset = _int(params, "offset", 0, MAX_OFFSET, errors)
    location = None
    near = params.get("near")
    if near is not None and near.strip():
        try:
            location = state.search.locate(clean_query(near))
        except NearError as exc:
            errors.append(("near", str(exc)))
    query = SearchQuery(
        text=params.get("q", ""),
        lang=lang,
        kinds=tuple(dict.fromkeys(kinds)),
        filters=filters,
        near=location.point if location else None,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return SearchParams(query, errors, location)


def zero_result_task(
    request: Request, text: str, *, filtered: bool = False, offset: int = 0
) -> BackgroundTask | None:
    """Count a search that found nothing, for the editors: query text and time only.

    Returns the database write as a background task for the response: it runs
    after the answer has been sent, so nobody waits for the log (a write with
    several workers on one SQLite file took up to 100 ms). Searches with filters
    or beyond the first page are not counted: finding nothing there is expected,
    not a gap in the catalogue. Used by the JSON API and the HTML results page.
    """
    cleaned = clean_query(text)
    normalised = " ".join(fold(cleaned).split())
    if not normalised or filtered or offset:
        return None
    return BackgroundTask(_record_zero_result, _service(request), normalised, cleaned)


def _record_zero_result(service: CatalogueService, normalised: str, cleaned: str) -> None:
    try:
        service.record_zero_result(normalised, cleaned)
    except SQLAlchemyError as exc:  # the log must never break a search
        # The class only: the message would quote the statement with the search text.
        log.warning("could not record a zero-result query: %s", type(exc).__name__)


def _service(request: Request) -> CatalogueService:
    service: CatalogueService | None = getattr(request.app.state, "exw_search_log", None)
    if service is None:
        state: AppState = request.app.state.exw
        service = CatalogueService(make_session_factory(state.db_engine), EDITOR_CORRECTIONS)
        request.app.state.exw_search_log = service
    return service


def results_payload(
    params: SearchParams, results: SearchResults, text: str, links: Permalinks
) -> dict[str, Any]:
    data = results_json(results, links, params.query.lang)
    location = params.location or results.location
    return {
        "query": text,
        "lang": params.query.lang,
        "limit": params.query.limit,
        "offset": params.query.offset,
        "sort": params.query.sort,
        "location": (
            {
                "label": location.label,
                "source": location.source,
                "place": location.place,
                "lat": location.point.lat,
                "lon": location.point.lon,
            }
            if location
            else None
        ),
        **data,
    }


async def api_search(request: Request) -> Response:
    state: AppState = request.app.state.exw
    params = parse_search_params(state, request.query_params)
    if params.errors:
        return JSONResponse(
            {
                "error": "; ".join(message for _param, message in params.errors),
                "errors": [{"param": p, "message": m} for p, m in params.errors],
            },
            status_code=400,
        )
    query = params.query
    # Let the event loop read what else has arrived before this CPU-bound search:
    # requests are then answered closer to the order they came in (32 clients, no
    # results cache: the same median, p99 about 15 % lower).
    await asyncio.sleep(0)
    results = await state.search.search_async(query)
    task = None
    if results.total == 0:
        task = zero_result_task(
            request, query.text, filtered=bool(query.kinds or query.filters), offset=query.offset
        )
    return JSONResponse(
        results_payload(params, results, clean_query(params.query.text), permalinks(request)),
        background=task,
    )
