"""The ASGI application: routes, middleware and lifespan, built by one factory.

Data flows one way: the store was built by the pipeline and loaded by loading.py; this layer
only asks it questions through the worker pool and renders answers. IRIs under the configured
base are served under this server's own host (Cool URIs: slash IRIs answer 303 See Other to an
HTML page or an RDF document; the ontology uses hash IRIs and is served directly).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import dumps, finding, openapi, sparql
from .describe import example_resource_queries, service_description, void_for_files
from .gate import GateSettings
from .iris import iri_to_uri, path_iris
from .loading import LoadedData, keep_counts, stored_counts
from .middleware import HTML_SECURITY_HEADERS, GZipByQuality, SecurityHeaders
from .negotiation import format_override, negotiate
from .pool import PoolError, PoolSettings, WorkerPool
from .settings import ServeSettings

log = logging.getLogger("kgpub.web")

RDF_OFFERS = ("text/turtle", "application/ld+json", "application/n-triples",
              "application/rdf+xml")
PAGE_OFFERS = (*RDF_OFFERS, "text/html")
OX_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
MAX_PAGE = 1_000_000  # highest ?page= of a resource page (OFFSET stays far below 2**63)


@dataclass
class Published:
    """What the server publishes besides the store: files, ontology, VoID, example queries."""

    dump_files: list[Path] = field(default_factory=list)
    ontology_file: Path | None = None
    vocabulary_files: list[Path] = field(default_factory=list)
    shapes_files: list[Path] = field(default_factory=list)
    void_file: Path | None = None
    query_files: list[Path] = field(default_factory=list)
    search_index: Path | None = None  # see kgpub.search.index_for
    title: str = "kgpub"
    description: str = ("Facts, quotes and diplomatic stances curated from news articles, "
                        "with provenance to the evidence span of every fact.")


def _html(request: Request, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={"Vary": "Accept"})


def _error(request: Request, status: int, title: str, message: str) -> Response:
    site = getattr(request.app.state, "site", None)
    if site is not None and sparql.wants_html(request, ("text/plain",)):
        response: Response = _html(request, site.error_page(status, title, message), status)
    else:
        response = PlainTextResponse(f"{title}: {message}\n", status_code=status)
    if status == 503:  # busy or timed out: say when to retry, as /sparql does
        response.headers["Retry-After"] = "1"
    return response


def _convert(data: bytes, source: ox.RdfFormat, media: str,
             prefixes: dict[str, str] | None = None) -> bytes:
    if media == "text/turtle" and source == ox.RdfFormat.TURTLE:
        return data
    return ox.serialize(ox.parse(data, format=source), format=OX_FORMATS[media],
                        prefixes=prefixes if media == "text/turtle" else None)


def _pick(request: Request, offers: tuple[str, ...], what: str) -> str | Response:
    """The media type to answer with (`?format=` first, then Accept), or a 406 response."""
    fmt = request.query_params.get("format")
    media = format_override(fmt, offers) if fmt else \
        negotiate(request.headers.get("accept"), offers)
    if media is None:
        return PlainTextResponse(f"406: {what} is available as " + ", ".join(offers) + "\n",
                                 status_code=406, headers={"Vary": "Accept"})
    return media


# -- routes -----------------------------------------------------------------------------------

async def home(request: Request) -> Response:
    state = request.app.state
    if state.home_html is None:
        try:
            state.home_html = await state.site.home()
        except PoolError as exc:  # busy or timed out: a 503 to retry, not a 500
            return _error(request, exc.status, "Unavailable", exc.message)
    return _html(request, state.home_html)


async def sparql_endpoint(request: Request) -> Response:
    state = request.app.state
    wants_page = request.method == "GET" and "format" not in request.query_params and \
        sparql.wants_html(request, sparql.RESULT_OFFERS)
    if wants_page:
        response = _html(request, await state.site.query_page(request.query_params.get("query")))
        if state.site.config.yasgui:  # YASGUI sets a few inline styles; still no inline script
            response.headers["content-security-policy"] = \
                HTML_SECURITY_HEADERS["content-security-policy"] + "; style-src 'self' " \
                "'unsafe-inline'"
        return response
    response = await sparql.handle(request)
    if response is not None:
        return response
    # As everywhere else, a `format` naming no offered type is a 406, not a silent fallback.
    fmt = request.query_params.get("format")
    media = format_override(fmt, RDF_OFFERS) if fmt else \
        negotiate(request.headers.get("accept"), (*RDF_OFFERS, "application/xml"))
    if media is None:
        return PlainTextResponse("406: the service description is available as "
                                 + ", ".join(RDF_OFFERS) + "\n", status_code=406)
    media = "application/rdf+xml" if media == "application/xml" else media
    endpoint = str(request.url_for("sparql"))
    sd = service_description(endpoint, state.graph_names, state.published.title,
                             state.published.description, bool(state.settings.service_allowlist),
                             str(request.url_for("void")))
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld",
           "application/n-triples": "nt", "application/rdf+xml": "xml"}[media]
    return Response(sd.serialize(format=fmt, encoding="utf-8"), media_type=media,
                    headers={"Vary": "Accept"})


async def healthz(request: Request) -> Response:
    pool: WorkerPool = request.app.state.pool
    health = pool.health()
    ok = pool.serving
    return JSONResponse({"status": "ok" if ok else "unavailable",
                         "triples": request.app.state.triples, **health},
                        status_code=200 if ok else 503,
                        headers={"Cache-Control": "no-store"})


async def openapi_json(request: Request) -> Response:
    """The OpenAPI description, built per request from this server's settings and files."""
    state = request.app.state
    return JSONResponse(openapi.document(state.settings, state.published.title,
                                         state.published.description, sorted(state.dumps),
                                         state.ontology_versions, state.graph_names))


async def void(request: Request) -> Response:
    state = request.app.state
    media = _pick(request, RDF_OFFERS, "VoID")
    if isinstance(media, Response):
        return media
    try:
        void_ttl = state.void_ttl or await _described_files(state)
    except PoolError as exc:
        return _error(request, exc.status, "Unavailable", exc.message)
    return Response(_convert(void_ttl, ox.RdfFormat.TURTLE, media), media_type=media,
                    headers={"Vary": "Accept"})


async def _described_files(state) -> bytes:
    """VoID for files served with --data (the build writes its own): counts from start-up,
    the example resource from the data, by the rule of the build's VoID. Made once."""
    async with state.void_lock:
        if state.void_ttl is None:
            base = state.settings.base_iri
            example = None
            for query in example_resource_queries(base):
                rows = json.loads(await state.pool.execute(
                    {"query": query, "media": "application/sparql-results+json",
                     "has_dataset_clause": False}, timeout=600))["results"]["bindings"]
                if rows:
                    example = rows[0]["x"]["value"]
                    break
            g = void_for_files(base, base + "id/dataset", state.triples, state.graph_sizes,
                               sorted(state.dumps), example)
            state.void_ttl = g.serialize(format="turtle", encoding="utf-8")
    return state.void_ttl


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("VoID not made at start-up (it is made on first request): %s",
                    task.exception())


async def dump_index(request: Request) -> Response:
    files = request.app.state.dumps
    listing = [{"name": f.name, "url": f"/dumps/{f.name}", "mediaType": f.media_type,
                "bytes": f.size, "etag": f.etag.strip('"')} for f in files.values()]
    if negotiate(request.headers.get("accept"), ("application/json", "text/html")) == "text/html":
        return _html(request, request.app.state.site.dumps_page(listing)
                     if hasattr(request.app.state.site, "dumps_page")
                     else _plain_listing(listing))
    return JSONResponse({"dumps": listing})


def _plain_listing(listing: list[dict]) -> str:
    from html import escape

    items = "".join(f'<li><a href="{escape(d["url"])}">{escape(d["name"])}</a> '
                    f'({d["bytes"]:,} bytes, {escape(d["mediaType"])})</li>' for d in listing)
    return f"<!doctype html><meta charset=utf-8><title>Dumps</title><h1>Dumps</h1><ul>{items}</ul>"


async def dump_file(request: Request) -> Response:
    response = dumps.respond(request, request.app.state.dumps, request.path_params["name"])
    if response is None:
        return _error(request, 404, "Not found",
                      f"no dump called {request.path_params['name']!r}; see /dumps/")
    return response


async def ontology(request: Request) -> Response:
    state = request.app.state
    media = _pick(request, PAGE_OFFERS, "the ontology")
    if isinstance(media, Response):
        return media
    if media == "text/html":
        return _html(request, await state.site.ontology_page(state.ontology_ttl.decode("utf-8")))
    return Response(_convert(state.ontology_ttl, ox.RdfFormat.TURTLE, media), media_type=media,
                    headers={"Vary": "Accept"})


async def ontology_version(request: Request) -> Response:
    """The version IRI (owl:versionIRI) answers like the ontology IRI; other versions are 404."""
    state = request.app.state
    iris = _path_iris(request)
    if not state.ontology_versions.intersection(iris):
        iri = iris[0] if iris else state.settings.base_iri + "ontology/…"
        return _error(request, 404, "Not found", f"no ontology version <{iri}> is published here")
    return await ontology(request)


def shapes_document(files: list[Path]) -> bytes | None:
    """The shapes published at /shapes: the one file as written, or every file merged."""
    if len(files) <= 1:
        return files[0].read_bytes() if files else None
    from ..namespaces import PREFIXES
    from ..rdfio import parse_file, serialize

    triples = [q.triple for f in files for q in parse_file(f)]
    return serialize(triples, ox.RdfFormat.TURTLE, {k: str(v) for k, v in PREFIXES.items()})


def _version_iris(ontology_ttl: bytes) -> set[str]:
    if not ontology_ttl:
        return set()
    version = "http://www.w3.org/2002/07/owl#versionIRI"
    return {q.object.value for q in ox.parse(ontology_ttl, format=ox.RdfFormat.TURTLE)
            if q.predicate.value == version}


async def shapes(request: Request) -> Response:
    state = request.app.state
    if state.shapes_ttl is None:
        return _error(request, 404, "Not found", "no shapes are published by this server")
    media = _pick(request, RDF_OFFERS, "the shapes graph")
    if isinstance(media, Response):
        return media
    return Response(_convert(state.shapes_ttl, ox.RdfFormat.TURTLE, media), media_type=media,
                    headers={"Vary": "Accept"})


def _path_iris(request: Request, strip: str = "") -> list[str]:
    """The dataset IRIs this request path may stand for, best first (see iris.py)."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    return path_iris(request.app.state.settings.base_iri, raw, strip)


async def _find(pool: WorkerPool, iris: list[str]) -> str | None:
    """The first of `iris` the dataset mentions (as subject, object or graph name)."""
    values = " ".join(f"<{i}>" for i in iris)
    body = await pool.execute({
        "query": f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} FILTER EXISTS {{ "
                 "{ ?x ?p ?o } UNION { ?s ?p ?x } UNION { GRAPH ?x { ?s ?p ?o } } } }",
        "media": "application/sparql-results+json", "has_dataset_clause": False})
    found = {row["x"]["value"] for row in json.loads(body)["results"]["bindings"]}
    return next((i for i in iris if i in found), None)


async def _lookup(request: Request, strip: str = "") -> str | Response:
    """The dataset IRI the path stands for, or the response to send (404, or 503 when busy)."""
    iris = _path_iris(request, strip)
    if not iris:
        return _error(request, 404, "Not found", "this path is not an IRI of the dataset")
    try:
        found = await _find(request.app.state.pool, iris)
    except PoolError as exc:
        return _error(request, exc.status, "Unavailable", exc.message)
    if found is None:
        return _error(request, 404, "Not found", f"the dataset says nothing about <{iris[0]}>")
    return found


async def resource(request: Request) -> Response:
    """A slash IRI of the dataset: 303 to its page or its RDF document (Cool URIs)."""
    state = request.app.state
    iris = _path_iris(request)
    if not iris:
        return _error(request, 404, "Not found", "this path is not an IRI of the dataset")
    media = _pick(request, PAGE_OFFERS, "a resource description")
    if isinstance(media, Response):
        return media
    dataset = state.settings.base_iri + "id/dataset"
    if iris[0] == dataset or iris[0].startswith(dataset + "/"):
        # The dataset, its subsets and distributions are described by the VoID document.
        return Response(status_code=303, headers={"Location": "/.well-known/void",
                                                  "Vary": "Accept"})
    iri = await _lookup(request)
    if isinstance(iri, Response):
        return iri
    local = iri[len(state.settings.base_iri):]
    if media == "text/html":
        target = f"/page/{local}"
    else:
        alias = {"text/turtle": "ttl", "application/ld+json": "jsonld",
                 "application/n-triples": "nt", "application/rdf+xml": "rdf"}[media]
        target = f"/data/{local}?format={alias}"
    return Response(status_code=303, headers={"Location": iri_to_uri(target), "Vary": "Accept"})


async def page(request: Request) -> Response:
    state = request.app.state
    iris = _path_iris(request, "page/")
    if not iris:
        return _error(request, 404, "Not found", "this path is not an IRI of the dataset")
    try:
        number = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PAGE:
        # Unbounded, the page's OFFSET overflowed Oxigraph's integer and came back as a 400
        # "malformed query" that the server itself had written.
        return _error(request, 400, "Bad request",
                      f"page must be a whole number up to {MAX_PAGE:,}")
    if len(iris) == 1:  # the usual case: the page's own queries tell whether it exists
        iri = iris[0]
    else:
        found = await _lookup(request, "page/")
        if isinstance(found, Response):
            return found
        iri = found
    try:
        body = await state.site.resource_page(iri, number)
    except PoolError as exc:
        return _error(request, exc.status, "Unavailable", exc.message)
    if body is None:
        return _error(request, 404, "Not found", f"the dataset says nothing about <{iri}>")
    return _html(request, body)


async def data(request: Request) -> Response:
    state = request.app.state
    iri = await _lookup(request, "data/")
    if isinstance(iri, Response):
        return iri
    query = (
        "CONSTRUCT { ?x ?p ?o . ?o <http://www.w3.org/2000/01/rdf-schema#label> ?ol . "
        "?s ?q ?x . ?s <http://www.w3.org/2000/01/rdf-schema#label> ?sl } WHERE { "
        f"BIND(<{iri}> AS ?x) "
        "{ ?x ?p ?o OPTIONAL { ?o <http://www.w3.org/2000/01/rdf-schema#label> ?ol } } UNION "
        "{ SELECT ?s ?q ?x WHERE { "
        f"BIND(<{iri}> AS ?x) ?s ?q ?x }} LIMIT 10000 }} "
        "OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?sl } }"
    )
    response = await sparql.run_query(
        state.pool, state.gate, query, request.headers.get("accept"),
        request.query_params.get("format"), prefixes=state.prefixes)
    if response.status_code == 200:
        response.headers["Link"] = f'<{iri_to_uri(iri)}>; rel="describes"'
    return response


async def page_not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404, "Not found", "nothing is published at this address")


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 405)
    response = _error(request, status, "Not allowed",
                      "this address only answers GET and HEAD (and POST at /sparql); the "
                      "endpoint is read-only")
    # RFC 9110 requires Allow on a 405; the router put it on the exception it raised.
    allow = (getattr(exc, "headers", None) or {}).get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    return PlainTextResponse("500: internal error; it has been logged\n", status_code=500)


# -- factory ----------------------------------------------------------------------------------

def create_app(loaded: LoadedData, settings: ServeSettings, published: Published,
               executor: WorkerPool | None = None) -> Starlette:
    """Build the app; the worker pool starts in the lifespan (and so only under a server).

    `executor` replaces the local worker pool (kgpub serve --backend: see backend.py)."""
    from ..namespaces import PREFIXES
    from ..search import SearchIndex
    from ..site import Site, SiteConfig
    from ..site.pages import YASGUI_BUNDLE
    from ..vocabulary import ontology_document

    async def _count(state, settings: ServeSettings) -> tuple[dict[str, int], int]:
        rows = json.loads(await state.pool.execute(
            {"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
             "media": "application/sparql-results+json", "has_dataset_clause": False},
            timeout=600))["results"]["bindings"]
        sizes = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
        # The store's own default graph; when it holds the union (a set), only the
        # triples no named graph states count, so that no triple is counted twice.
        own = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o " + (
            "}" if settings.default_graph == "bag" else
            "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
        default = json.loads(await state.pool.execute(
            {"query": own, "media": "application/sparql-results+json",
             "has_dataset_clause": True}, timeout=600))["results"]["bindings"][0]["n"]["value"]
        return sizes, int(default)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        state = app.state
        state.pool = executor or WorkerPool(loaded.spec, PoolSettings(
            workers=settings.workers, timeout=settings.timeout,
            max_waiting=settings.max_waiting, queue_timeout=settings.queue_timeout,
            max_result_bytes=settings.max_result_bytes, max_workers=settings.max_workers,
            slow_after=settings.slow_after_seconds, worker_memory_mib=settings.worker_memory))
        await state.pool.start()
        warm = None
        try:
            sizes, default = stored_counts(loaded.spec) or await _count(state, settings)
            if loaded.spec.get("store_dir"):
                keep_counts(loaded.spec, sizes, default)
            state.graph_names = sorted(sizes)
            state.triples = sum(sizes.values()) + int(default)
            state.graph_sizes = sizes
            if published.void_file is not None:
                state.void_ttl = published.void_file.read_bytes()
            else:  # described from the data, off the start-up path (a scan of all of it)
                warm = asyncio.get_running_loop().create_task(_described_files(state))
                warm.add_done_callback(_log_failure)
            yield
        finally:
            if warm is not None:
                warm.cancel()
            await state.pool.close()

    app = Starlette(
        routes=[
            Route("/", home, name="home"),
            Route("/sparql", sparql_endpoint, methods=["GET", "POST"], name="sparql"),
            Route("/sparql/", sparql_endpoint, methods=["GET", "POST"]),
            Route("/healthz", healthz, name="healthz"),
            Route("/openapi.json", openapi_json, name="openapi"),
            Route("/.well-known/void", void, name="void"),
            Route("/dumps/", dump_index, name="dumps"),
            Route("/dumps/{name}", dump_file, name="dump"),
            Route("/ontology", ontology, name="ontology"),
            Route("/ontology/{version}", ontology_version, name="ontology-version"),
            Route("/shapes", shapes, name="shapes"),
            Route("/search", finding.search, name="search"),
            Route("/browse/", finding.browse_index, name="browse-index"),
            Route("/browse/{kind}", finding.browse, name="browse"),
            Route("/timeline", finding.timeline, name="timeline"),
            Route("/network", finding.network, name="network"),
            Route("/page/{path:path}", page, name="page"),
            Route("/data/{path:path}", data, name="data"),
            Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
            Route("/{path:path}", resource, name="resource"),
        ],
        middleware=[
            Middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type", "If-None-Match"],
                       expose_headers=["ETag", "Location", "Link"]),
            Middleware(SecurityHeaders),
            Middleware(GZipByQuality, minimum_size=1024),
        ],
        exception_handlers={404: page_not_found, 405: method_not_allowed, 500: server_error},
        lifespan=lifespan,
    )
    state = app.state
    state.settings = settings
    state.published = published
    state.gate = GateSettings(max_depth=settings.max_query_depth,
                              service_allowlist=frozenset(settings.service_allowlist))
    state.dumps = dumps.index(published.dump_files)
    state.ontology_ttl = ontology_document(published.ontology_file, published.vocabulary_files) \
        if published.ontology_file else b""
    state.ontology_versions = _version_iris(state.ontology_ttl)
    state.shapes_ttl = shapes_document(published.shapes_files)
    state.prefixes = {k: str(v) for k, v in PREFIXES.items()}
    state.graph_names = []
    state.graph_sizes = {}
    state.triples = 0
    state.void_ttl = None
    state.void_lock = asyncio.Lock()
    state.home_html = None

    async def select(query: str) -> list[dict]:
        body = await state.pool.execute({"query": query,
                                         "media": "application/sparql-results+json",
                                         "has_dataset_clause": False})
        return json.loads(body)["results"]["bindings"]

    state.site = Site(select, SiteConfig(base_iri=settings.base_iri, title=published.title,
                                         description=published.description,
                                         yasgui=YASGUI_BUNDLE.exists() and
                                         os.environ.get("KGPUB_YASGUI") != "off"),
                      published.query_files,
                      SearchIndex(published.search_index, deadline=min(settings.timeout, 10.0))
                      if published.search_index else None)
    return app
