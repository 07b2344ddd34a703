"""Every setting of `kgpub serve` in one table: it drives the CLI options, the docs and a test.

Each number carries its lowest sensible value (`minimum`, and `above` when the minimum itself is
not allowed); a setting outside its range is refused at once with the option's name, before
anything is loaded or started.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

import pyoxigraph as ox

from ..errors import KgpubError


class SettingError(KgpubError):
    """A `kgpub serve` setting outside its range (bad usage: exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class ServeSettings:
    base_iri: str = field(default="https://w3id.org/kgpub/", metadata={
        "help": "Public base IRI of the dataset; IRIs under it are served under this server's "
                "own host (BASE/id/x is /id/x)."})
    workers: int = field(default=4, metadata={
        "minimum": 1,
        "help": "Query worker processes (each runs one query at a time)."})
    timeout: float = field(default=10.0, metadata={
        "minimum": 0, "above": True,
        "help": "Seconds a query may run before its worker is killed and the client gets 503."})
    max_workers: int = field(default=8, metadata={
        "minimum": 0,
        "help": "Most worker processes at once: while slow queries hold workers, extra ones are "
                "started up to this number so that quick queries are still answered (never fewer "
                "than --workers)."})
    slow_after: float = field(default=0.0, metadata={
        "minimum": 0,
        "help": "Seconds after which a running query counts as slow: its worker yields the CPU "
                "and, if needed, an extra worker starts (0: a tenth of --timeout)."})
    worker_memory: int = field(default=2048, metadata={
        "minimum": 0,
        "help": "MiB of memory one query may use on top of the loaded data; a query that needs "
                "more is stopped (0: no limit)."})
    max_result_bytes: int = field(default=64 * 1024 * 1024, metadata={
        "minimum": 1,
        "help": "Largest serialised result; a bigger one is refused with 422."})
    max_body_bytes: int = field(default=1024 * 1024, metadata={
        "minimum": 1,
        "help": "Largest request body (a POSTed query); a bigger one is refused with 413."})
    max_waiting: int = field(default=256, metadata={
        "minimum": 0,
        "help": "Requests that may wait for a free worker; more are refused with 503."})
    max_connections: int = field(default=512, metadata={
        "minimum": 1,
        "help": "Open connections the server takes at once; more are answered 503 at once."})
    queue_timeout: float = field(default=5.0, metadata={
        "minimum": 0, "above": True,
        "help": "Seconds a request may wait for a free worker before it gets 503."})
    max_query_depth: int = field(default=128, metadata={
        "minimum": 1,
        "help": "Deepest nesting of brackets in a query; deeper ones are refused with 400."})
    service_allowlist: tuple[str, ...] = field(default=(), metadata={
        "help": "Endpoint IRIs that SERVICE may call (repeatable); none by default."})
    default_graph: str = field(default="set", metadata={
        "choices": ("set", "bag"),
        "help": "The default graph, the union of all named graphs: 'set' (an RDF graph, each "
                "triple once, as SPARQL defines it; holds one more copy of the distinct triples) "
                "or 'bag' (a triple stated in n graphs matches n times; no extra memory)."})

    def __post_init__(self) -> None:
        for f in fields(self):
            if "choices" in f.metadata and getattr(self, f.name) not in f.metadata["choices"]:
                raise SettingError(f"{_option(f.name)} must be one of "
                                   f"{', '.join(f.metadata['choices'])}, not "
                                   f"{getattr(self, f.name)!r}")
            if "minimum" in f.metadata:
                _check_number(f.name, getattr(self, f.name), f.metadata["minimum"],
                              f.metadata.get("above", False))
        object.__setattr__(self, "base_iri", normalise_base_iri(self.base_iri))
        for iri in self.service_allowlist:
            if not _is_http_iri(iri):
                raise SettingError(f"--service-allowlist {iri!r} is not an absolute http(s) IRI; "
                                   "give the endpoint's full IRI, such as "
                                   "https://query.wikidata.org/sparql")

    @property
    def slow_after_seconds(self) -> float:
        return self.slow_after if self.slow_after > 0 else self.timeout / 10


def setting_help() -> dict[str, str]:
    return {f.name: f.metadata["help"] for f in fields(ServeSettings)}


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _check_number(name: str, value: float, minimum: float, above: bool) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingError(f"{_option(name)} must be a finite number, not {value}")
    if value < minimum or (above and value == minimum):
        bound = f"above {minimum:g}" if above else f"at least {minimum:g}"
        raise SettingError(f"{_option(name)} must be {bound}, not {value:g}")


def _is_http_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)  # what the store takes as an IRI: no spaces, no <>"{}|^`\\
    except ValueError:
        return False
    parts = urlsplit(iri)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def normalise_base_iri(iri: str) -> str:
    """The base IRI with a trailing slash, so that BASE + `id/x` is the IRI served at `/id/x`.

    Without the slash, `http://example.org/kg` would map `/id/x` to `http://example.org/kgid/x`.
    A query or fragment cannot be a base of paths, and only http(s) IRIs have a host to serve.
    """
    if not _is_http_iri(iri):
        raise SettingError(f"--base-iri {iri!r} is not an absolute http(s) IRI; give one such "
                           "as https://example.org/kg/")
    parts = urlsplit(iri)
    if parts.query or parts.fragment or iri.endswith(("?", "#")):
        raise SettingError(f"--base-iri {iri!r} has a query or fragment; the base IRI is a path "
                           "under which this server answers, such as https://example.org/kg/")
    return iri if iri.endswith("/") else iri + "/"
