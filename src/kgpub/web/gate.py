"""Decide, before any engine sees it, whether a SPARQL request may run.

The gate scans tokens, not a parse tree: it is linear in the query length, needs no recursion
(a query nested thousands of levels deep cannot overflow it) and cannot be fooled by keywords
inside strings, IRIs, comments or prefixed names. Oxigraph still parses the query in a worker;
the gate only answers what the endpoint must know first: the query form (for content
negotiation), whether the text is an update, whether it calls a remote service, and whether it
is nested beyond what the engine's parser survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

# One alternative per token class; the first that matches at a position wins.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<name>[A-Za-z_\u00c0-\U000effff][\w.\-\u00b7\u00c0-\U000effff]*+
              (?::[\w\-.:%\\\u00b7\u00c0-\U000effff]*+)?+)
  | (?P<pname>:[\w\-.:%\\\u00b7\u00c0-\U000effff]*+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


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


def _tokens(text: str):
    line, col_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "name":
            kind = "pname" if ":" in m.group() else "word"
        if kind not in ("ws", "comment"):
            yield kind, m.group(), line, m.start() - col_start + 1
        chunk = m.group()
        if "\n" in chunk:
            line += chunk.count("\n")
            col_start = m.start() + chunk.rfind("\n") + 1


def inspect_query(text: str, settings: GateSettings | None = None) -> QueryInfo:
    """Classify `text` or raise `Refused` with a status and a message a person can act on."""
    settings = settings or GateSettings()
    form: str | None = None
    services: list[str] = []
    has_from = False
    depth = 0
    previous: tuple[str, str] = ("", "")
    for kind, value, line, col in _tokens(text):
        upper = value.upper() if kind == "word" else ""
        if kind == "open":
            depth += 1
            if depth > settings.max_depth:
                raise Refused(
                    400,
                    f"query is nested more than {settings.max_depth} levels deep "
                    f"(line {line}, column {col}); flatten the groups or sub-queries",
                )
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word":
            if form is None and upper in UPDATE_KEYWORDS:
                raise Refused(
                    403,
                    f"SPARQL Update ({upper}, line {line}, column {col}) is not accepted: "
                    "this endpoint is read-only",
                )
            if form is None and upper in QUERY_FORMS:
                form = upper
            if upper == "FROM":
                has_from = True
        if previous[0] == "word" and previous[1].upper() == "SERVICE":
            target = value
            if kind == "word" and upper == "SILENT":
                previous = ("word", "SERVICE")  # the IRI or variable follows SILENT
                continue
            iri = target[1:-1] if kind == "iri" else None
            if iri is None or iri not in settings.service_allowlist:
                raise Refused(
                    403,
                    f"SERVICE {target} (line {line}, column {col}) is not allowed: this endpoint "
                    "does not call other endpoints"
                    + (
                        ""
                        if not settings.service_allowlist
                        else "; allowed: " + ", ".join(sorted(settings.service_allowlist))
                    ),
                )
            services.append(iri)
        previous = (kind, value)
    if form is None:
        raise Refused(
            400,
            "not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK after the prologue",
        )
    return QueryInfo(form=form, services=tuple(services), has_dataset_clause=has_from)
