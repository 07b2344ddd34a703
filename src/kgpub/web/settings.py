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
    max_result_bytes: int = field(default=64 * 1024 * 1024, metadata={
        "help": "Largest serialised result; a bigger one is refused with 422."})
    max_body_bytes: int = field(default=1024 * 1024, metadata={
        "help": "Largest request body (a POSTed query); a bigger one is refused with 413."})
    max_waiting: int = field(default=64, metadata={
        "help": "Requests that may wait for a free worker; more are refused with 503."})
    queue_timeout: float = field(default=5.0, metadata={
        "help": "Seconds a request may wait for a free worker before it gets 503."})
    max_query_depth: int = field(default=128, metadata={
        "help": "Deepest nesting of brackets in a query; deeper ones are refused with 400."})
    service_allowlist: tuple[str, ...] = field(default=(), metadata={
        "help": "Endpoint IRIs that SERVICE may call (repeatable); none by default."})


def setting_help() -> dict[str, str]:
    return {f.name: f.metadata["help"] for f in fields(ServeSettings)}
