"""Every setting of `kgpub serve` in one table: it drives the CLI options, the docs and a test."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class ServeSettings:
    base_iri: str = field(default="https://w3id.org/kgpub/", metadata={
        "help": "Public base IRI of the dataset; IRIs under it are served under this server's "
                "own host (BASE/id/x is /id/x)."})
    workers: int = field(default=4, metadata={
        "help": "Query worker processes (each runs one query at a time)."})
    timeout: float = field(default=10.0, metadata={
        "help": "Seconds a query may run before its worker is killed and the client gets 503."})
    max_workers: int = field(default=8, metadata={
        "help": "Most worker processes at once: while slow queries hold workers, extra ones are "
                "started up to this number so that quick queries are still answered."})
    slow_after: float = field(default=0.0, metadata={
        "help": "Seconds after which a running query counts as slow: its worker yields the CPU "
                "and, if needed, an extra worker starts (0: a tenth of --timeout)."})
    worker_memory: int = field(default=2048, metadata={
        "help": "MiB of memory one query may use on top of the loaded data; a query that needs "
                "more is stopped (0: no limit)."})
    max_result_bytes: int = field(default=64 * 1024 * 1024, metadata={
        "help": "Largest serialised result; a bigger one is refused with 422."})
    max_body_bytes: int = field(default=1024 * 1024, metadata={
        "help": "Largest request body (a POSTed query); a bigger one is refused with 413."})
    max_waiting: int = field(default=256, metadata={
        "help": "Requests that may wait for a free worker; more are refused with 503."})
    max_connections: int = field(default=512, metadata={
        "help": "Open connections the server takes at once; more are answered 503 at once."})
    queue_timeout: float = field(default=5.0, metadata={
        "help": "Seconds a request may wait for a free worker before it gets 503."})
    max_query_depth: int = field(default=128, metadata={
        "help": "Deepest nesting of brackets in a query; deeper ones are refused with 400."})
    service_allowlist: tuple[str, ...] = field(default=(), metadata={
        "help": "Endpoint IRIs that SERVICE may call (repeatable); none by default."})
    default_graph: str = field(default="set", metadata={
        "choices": ("set", "bag"),
        "help": "The default graph, the union of all named graphs: 'set' (an RDF graph, each "
                "triple once, as SPARQL defines it; holds one more copy of the distinct triples) "
                "or 'bag' (a triple stated in n graphs matches n times; no extra memory)."})


    @property
    def slow_after_seconds(self) -> float:
        return self.slow_after if self.slow_after > 0 else self.timeout / 10


def setting_help() -> dict[str, str]:
    return {f.name: f.metadata["help"] for f in fields(ServeSettings)}
