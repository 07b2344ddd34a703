"""HTTP to a triple store: the Graph Store Protocol, SPARQL queries and updates.

Every failure becomes a `PublishError` with one line saying what failed, where and what to do;
transient ones (no connection, a timeout, 429/502/503/504) are retried first with exponential
back-off and jitter (tenacity). Retrying is safe here: a PUT, a DELETE, a DROP + INSERT DATA and a
POST of triples into a graph (a set) give the same store however often they are repeated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from ..errors import KgpubError

N_TRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
TRANSIENT_STATUS = {429, 502, 503, 504}


class PublishError(KgpubError):
    """Publishing stopped; the message is one line, the publish log says what is current."""


class _Transient(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class ChallengeAuth(httpx.Auth):
    """User and password, sent the way the server's challenge asks: HTTP Digest (Virtuoso's
    /sparql-graph-crud-auth) or Basic (most reverse proxies)."""

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if self._scheme is None:
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("www-authenticate", "").strip().lower()
            self._scheme = self._digest if challenge.startswith("digest") else self._basic
        yield from self._scheme.auth_flow(request)


@dataclass(frozen=True)
class Endpoints:
    gsp: str  # Graph Store Protocol (Oxigraph /store, Virtuoso /sparql-graph-crud-auth)
    sparql: str  # SPARQL query endpoint (Oxigraph /query, Virtuoso /sparql)
    update: str | None = None  # SPARQL update endpoint (Oxigraph /update, Virtuoso /sparql-auth)


def _first_line(text: str, limit: int = 200) -> str:
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    if line.lstrip().startswith("<"):  # an HTML error page: its markup says nothing useful
        return ""
    return line[:limit]


class StoreClient:
    """One httpx client for the store, with retries and clear errors."""

    def __init__(self, endpoints: Endpoints, auth: httpx.Auth | None = None,
                 timeout: float = 60.0, retries: int = 4, backoff: float = 0.5) -> None:
        self.endpoints = endpoints
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.http = httpx.Client(auth=auth, timeout=timeout, follow_redirects=False)
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    # -- transport -------------------------------------------------------------------------

    def request(self, method: str, url: str, what: str, ok: tuple[int, ...] = (200, 201, 204),
                **kwargs) -> httpx.Response:
        """Send with retries; return the response if its status is in `ok` (or 404 when asked),
        else raise PublishError naming `what`."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=wait_exponential_jitter(multiplier=self.backoff, max=10 * self.backoff + 5),
            retry=retry_if_exception(lambda e: isinstance(e, httpx.TransportError | _Transient)),
            reraise=False)
        try:
            for attempt in retrying:
                with attempt:
                    self.requests += 1
                    response = self.http.request(method, url, **kwargs)
                    if response.status_code in TRANSIENT_STATUS:
                        raise _Transient(response)
        except RetryError as exc:
            error = exc.last_attempt.exception()
            tries = f"{self.retries + 1} attempts"
            if isinstance(error, _Transient):
                response = error.response
            elif isinstance(error, httpx.TimeoutException):
                raise PublishError(f"{what}: {_host(url)} did not answer within {self.timeout:g} s "
                                   f"({tries}); is the store overloaded? raise --timeout") from None
            elif isinstance(error, httpx.ConnectError):
                raise PublishError(f"{what}: cannot connect to {_host(url)} ({tries}): "
                                   f"{_reason(error)}; is the store running at {url.split('?')[0]}?"
                                   ) from None
            else:
                raise PublishError(f"{what}: the connection to {_host(url)} failed ({tries}): "
                                   f"{_reason(error)}") from None
        if response.status_code in ok:
            return response
        detail = _first_line(response.text)
        if response.status_code == 401:
            raise PublishError(f"{what}: {_host(url)} refused the credentials (HTTP 401); check "
                               "--user and --password (or --netrc)")
        if response.status_code == 403:
            raise PublishError(f"{what}: {_host(url)} refused it (HTTP 403"
                               + (f": {detail}" if detail else "") + "); check the user's "
                               "rights, or whether the store takes writes at all")
        raise PublishError(f"{what}: {_host(url)} answered HTTP {response.status_code}"
                           + (f": {detail}" if detail else ""))

    # -- Graph Store Protocol --------------------------------------------------------------

    def _graph_url(self, graph: str) -> tuple[str, dict]:
        # Oxigraph names the parameter `graph`, Virtuoso `graph-uri`; the standard says `graph`.
        key = "graph-uri" if "sparql-graph-crud" in self.endpoints.gsp else "graph"
        return self.endpoints.gsp, {key: graph}

    def put_graph(self, graph: str, body: bytes) -> None:
        url, params = self._graph_url(graph)
        self.request("PUT", url, f"replacing graph <{graph}>", params=params, content=body,
                     headers={"Content-Type": N_TRIPLES})

    def post_graph(self, graph: str, body: bytes) -> None:
        url, params = self._graph_url(graph)
        self.request("POST", url, f"adding to graph <{graph}>", params=params, content=body,
                     headers={"Content-Type": N_TRIPLES})

    def delete_graph(self, graph: str) -> None:
        url, params = self._graph_url(graph)
        self.request("DELETE", url, f"removing graph <{graph}>", ok=(200, 204, 404),
                     params=params)

    def get_graph(self, graph: str) -> list[ox.Triple] | None:
        """The graph's triples, or None when the store has no such graph."""
        url, params = self._graph_url(graph)
        response = self.request("GET", url, f"reading graph <{graph}>", ok=(200, 404),
                                params=params, headers={"Accept": N_TRIPLES})
        if response.status_code == 404:
            return None
        try:
            return [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as exc:
            raise PublishError(f"reading graph <{graph}>: {_host(url)} answered "
                               f"{_media(response)}, not N-Triples ({exc.msg}); is --gsp the "
                               "Graph Store Protocol service?") from None

    # -- SPARQL ----------------------------------------------------------------------------

    def select(self, query: str, what: str) -> list[ox.QuerySolution]:
        url = self.endpoints.sparql
        response = self.request("POST", url, what, ok=(200,), data={"query": query},
                                headers={"Accept": RESULTS_JSON})
        try:
            return list(ox.parse_query_results(response.content,
                                               format=ox.QueryResultsFormat.JSON))
        except (SyntaxError, ValueError) as exc:
            raise PublishError(f"{what}: {_host(url)} answered {_media(response)}, not SPARQL "
                               f"JSON results ({getattr(exc, 'msg', exc)}); is --sparql the "
                               "query endpoint?") from None

    def update(self, text: str, what: str) -> None:
        if self.endpoints.update is None:
            raise PublishError(f"{what}: needs a SPARQL update endpoint: pass --update URL")
        self.request("POST", self.endpoints.update, what, data={"update": text})


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "no content type").split(";")[0]


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return "connection refused" if "refused" in text.lower() else text
