"""RDF terms as the pages show them: vocabularies, labels, local links, SPARQL JSON bindings.

Kept free of queries and templates so every other module of the site can share one notion of
how an IRI is linked and named.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..namespaces import PREFIXES

Binding = dict[str, dict[str, str]]
Select = Callable[[str], Awaitable[list[Binding]]]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
NP = "http://www.nanopub.org/nschema#"
KGP = "https://w3id.org/kgpub/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = RDF + "type"

QUERY_PREFIXES = (
    f"PREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\nPREFIX owl: <{OWL}>\nPREFIX skos: <{SKOS}>\n"
    f"PREFIX schema: <{SCHEMA}>\nPREFIX dcterms: <{DCTERMS}>\nPREFIX prov: <{PROV}>\n"
    f"PREFIX np: <{NP}>\nPREFIX kgp: <{KGP}>\nPREFIX oa: <http://www.w3.org/ns/oa#>\n"
    "PREFIX void: <http://rdfs.org/ns/void#>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
)
SAME_AS_PREDICATES = (OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch")
# Namespaces whose terms are vocabulary (shown by a humanised local name when unlabelled);
# terms of the other prefixes (instances, graphs, Wikidata items) are shown as CURIEs.
INSTANCE_PREFIXES = {"kgr", "kgg", "wd", "kgst", "cameo", "plover", "kgsh"}
POLARITY_COLOURS = {"Positive": "#1b7f3b", "Negative": "#c62828", "Neutral": "#6b6b6b"}
OTHER_COLOUR = "#1f5fa8"
WEB_SCHEMES = ("http://", "https://")  # the only IRIs (besides the site's own) linked to
FORBIDDEN_IRI_CHARS = set('<>"{}|^`\\ ') | {chr(i) for i in range(0x21)}


@dataclass(frozen=True)
class Term:
    """An RDF term ready for display: label, link target, language or datatype."""

    kind: str  # "uri", "literal", "bnode" or "triple"
    value: str
    label: str
    href: str | None = None  # None: not to be linked (see Terms.href)
    curie: str | None = None
    lang: str | None = None
    datatype: str | None = None
    datatype_label: str | None = None
    external: bool = False


class Terms:
    """Links and names IRIs relative to the site's base IRI and the project's prefixes."""

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        self._namespaces = sorted(((p, str(ns)) for p, ns in PREFIXES.items()),
                                  key=lambda item: -len(item[1]))

    def href(self, iri: str) -> str | None:
        """Where a link to the IRI goes: its local path when it is under base_iri (served
        here), the IRI itself when it is on the web (http or https), else None: no link.

        IRIs come from the data, and `javascript:`, `data:` or `vbscript:` IRIs are as valid
        as any; written into an href they would be live (the CSP blocks scripts, but a link is
        a promise that following it leads to a document). They are shown as text instead.
        """
        base = self.base_iri
        if base and iri.startswith(base):
            return "/" + iri[len(base):].lstrip("/")
        if iri.lower().startswith(WEB_SCHEMES):
            return iri
        return None

    def is_local(self, iri: str) -> bool:
        """Whether the IRI is served by this site (so it is linked locally)."""
        return bool(self.base_iri) and iri.startswith(self.base_iri)

    def curie(self, iri: str) -> str | None:
        """prefix:local for IRIs in a known namespace, so unlabelled terms stay readable."""
        for prefix, ns in self._namespaces:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return None

    def fallback_label(self, iri: str) -> str:
        """A label for an IRI the data does not label: vocabulary by name, instances by CURIE."""
        curie = self.curie(iri)
        if curie is None:
            return iri
        prefix, _, local = curie.partition(":")
        if prefix in INSTANCE_PREFIXES or "/" in local:
            return curie
        return humanise(local)

    def term(self, value: dict[str, str], labels: dict[str, str] | None = None) -> Term:
        """A SPARQL JSON term as a display Term (labels: IRI -> label, from best_labels)."""
        kind = value.get("type", "literal")
        text = value.get("value", "")
        if kind == "uri":
            label = (labels or {}).get(text) or self.fallback_label(text)
            return Term("uri", text, label, href=self.href(text), curie=self.curie(text),
                        external=not self.is_local(text))
        if kind == "bnode":
            return Term("bnode", text, f"_:{text}")
        if kind in ("literal", "typed-literal"):
            datatype = value.get("datatype")
            return Term("literal", text, text, lang=value.get("xml:lang"), datatype=datatype,
                        datatype_label=(self.curie(datatype) or datatype) if datatype else None)
        return Term(kind, text, text)

    def iri_term(self, iri: str, labels: dict[str, str] | None = None) -> Term:
        """The Term for an IRI."""
        return self.term({"type": "uri", "value": iri}, labels)


def bindings_from_pyoxigraph(solutions: Any) -> list[Binding]:
    """Convert pyoxigraph QuerySolutions to SPARQL 1.1 JSON bindings (for tests and tools)."""
    import pyoxigraph as ox

    def convert(term: Any) -> dict[str, str]:
        if isinstance(term, ox.NamedNode):
            return {"type": "uri", "value": term.value}
        if isinstance(term, ox.BlankNode):
            return {"type": "bnode", "value": term.value}
        if isinstance(term, ox.Literal):
            out = {"type": "literal", "value": term.value}
            if term.language:
                out["xml:lang"] = term.language
            elif term.datatype.value != XSD + "string":
                out["datatype"] = term.datatype.value
            return out
        return {"type": "triple", "value": str(term)}

    names = [v.value for v in solutions.variables]
    rows: list[Binding] = []
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = convert(term)
        rows.append(row)
    return rows


def is_safe_iri(iri: str) -> bool:
    """Whether an IRI can be written between <> in a query without escaping anything."""
    return bool(iri) and ":" in iri and not any(c in FORBIDDEN_IRI_CHARS for c in iri)


def iri_values(iris: Iterable[str]) -> str:
    """The body of a VALUES clause over IRIs (already checked with is_safe_iri)."""
    return " ".join(f"<{i}>" for i in iris)


def humanise(local: str) -> str:
    """camelCase or snake_case local names as lower-case words (acronyms kept)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]+", " ", local).split()
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words) or local


def local_name(iri: str) -> str:
    """The last path or fragment segment of an IRI."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def lang_rank(lang: str) -> int:
    """English first, then regional English, then untagged, then any other language."""
    if lang == "en":
        return 0
    if lang.startswith("en-"):
        return 1
    return 2 if not lang else 3


def int_value(value: dict[str, str] | None) -> int | None:
    """A SPARQL JSON integer, or None when missing or not a number."""
    try:
        return int(value["value"]) if value else None
    except ValueError:
        return None
