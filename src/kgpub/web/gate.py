"""Decide, before any engine sees it, whether a SPARQL request may run.

The gate scans tokens (sparql_text), not a parse tree: it is linear in the query length, needs
no recursion (a query nested thousands of levels deep cannot overflow it) and cannot be fooled
by keywords inside strings, IRIs, comments or prefixed names. Oxigraph still parses the query
in a worker; the gate only answers what the endpoint must know first: the query form (for
content negotiation), whether the text is an update, whether it calls a remote service, and
whether it is nested beyond what the engine's parser survives.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sparql_text import Token, mark_service_targets, tokens

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

class Refused(Exception):
    """The request is well-formed HTTP but the endpoint will not run it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class GateSettings:
    max_depth: int = 128
    service_allowlist: frozenset[str] = frozenset()


@dataclass(frozen=True)
class QueryInfo:
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    services: tuple[str, ...]
    has_dataset_clause: bool  # FROM / FROM NAMED present

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def inspect_query(text: str, settings: GateSettings | None = None) -> QueryInfo:
    """Classify `text` or raise `Refused` with a status and a message a person can act on.

    One pass, no token kept: the gate sees every request, hostile ones too, and a megabyte of
    query text can be a million tokens."""
    settings = settings or GateSettings()
    form: str | None = None
    has_from = False
    depth = 0
    services: list[str] = []
    for token, service_target in mark_service_targets(tokens(text)):
        kind = token.kind
        if service_target:
            services.append(_allowed_service(token, settings))
        if kind == "open":
            depth += 1
            if depth > settings.max_depth:
                raise Refused(
                    400,
                    f"query is nested more than {settings.max_depth} levels deep "
                    f"(line {token.line}, column {token.column}); flatten the groups or "
                    "sub-queries",
                )
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word":
            keyword = token.keyword
            if form is None and keyword in UPDATE_KEYWORDS:
                raise Refused(
                    403,
                    f"SPARQL Update ({keyword}, line {token.line}, column {token.column}) is "
                    "not accepted: this endpoint is read-only",
                )
            if form is None and keyword in QUERY_FORMS:
                form = keyword
            if keyword == "FROM":
                has_from = True
    if form is None:
        raise Refused(
            400,
            "not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK after the prologue",
        )
    return QueryInfo(form=form, services=tuple(services), has_dataset_clause=has_from)


def _allowed_service(target: Token, settings: GateSettings) -> str:
    """The IRI of a SERVICE target on the allow-list, or Refused (a variable never is)."""
    iri = target.value[1:-1] if target.kind == "iri" else None
    if iri is None or iri not in settings.service_allowlist:
        allowed = ", ".join(sorted(settings.service_allowlist))
        raise Refused(
            403,
            f"SERVICE {target.value} (line {target.line}, column {target.column}) is not "
            "allowed: this endpoint does not call other endpoints"
            + (f"; allowed: {allowed}" if allowed else ""),
        )
    return iri
