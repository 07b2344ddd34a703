"""RDF in and out through pyoxigraph, with conversion to and from rdflib terms.

pyoxigraph parses and serialises an order of magnitude faster than rdflib and reports syntax
errors with line and column; rdflib stays the in-memory model for conversion and pyshacl.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import UnreadableInput

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def guess_format(path: Path) -> ox.RdfFormat:
    name = path.name.lower().removesuffix(".gz")
    suffix = Path(name).suffix
    if suffix not in FORMATS:
        raise UnreadableInput(
            f"{path}: cannot tell the RDF format from the extension {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(FORMATS))} or pass --input-format"
        )
    return FORMATS[suffix]


def parse_file(path: Path, fmt: ox.RdfFormat | None = None) -> list[ox.Quad]:
    """Parse one file into quads; syntax errors become UnreadableInput with line and column."""
    path = Path(path)
    fmt = fmt or guess_format(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read ({exc.strerror})") from None
    if path.name.endswith(".gz"):
        import gzip

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise UnreadableInput(f"{path}: not a valid gzip file ({exc})") from None
    try:
        # base_iri lets relative IRIs resolve to the file itself instead of failing.
        return list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise UnreadableInput(f"{path}: {fmt.name} syntax error: {exc.msg}") from None
    except (ValueError, OSError) as exc:
        raise UnreadableInput(f"{path}: {fmt.name} cannot be read: {exc}") from None


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def quads_to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """Merge quads of every graph into one rdflib Graph (the union SHACL and OWL see)."""
    graph = Graph()
    for q in quads:
        graph.add(
            (to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object))
        )
    return graph


def dataset_to_quads(ds: Dataset) -> list[ox.Quad]:
    """All quads of an rdflib Dataset, sorted so that serialisations are byte-identical."""
    quads = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        default = g is None or g == ds.default_graph.identifier
        graph = ox.DefaultGraph() if default else to_ox_term(g)
        quads.append(ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), graph))
    quads.sort(key=_sort_key)
    return quads


def _sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def serialize(
    quads: Iterable[ox.Quad] | Iterable[ox.Triple],
    fmt: ox.RdfFormat,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    return ox.serialize(quads, format=fmt, prefixes=prefixes) or b""
