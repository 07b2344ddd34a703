"""The OpenAPI 3.1 description of `kgpub serve`, served at /openapi.json.

Why a hand-built document: the routes are plain Starlette handlers that negotiate media types,
answer 303 and stream files, which no framework introspection describes truthfully. Building it
here, from the same offer tables and `ServeSettings` the handlers use, keeps the description in
step with the code: the limits it states (body size, result size, timeout) are this server's, and
a test fuzzes the running server against it (tests/test_web_openapi.py).

Every path item names the Starlette route that answers it in `x-kgpub-route`, so the test can
check that the router and the document list the same public routes; the routes left out on
purpose are in `UNDOCUMENTED_ROUTES`, each with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .. import __version__
from .dumps import MEDIA_TYPES
from .negotiation import FORMAT_ALIASES
from .settings import ServeSettings
from .sparql import FORM, GRAPH_OFFERS, RESULT_OFFERS

OPENAPI_VERSION = "3.1.0"
ROUTE_KEY = "x-kgpub-route"

# Starlette routes that have no path item of their own, and why.
UNDOCUMENTED_ROUTES: dict[str, str] = {
    "/sparql/": "an alias of /sparql for clients that add a trailing slash",
    "/static": "the site's own scripts, styles and images, not an interface",
}
# The slash-IRI namespaces minted under the base IRI; all are answered by the catch-all route.
MINTED_PREFIXES = ("id", "graph", "stance-type", "cameo", "plover")
RESOURCE_ROUTE = "/{path:path}"

# Kept in step with app.RDF_OFFERS / app.PAGE_OFFERS (app.py imports this module, so they
# cannot be imported from there; test_web_openapi.py asserts that they are equal).
RDF_OFFERS = ("text/turtle", "application/ld+json", "application/n-triples",
              "application/rdf+xml")
PAGE_OFFERS = (*RDF_OFFERS, "text/html")
SERVICE_DESCRIPTION_OFFERS = (*RDF_OFFERS, "application/xml")
MAX_PAGE = 1_000_000  # as app.MAX_PAGE

Schema = dict[str, Any]

TEXT: Schema = {"type": "string"}
BINARY: Schema = {"type": "string", "contentMediaType": "application/octet-stream"}
SPARQL_JSON: Schema = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "results": {"type": "object", "required": ["bindings"],
                    "properties": {"bindings": {"type": "array",
                                                "items": {"type": "object"}}}},
        "boolean": {"type": "boolean"},
    },
}
COUNT: Schema = {"type": "integer", "minimum": 0}
HEALTH: Schema = {
    "type": "object",
    "required": ["status", "triples", "workers", "alive", "idle", "running", "waiting"],
    "properties": {
        "status": {"enum": ["ok", "unavailable"]},
        "triples": COUNT,
        **{name: COUNT for name in ("workers", "alive", "idle", "running", "waiting",
                                    "queries", "timeouts", "crashes", "busy", "replaced")},
    },
}
DUMP_INDEX: Schema = {
    "type": "object",
    "required": ["dumps"],
    "properties": {"dumps": {"type": "array", "items": {
        "type": "object",
        "required": ["name", "url", "mediaType", "bytes", "etag"],
        "properties": {"name": TEXT, "url": TEXT, "mediaType": TEXT, "bytes": COUNT,
                       "etag": TEXT},
    }}},
}
OPENAPI_SCHEMA: Schema = {"type": "object", "required": ["openapi", "info", "paths"]}


def _content(media_types: Iterable[str], schema: Schema | None = None) -> dict[str, Any]:
    """One entry per media type; only JSON types carry a schema worth validating against."""
    out: dict[str, Any] = {}
    for media in dict.fromkeys(media_types):
        if schema is not None and media.endswith("json"):
            out[media] = {"schema": schema}
        elif media.endswith("json"):
            out[media] = {"schema": {}}  # JSON-LD or other JSON: any document
        else:
            out[media] = {"schema": TEXT}
    return out


def _format_values(offers: Sequence[str]) -> list[str]:
    """Every `?format=` value that selects one of `offers`: its aliases and the media types.

    The empty value is listed too: handlers read `format=` as "no override" (as a form with no
    choice made sends it), so it is accepted, not refused.
    """
    aliases = [a for a, media in FORMAT_ALIASES.items() if media in offers]
    return ["", *aliases, *offers]


def _format_param(offers: Sequence[str], what: str) -> Schema:
    return {
        "name": "format", "in": "query", "required": False,
        "description": f"Overrides the Accept header: an alias or a media type of {what}. "
                       "A value naming none of them is answered with 406; an empty one "
                       "leaves the choice to Accept.",
        "schema": {"type": "string", "enum": _format_values(offers)},
    }


def _error(description: str, html: bool = False, retry_after: bool = False) -> Schema:
    """A plain-text error (HTML instead for browsers, where the handler renders a page)."""
    response: Schema = {"description": description,
                        "content": _content(("text/plain", "text/html") if html
                                            else ("text/plain",))}
    if retry_after:
        response["headers"] = {"Retry-After": {
            "description": "Seconds after which to try again.", "required": True,
            "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
    return response


def _ok(description: str, media_types: Iterable[str], schema: Schema | None = None,
        headers: dict[str, Any] | None = None) -> Schema:
    response: Schema = {"description": description, "content": _content(media_types, schema)}
    if headers:
        response["headers"] = headers
    return response


def _op(operation_id: str, summary: str, responses: dict[str, Any],
        parameters: list[Schema] | None = None, **extra: Any) -> Schema:
    op: Schema = {"operationId": operation_id, "summary": summary, "responses": responses}
    if parameters:
        op["parameters"] = parameters
    op.update(extra)
    return op


def _path_param(name: str, description: str, enum: Sequence[str] = (),
                examples: Sequence[str] = ()) -> Schema:
    schema: Schema = {"type": "string", "minLength": 1}
    if enum:
        schema["enum"] = list(enum)
    if examples:
        schema["examples"] = list(examples)
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}


def _sparql_paths(settings: ServeSettings) -> dict[str, Any]:
    limit = settings.max_body_bytes
    # Absolute IRIs (Oxigraph's rule); anything else is refused with 400 before it runs.
    graphs = {"type": "array", "items": {"type": "string", "format": "iri"}}
    protocol_params: list[Schema] = [
        {"name": "default-graph-uri", "in": "query", "required": False, "style": "form",
         "explode": True, "schema": graphs,
         "description": "IRIs of the store's graphs whose union is the default graph; with "
                        "either graph parameter, the request's dataset replaces the query's "
                        "FROM/FROM NAMED. Unknown graphs are empty."},
        {"name": "named-graph-uri", "in": "query", "required": False, "style": "form",
         "explode": True, "schema": graphs,
         "description": "IRIs of the store's graphs the query may name with GRAPH."},
    ]
    fmt = _format_param((*RESULT_OFFERS, *GRAPH_OFFERS), "the query's results")
    example = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    query_param: Schema = {
        "name": "query", "in": "query", "required": False,
        "description": "A SPARQL 1.1 query. Without one, the answer is the Service "
                       "Description (or, for a browser, the query page).",
        "schema": {"type": "string", "examples": [example, "ASK { ?s ?p ?o }"]},
    }
    ok = _ok("Query results (SELECT/ASK), an RDF graph (CONSTRUCT/DESCRIBE), or without a "
             "query the Service Description or the query page; negotiated by Accept or "
             "`format`.",
             (*RESULT_OFFERS, *GRAPH_OFFERS, *SERVICE_DESCRIPTION_OFFERS, "text/html"))
    # Only this type is always SPARQL results; application/json may also be JSON-LD.
    ok["content"]["application/sparql-results+json"] = {"schema": SPARQL_JSON}
    errors = {
        "400": _error("Malformed query (with Oxigraph's line and column), more than one query, "
                      f"nesting deeper than {settings.max_query_depth} brackets, or a body that "
                      "is not UTF-8."),
        "403": _error("An update, or SERVICE to an endpoint not on the allow-list: the endpoint "
                      "is read-only and does not federate by default."),
        "406": _error("None of the acceptable media types can carry this query form's result."),
        "422": _error(f"The result is larger than {settings.max_result_bytes} bytes; add a "
                      "LIMIT or narrow the query."),
        "503": _error(f"The query ran past {settings.timeout:g} s (its worker was replaced), or "
                      f"every worker was busy for {settings.queue_timeout:g} s or "
                      f"{settings.max_waiting} requests already waited.", retry_after=True),
    }
    post_errors = {
        **errors,
        "413": _error(f"The request body is larger than {limit} bytes."),
        "415": _error(f"The body is neither {FORM} nor application/sparql-query."),
    }
    body_description = (f"At most {limit} bytes of UTF-8 (maxLength states it in characters, "
                        "which can only be fewer).")
    return {
        "/sparql": {
            ROUTE_KEY: "/sparql",
            "get": _op("sparqlGet", "SPARQL 1.1 Protocol query via GET",
                       {"200": ok, **errors},
                       [query_param, *protocol_params, fmt]),
            "post": _op(
                "sparqlPost", "SPARQL 1.1 Protocol query via POST",
                {"200": ok, **post_errors},
                [*protocol_params, fmt],
                requestBody={
                    "required": True,
                    "description": body_description,
                    "content": {
                        FORM: {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "query": {"type": "string", "maxLength": limit,
                                              "examples": [example]},
                                    "default-graph-uri": graphs,
                                    "named-graph-uri": graphs,
                                },
                            },
                            "encoding": {
                                "default-graph-uri": {"style": "form", "explode": True},
                                "named-graph-uri": {"style": "form", "explode": True},
                            },
                        },
                        "application/sparql-query": {
                            "schema": {"type": "string", "maxLength": limit,
                                       "examples": [example]},
                        },
                    },
                },
            ),
        },
    }


def _resource_paths(settings: ServeSettings, graph_names: Sequence[str]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    # Real names as examples, so that a client (or a fuzzer) reaches more than the 404s. Only
    # one-segment names serve: a "/" in a path parameter is sent as %2F, another IRI.
    examples = {"graph": [g.rsplit("/", 1)[1] for g in graph_names
                          if g.startswith(settings.base_iri + "graph/")
                          and "/" not in g[len(settings.base_iri + "graph/"):]]}
    not_found = _error("The dataset says nothing about this IRI, or the path is not an IRI.",
                       html=True)
    unavailable = _error("No query worker was free in time, or the lookup timed out.",
                         html=True, retry_after=True)
    for prefix in MINTED_PREFIXES:
        paths[f"/{prefix}/{{path}}"] = {
            ROUTE_KEY: RESOURCE_ROUTE,
            "get": _op(
                f"resource_{prefix.replace('-', '_')}",
                f"A slash IRI under {settings.base_iri}{prefix}/: 303 See Other to its "
                "description",
                {
                    "303": {
                        "description": "To /page/… for HTML, to /data/…?format=… for RDF, or "
                                       "to /.well-known/void for the dataset itself.",
                        "headers": {"Location": {"required": True, "schema": TEXT}},
                    },
                    "404": not_found,
                    "406": _error("None of the acceptable media types describes a resource."),
                    "503": unavailable,
                },
                [_path_param("path", "The rest of the IRI; may contain slashes.",
                             examples=examples.get(prefix, ())),
                 _format_param(PAGE_OFFERS, "the page or the RDF document")],
            ),
        }
    paths["/page/{path}"] = {
        ROUTE_KEY: "/page/{path:path}",
        "get": _op(
            "page", "The HTML page of a dataset resource",
            {"200": _ok("The resource page.", ("text/html",)),
             "400": _error(f"`page` is not a whole number up to {MAX_PAGE}.", html=True),
             "404": not_found, "503": unavailable},
            [_path_param("path", "The IRI's path under the base IRI (e.g. id/country/x)."),
             {"name": "page", "in": "query", "required": False,
              "description": "Which page of links; values below 1 are read as 1.",
              "schema": {"type": "integer", "maximum": MAX_PAGE}}],
        ),
    }
    paths["/data/{path}"] = {
        ROUTE_KEY: "/data/{path:path}",
        "get": _op(
            "data", "The RDF description of a dataset resource",
            {"200": _ok("Its triples (out, in up to 10,000) and its neighbours' labels.",
                        GRAPH_OFFERS,
                        headers={"Link": {"required": True, "schema": TEXT,
                                          "description": 'rel="describes" the resource'}}),
             "404": not_found,
             "406": _error("None of the acceptable media types can carry a graph."),
             "422": _error(f"The description is larger than {settings.max_result_bytes} "
                           "bytes."),
             "503": unavailable},
            [_path_param("path", "The IRI's path under the base IRI (e.g. id/country/x)."),
             _format_param(GRAPH_OFFERS, "an RDF graph")],
        ),
    }
    return paths


def _published_paths(dump_names: Sequence[str], versions: Sequence[str]) -> dict[str, Any]:
    rdf_406 = _error("None of the acceptable media types is offered.")
    not_found = _error("Nothing is published under this name.", html=True)
    validators = {
        "ETag": {"required": True, "schema": TEXT},
        "Last-Modified": {"required": True, "schema": TEXT},
    }
    return {
        "/": {
            ROUTE_KEY: "/",
            "get": _op("home", "The dataset's home page",
                       {"200": _ok("HTML.", ("text/html",)),
                        "503": _error("No query worker was free in time.", html=True,
                                      retry_after=True)}),
        },
        "/healthz": {
            ROUTE_KEY: "/healthz",
            "get": _op("healthz", "Worker pool health",
                       {"200": _ok("Workers are alive.", ("application/json",), HEALTH),
                        "503": _ok("No worker is alive.", ("application/json",), HEALTH)}),
        },
        "/openapi.json": {
            ROUTE_KEY: "/openapi.json",
            "get": _op("openapi", "This document",
                       {"200": _ok("OpenAPI 3.1.", ("application/json",), OPENAPI_SCHEMA)}),
        },
        "/.well-known/void": {
            ROUTE_KEY: "/.well-known/void",
            "get": _op("void", "VoID and DCAT description of the dataset",
                       {"200": _ok("RDF.", RDF_OFFERS), "406": rdf_406,
                        "503": _error("No query worker was free to describe the data yet.",
                                      html=True, retry_after=True)},
                       [_format_param(RDF_OFFERS, "RDF")]),
        },
        "/dumps/": {
            ROUTE_KEY: "/dumps/",
            "get": _op("dumps", "The published files",
                       {"200": _ok("A JSON listing, or HTML for browsers.",
                                   ("application/json", "text/html"), DUMP_INDEX)}),
        },
        "/dumps/{name}": {
            ROUTE_KEY: "/dumps/{name}",
            "get": _op(
                "dump", "One published file",
                {"200": _ok("The file; its .gz twin with Content-Encoding: gzip when the "
                            "client accepts gzip.",
                            (*dict.fromkeys(MEDIA_TYPES.values()),
                             "application/octet-stream"), headers=validators),
                 "304": {"description": "Not modified (If-None-Match/If-Modified-Since).",
                         "headers": validators},
                 "404": not_found},
                [_path_param("name", "A file name from /dumps/.", dump_names),
                 {"name": "If-None-Match", "in": "header", "required": False, "schema": TEXT},
                 {"name": "If-Modified-Since", "in": "header", "required": False,
                  "schema": TEXT}],
            ),
        },
        "/ontology": {
            ROUTE_KEY: "/ontology",
            "get": _op("ontology", "The OWL ontology (hash IRIs)",
                       {"200": _ok("Documentation (HTML) or the ontology as RDF.", PAGE_OFFERS),
                        "406": rdf_406},
                       [_format_param(PAGE_OFFERS, "HTML or RDF")]),
        },
        "/ontology/{version}": {
            ROUTE_KEY: "/ontology/{version}",
            "get": _op("ontologyVersion", "A version IRI of the ontology (owl:versionIRI)",
                       {"200": _ok("As /ontology.", PAGE_OFFERS), "404": not_found,
                        "406": rdf_406},
                       [_path_param("version", "The last segment of a version IRI.",
                                    versions),
                        _format_param(PAGE_OFFERS, "HTML or RDF")]),
        },
        "/shapes": {
            ROUTE_KEY: "/shapes",
            "get": _op("shapes", "The SHACL shapes",
                       {"200": _ok("RDF.", RDF_OFFERS), "404": not_found, "406": rdf_406},
                       [_format_param(RDF_OFFERS, "RDF")]),
        },
    }


def document(settings: ServeSettings, title: str, description: str,
             dump_names: Sequence[str] = (), ontology_versions: Iterable[str] = (),
             graph_names: Sequence[str] = ()) -> Schema:
    """The OpenAPI document for a server with these settings, files and named graphs.

    `ontology_versions` are full version IRIs; those of the form BASE/ontology/X (X without a
    slash) are the ones /ontology/{version} answers, so X is what the document lists.
    """
    stem = settings.base_iri + "ontology/"
    versions = sorted(v[len(stem):] for v in ontology_versions
                      if v.startswith(stem) and "/" not in v[len(stem):] and v != stem)
    from .openapi_finding import finding_paths  # it builds on this module's helpers

    paths = {**_published_paths(list(dump_names), versions), **_sparql_paths(settings),
             **_resource_paths(settings, graph_names), **finding_paths()}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": title,
            "version": __version__,
            "description": (
                f"{description}\n\nRead-only linked data: a SPARQL 1.1 Protocol endpoint, "
                "Cool-URI resource pages and documents, and the dumps. Limits of this server: "
                f"request bodies up to {settings.max_body_bytes} bytes (413), results up to "
                f"{settings.max_result_bytes} bytes (422), {settings.timeout:g} s per query "
                f"and {settings.workers} query workers (503 with Retry-After beyond), bracket "
                f"nesting up to {settings.max_query_depth} (400)."
            ),
        },
        "paths": paths,
    }


def documented_routes(doc: Schema) -> set[str]:
    """The Starlette route paths the document covers (for the router/document comparison)."""
    return {item[ROUTE_KEY] for item in doc["paths"].values()}
