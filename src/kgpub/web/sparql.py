"""The SPARQL 1.1 Protocol at /sparql: request decoding, the gate, negotiation, the worker pool.

Query execution never happens on the event loop: the handler awaits a worker process (see
pool.py), so a slow query only ever occupies its own worker.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.datastructures import MultiDict
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from .gate import GateSettings, Refused, inspect_query
from .negotiation import format_override, negotiate
from .pool import PoolError, WorkerPool

RESULT_OFFERS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
)
GRAPH_OFFERS = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
    "text/n3",
    "text/plain",
    "application/json",
    "application/xml",
)
FORM = "application/x-www-form-urlencoded"
LONG_QUERY = 64 * 1024  # characters


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BadRequest(413, f"request body of {int(declared):,} bytes is over the "
                              f"{limit:,}-byte limit of this endpoint")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadRequest(413, f"request body is over the {limit:,}-byte limit of this endpoint")
        chunks.append(chunk)
    return b"".join(chunks)


async def protocol_params(request: Request, max_body: int) -> MultiDict:
    """Merge the URL's parameters with a form body, or take a direct POST's body as the query."""
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            raise BadRequest(403, "SPARQL Update is not accepted: this endpoint is read-only")
        if media not in (FORM, "application/sparql-query"):
            raise BadRequest(
                415, f"POST a query as {FORM} (query=…) or as application/sparql-query, "
                     f"not {media or 'a body without Content-Type'}")
        body = await read_body(request, max_body)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(400, f"the request body is not UTF-8 (byte {exc.start}); "
                                  "SPARQL requests are UTF-8") from None
        if media == FORM:
            params += parse_qsl(text, keep_blank_values=True)
        else:
            params.append(("query", text))
    return MultiDict(params)


def is_absolute_iri(value: str) -> bool:
    """True when Oxigraph takes `value` as a graph name (an absolute IRI)."""
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def wants_html(request: Request, offers: tuple[str, ...]) -> bool:
    return negotiate(request.headers.get("accept"), (*offers, "text/html")) == "text/html"


def error_response(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status,
                             headers={"Retry-After": "1"} if status == 503 else None)


async def run_query(pool: WorkerPool, gate: GateSettings, query: str, accept: str | None,
                    fmt: str | None = None, default_graphs: list[str] | None = None,
                    named_graphs: list[str] | None = None,
                    prefixes: dict[str, str] | None = None,
                    base_iri: str | None = None) -> Response:
    """Gate, negotiate and execute one query; every failure is a plain-text error response."""
    try:
        # Linear in the query's length, but a long query is scanned off the event loop so that
        # a body near the size cap does not hold up every other request while it is read.
        info = inspect_query(query, gate) if len(query) < LONG_QUERY else \
            await asyncio.to_thread(inspect_query, query, gate)
    except Refused as exc:
        return error_response(exc.status, exc.message)
    offers = GRAPH_OFFERS if info.returns_graph else RESULT_OFFERS
    media = format_override(fmt, offers) if fmt else negotiate(accept, offers)
    if media is None:
        asked = f"format={fmt}" if fmt else f"Accept: {accept}"
        return error_response(406, f"cannot answer a {info.form} query in the requested "
                                   f"type ({asked}); available: {', '.join(offers)}")
    job = {"query": query, "media": media, "has_dataset_clause": info.has_dataset_clause,
           "default_graphs": default_graphs, "named_graphs": named_graphs, "base_iri": base_iri}
    if prefixes and media in ("text/turtle", "application/trig", "text/n3"):
        job["prefixes"] = prefixes
    try:
        body = await pool.execute(job)
    except PoolError as exc:
        return error_response(exc.status, exc.message)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


async def handle(request: Request) -> Response | None:
    """Answer a SPARQL protocol request; None means "no query: show the service description"."""
    app = request.app.state
    try:
        params = await protocol_params(request, app.settings.max_body_bytes)
    except BadRequest as exc:
        return error_response(exc.status, exc.message)
    if "update" in params:
        return error_response(403, "SPARQL Update is not accepted: this endpoint is read-only")
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    # Checked here, not in the worker: an IRI Oxigraph refuses must be the client's 400 (with
    # or without a query), and must never reach (and stop) a worker process.
    for name, iris in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        bad = next((iri for iri in iris if not is_absolute_iri(iri)), None)
        if bad is not None:
            return error_response(400, f"{name} {bad!r} is not an absolute IRI")
    queries = params.getlist("query")
    if len(queries) > 1:
        return error_response(400, "more than one query parameter; send exactly one")
    if not queries:
        if request.method == "POST":
            return error_response(400, "no query: POST a form with query=… or the query itself "
                                       "as application/sparql-query (GET /sparql without a "
                                       "query gives the service description)")
        return None
    dataset_given = bool(default_graphs or named_graphs)
    formats = params.getlist("format")
    return await run_query(
        app.pool, app.gate, queries[0], request.headers.get("accept"),
        ",".join(formats) if formats else None,
        default_graphs if dataset_given else None, named_graphs if dataset_given else None,
        base_iri=str(request.url_for("sparql")),  # relative IRIs resolve against the endpoint
    )
