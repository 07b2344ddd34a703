"""The routes that find things: /search, /browse/…, /timeline and /network.

They read the search index (kgpub.search) off the event loop; the pages are rendered by the
site (kgpub.site.finding). Bad input is the client's 400 with a sentence saying what to
change, an index that does not answer in time is a 503, never a 500 or the engine's words.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator

from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)

from ..search import BadQuery
from ..search.browse import Filters
from ..search.export import csv_chunks, json_chunks
from ..search.kinds import KINDS
from ..search.pictures import NetworkQuery, TimelineQuery
from ..search.query import MAX_LIMIT, Interrupted
from ..site.finding import NoIndex
from .negotiation import negotiate
from .sparql import wants_html

FORMATS = {"json": "application/json", "html": "text/html", "csv": "text/csv",
           "svg": "image/svg+xml"}
SEARCH_OFFERS = ("application/json", "text/html")
BROWSE_OFFERS = ("text/html", "application/json", "text/csv")
PICTURE_OFFERS = ("text/html", "image/svg+xml")
DEFAULT_LIMIT = 20


def _error(request: Request, status: int, title: str, message: str) -> Response:
    """As app._error: HTML for browsers, one plain line otherwise; 503s say when to retry."""
    site = request.app.state.site
    if wants_html(request, ("text/plain",)):
        response: Response = HTMLResponse(site.error_page(status, title, message),
                                          status_code=status, headers={"Vary": "Accept"})
    else:
        response = PlainTextResponse(f"{title}: {message}\n", status_code=status)
    if status == 503:
        response.headers["Retry-After"] = "1"
    return response


def _media(request: Request, offers: tuple[str, ...]) -> str | Response:
    fmt = request.query_params.get("format")
    if fmt:
        media = FORMATS.get(fmt.strip().lower(), fmt.strip().lower())
        if media in offers:
            return media
        names = ", ".join(n for n, m in FORMATS.items() if m in offers)
        return PlainTextResponse(f"406: format={fmt[:40]!r} is not offered here; ask for "
                                 f"{names}\n", status_code=406)
    media = negotiate(request.headers.get("accept"), offers)
    if media is None:
        return PlainTextResponse("406: this is available as " + ", ".join(offers) + "\n",
                                 status_code=406, headers={"Vary": "Accept"})
    return media


async def _answer(request: Request, make: Callable[[], Awaitable[Response]]) -> Response:
    """Run a handler body, turning the index's refusals into their responses."""
    try:
        response = await make()
    except BadQuery as exc:
        return _error(request, 400, "Bad request", str(exc))
    except Interrupted as exc:
        return _error(request, 503, "Unavailable", f"{exc}; try a narrower request")
    except NoIndex:
        return _error(request, 404, "Not found", "this server has no search index")
    response.headers.setdefault("Vary", "Accept")
    return response


def _index(request: Request):
    index = request.app.state.site.index
    if index is None:
        raise NoIndex()
    return index


def _whole(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(f"{name} must be a whole number from {low} to {high:,}") from None
    if not low <= value <= high:
        raise BadQuery(f"{name} must be a whole number from {low} to {high:,}")
    return value


async def search(request: Request) -> Response:
    """GET /search?q=…[&kind=…][&limit=N][&format=json|html]"""
    media = _media(request, SEARCH_OFFERS)
    if isinstance(media, Response):
        return media
    params = request.query_params

    async def make() -> Response:
        text, kind = params.get("q", ""), params.get("kind") or None
        limit = _whole(request, "limit", DEFAULT_LIMIT if media != "text/html" else 50, 1,
                       MAX_LIMIT)
        if media == "text/html":
            return HTMLResponse(await request.app.state.site.search_page(text, kind, limit))
        result = await asyncio.to_thread(_index(request).search, text, kind, limit)
        return JSONResponse({"results": [h.as_json() for h in result.hits],
                             "total": result.total})

    return await _answer(request, make)


async def browse_index(request: Request) -> Response:
    media = _media(request, ("text/html", "application/json"))
    if isinstance(media, Response):
        return media

    async def make() -> Response:
        if media == "application/json":
            counts = await asyncio.to_thread(_index(request).counts)
            return JSONResponse({"lists": [{"kind": k, "url": f"/browse/{k}", "count": n}
                                           for k, n in counts.items()]})
        return HTMLResponse(await request.app.state.site.browse_index_page())

    return await _answer(request, make)


async def browse(request: Request) -> Response:
    """GET /browse/{kind}?facet=value…[&from=…][&to=…][&page=N][&format=csv|json]"""
    kind = request.path_params["kind"]
    if kind not in KINDS:
        return _error(request, 404, "Not found", f"no list called {kind[:40]!r}; the lists are "
                      f"{', '.join(KINDS)} (see /browse/)")
    media = _media(request, BROWSE_OFFERS)
    if isinstance(media, Response):
        return media

    async def make() -> Response:
        page = _whole(request, "page", 1, 1, 1_000_000)
        filters = Filters.from_params(kind, request.query_params.multi_items(),
                                      ignore=("page", "format"))
        if media == "text/html":
            return HTMLResponse(await request.app.state.site.browse_page(kind, filters, page))
        index = _index(request)
        total = await asyncio.to_thread(index.count, kind, filters)
        rows = index.export(kind, filters)
        if media == "text/csv":
            body: Iterator[str] = csv_chunks(kind, rows)
            return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="{kind}.csv"'})
        return StreamingResponse(json_chunks(kind, total, filters, rows),
                                 media_type="application/json")

    return await _answer(request, make)


def _dates(request: Request) -> tuple[str, str]:
    return request.query_params.get("from", ""), request.query_params.get("to", "")


async def timeline(request: Request) -> Response:
    """GET /timeline?[actor=IRI][&holder=IRI][&target=IRI][&type=IRI][&from=…][&to=…]"""
    media = _media(request, PICTURE_OFFERS)
    if isinstance(media, Response):
        return media
    params = request.query_params
    query = TimelineQuery(params.get("actor", ""), params.get("holder", ""),
                          params.get("target", ""), params.get("type", ""), *_dates(request))

    async def make() -> Response:
        site = request.app.state.site
        if media == "image/svg+xml":
            return Response(await site.timeline_svg(query), media_type=media)
        return HTMLResponse(await site.timeline_page(query))

    return await _answer(request, make)


async def network(request: Request) -> Response:
    """GET /network?[type=IRI][&from=…][&to=…]"""
    media = _media(request, PICTURE_OFFERS)
    if isinstance(media, Response):
        return media
    query = NetworkQuery(request.query_params.get("type", ""), *_dates(request))

    async def make() -> Response:
        site = request.app.state.site
        if media == "image/svg+xml":
            return Response(await site.network_svg(query), media_type=media)
        return HTMLResponse(await site.network_page(query))

    return await _answer(request, make)
