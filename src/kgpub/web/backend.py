"""`kgpub serve --backend URL`: the site and /sparql over an external SPARQL endpoint.

The backend stands in for the worker pool (same `execute(job)`), behind the same gate, time
limit, result cap and error mapping. What reaches the backend is only ever one query that
Oxigraph's parser accepted (checked in a worker process over an empty store, so the endpoint
keeps its limits on hostile text), with no `SERVICE` (the gate), no IRIs in Virtuoso's `bif:` and
`sql:` schemes (store functions that can reach files or hosts) and only the protocol parameters
kgpub sets itself: `query`, `default-graph-uri`, `named-graph-uri`. The URL is the operator's.

The dataset: when the store holds a kgpub publish log (kgpub publish), queries without a dataset
of their own run over the published graphs only, with the union graph as default graph (a set),
whatever else the store holds. Answers are parsed and written again in the format the client
asked for, so a malformed or HTML answer is a clear 502, never passed on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from .gate import inspect_query
from .pool import PoolError, PoolSettings, QueryTimeout, WorkerPool
from .worker import GRAPH_FORMATS, RESULT_FORMATS, CappedBuffer, ResultTooLarge

log = logging.getLogger("kgpub.backend")
LOG_GRAPH = "urn:kgpub:publish-log"  # kgpub.publish.plan.LOG_GRAPH (not imported: no rdflib)
PUBLISH_NS = "https://w3id.org/kgpub/publish#"
STORE_FUNCTIONS = re.compile(r"<\s*(bif|sql):", re.IGNORECASE)
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class BackendError(PoolError):
    status = 502


def _first_line(text: str) -> str:
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return "" if line.startswith("<") else line[:200]


class Backend:
    """An external SPARQL endpoint used like the worker pool."""

    def __init__(self, url: str, settings: PoolSettings, default_graph: str = "set") -> None:
        self.url = url
        self.settings = settings
        self.default_graph = default_graph
        self.checker = WorkerPool({"snapshots": []}, PoolSettings(
            workers=min(2, settings.workers), timeout=settings.timeout,
            max_waiting=settings.max_waiting, queue_timeout=settings.queue_timeout,
            max_workers=min(2, settings.workers), worker_memory_mib=settings.worker_memory_mib))
        self.http: httpx.AsyncClient | None = None
        self.dataset: dict[str, list[str]] = {}  # protocol parameters for queries without one
        self.reachable = True
        self.stats = {"queries": 0, "timeouts": 0, "backend_errors": 0}

    # -- the pool's interface ------------------------------------------------------------------

    async def start(self) -> None:
        self.http = httpx.AsyncClient(timeout=None, follow_redirects=False,
                                      limits=httpx.Limits(max_connections=64))
        await self.checker.start()
        self.dataset = await self._published_dataset()

    async def close(self) -> None:
        if self.http is not None:
            await self.http.aclose()
        await self.checker.close()

    @property
    def serving(self) -> bool:
        return self.reachable and self.checker.serving

    def health(self) -> dict:
        return {"backend": "reachable" if self.reachable else "unreachable",
                "checkers": self.checker.alive, **self.stats}

    async def execute(self, job: dict, timeout: float | None = None) -> bytes:
        limit = self.settings.timeout if timeout is None else timeout
        query = job["query"]
        if STORE_FUNCTIONS.search(query):
            raise PoolError("the query names an IRI in the bif: or sql: scheme (a store's own "
                            "functions); this endpoint only forwards standard SPARQL", 403)
        self.stats["queries"] += 1
        try:
            return await asyncio.wait_for(self._run(job), limit)
        except TimeoutError:
            self.stats["timeouts"] += 1  # leaving wait_for closed the backend connection
            raise QueryTimeout(f"the query ran longer than the {limit:g} s limit and was "
                               "stopped; narrow it or add a LIMIT") from None

    # -- one query -----------------------------------------------------------------------------

    async def _run(self, job: dict) -> bytes:
        await self.checker.execute({**job, "check_only": True})  # 400 with line and column
        form = inspect_query(job["query"]).form
        graph = form in ("CONSTRUCT", "DESCRIBE")
        params: list[tuple[str, str]] = [("query", job["query"])]
        if job.get("default_graphs") is not None or job.get("named_graphs") is not None:
            params += [("default-graph-uri", g) for g in job.get("default_graphs") or []]
            params += [("named-graph-uri", g) for g in job.get("named_graphs") or []]
        elif not inspect_query(job["query"]).has_dataset_clause:
            params += [(k, g) for k, gs in self.dataset.items() for g in gs]
        body = await self._post(params, N_TRIPLES if graph else RESULTS_JSON,
                                2 * job.get("max_bytes", self.settings.max_result_bytes))
        max_bytes = job.get("max_bytes", self.settings.max_result_bytes)
        return await asyncio.to_thread(_rewrite, body, graph, form, job["media"], max_bytes,
                                       job.get("prefixes"))

    async def _post(self, params: list[tuple[str, str]], accept: str, cap: int) -> bytes:
        assert self.http is not None
        try:
            async with self.http.stream(
                    "POST", self.url, content=urlencode(params).encode("utf-8"),
                    headers={"Accept": accept,
                             "Content-Type": "application/x-www-form-urlencoded"}) as response:
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise PoolError(f"the result is larger than the {cap // 2:,}-byte limit "
                                        "of this endpoint; add a LIMIT or narrow the query", 422)
                    chunks.append(chunk)
        except httpx.TransportError as exc:
            self.reachable = False
            self.stats["backend_errors"] += 1
            log.error("backend %s: %s", self.url, exc)
            raise BackendError("the SPARQL backend of this endpoint cannot be reached; retry "
                               "later") from None
        self.reachable = True
        body = b"".join(chunks)
        if response.status_code == 200:
            media = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if media in ("text/html", "application/xhtml+xml"):
                self.stats["backend_errors"] += 1
                raise BackendError("the SPARQL backend answered with an HTML page instead of "
                                   "results; the endpoint is misconfigured")
            if response.headers.get("x-sql-state"):  # Virtuoso's partial ("anytime") result
                raise QueryTimeout("the backend stopped the query at its own time limit; "
                                   "narrow it or add a LIMIT")
            return body
        self.stats["backend_errors"] += 1
        detail = _first_line(body.decode("utf-8", "replace"))
        log.error("backend %s answered %s: %s", self.url, response.status_code, detail)
        if response.status_code == 400:
            raise PoolError("the SPARQL backend refused the query"
                            + (f": {detail}" if detail else ""), 400)
        raise BackendError(f"the SPARQL backend failed (HTTP {response.status_code}); retry "
                           "later")

    async def _published_dataset(self) -> dict[str, list[str]]:
        """The published graphs and union graph, from the publish log (none: serve all)."""
        query = (f"SELECT ?g ?union WHERE {{ GRAPH <{LOG_GRAPH}> {{ <{LOG_GRAPH}> "
                 f"<{PUBLISH_NS}graph> ?g OPTIONAL {{ <{LOG_GRAPH}> <{PUBLISH_NS}unionGraph> "
                 "?union } } }")
        rows = json.loads(await self.execute(
            {"query": query, "media": RESULTS_JSON, "default_graphs": [], "named_graphs":
             [LOG_GRAPH]}, timeout=max(self.settings.timeout, 60)))["results"]["bindings"]
        if not rows:
            log.warning("the backend holds no kgpub publish log: its own default graph and "
                        "named graphs are served as they are")
            return {}
        union = rows[0].get("union", {}).get("value")
        graphs = sorted({r["g"]["value"] for r in rows} - {union})
        if self.default_graph == "set" and union:
            return {"default-graph-uri": [union], "named-graph-uri": graphs}
        if self.default_graph == "set":
            log.warning("the publish log names no union graph (published with --default-graph "
                        "bag): the default graph is the bag of all graphs")
        return {"default-graph-uri": graphs, "named-graph-uri": graphs}


def _rewrite(body: bytes, graph: bool, form: str, media: str, max_bytes: int,
             prefixes: dict[str, str] | None) -> bytes:
    """Parse the backend's answer and write it as `media` (a malformed answer is a 502)."""
    buffer = CappedBuffer(max_bytes)
    try:
        if graph:
            fmt = GRAPH_FORMATS.get(media)
            if fmt is None:
                raise PoolError(f"a graph result cannot be written as {media}", 406)
            triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
            ox.serialize(triples, buffer, format=fmt,
                         prefixes=prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
                         else None)
        else:
            fmt = RESULT_FORMATS.get(media)
            if fmt is None:
                raise PoolError(f"query results cannot be written as {media}", 406)
            result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if form == "ASK" and isinstance(result, ox.QuerySolutions):
                result = _virtuoso_ask(result)
            result.serialize(buffer, format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise BackendError("the SPARQL backend answered with malformed "
                           f"{'RDF' if graph else 'results'} ({getattr(exc, 'msg', exc)})"
                           ) from None
    except ResultTooLarge:
        raise PoolError(f"the result is larger than the {max_bytes:,}-byte limit of this "
                        "endpoint; add a LIMIT or narrow the query", 422) from None
    return buffer.getvalue()


def _virtuoso_ask(solutions: ox.QuerySolutions) -> ox.QueryBoolean:
    """Virtuoso 7.2 answers many ASK queries as a SELECT of one `__ASK_RETVAL` (1 or nothing)."""
    if [v.value for v in solutions.variables] != ["__ASK_RETVAL"]:
        raise ValueError("an ASK query was answered with rows")
    answer = any(row["__ASK_RETVAL"] is not None and row["__ASK_RETVAL"].value not in ("0", "")
                 for row in solutions)
    return ox.parse_query_results(json.dumps({"head": {}, "boolean": answer}),
                                  format=ox.QueryResultsFormat.JSON)


def probe(url: str, timeout: float = 10.0) -> None:
    """Fail at start, with one line, when `url` is not a SPARQL endpoint that answers."""
    from .loading import StoreError

    try:
        response = httpx.post(url, data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                              headers={"Accept": RESULTS_JSON}, timeout=timeout)
    except httpx.TransportError as exc:
        raise StoreError(f"--backend {url}: cannot be reached ({exc or type(exc).__name__}); "
                         "is the store running?") from None
    media = response.headers.get("content-type", "").split(";")[0]
    if response.status_code != 200:
        raise StoreError(f"--backend {url}: answered HTTP {response.status_code} to a SELECT; "
                         "give the store's SPARQL query endpoint (Oxigraph: /query, "
                         "Virtuoso: /sparql)")
    try:
        ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError):
        raise StoreError(f"--backend {url}: answered {media or 'something'} that is not SPARQL "
                         "JSON results; give the store's SPARQL query endpoint") from None


def make_backend(settings, url: str) -> Backend:
    """The query executor for `kgpub serve --backend URL`, once the URL answers as an endpoint."""
    probe(url)
    return Backend(url, PoolSettings(
        workers=settings.workers, timeout=settings.timeout, max_waiting=settings.max_waiting,
        queue_timeout=settings.queue_timeout, max_result_bytes=settings.max_result_bytes,
        worker_memory_mib=settings.worker_memory), settings.default_graph)
