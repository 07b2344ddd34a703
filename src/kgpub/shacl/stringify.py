"""Terms written the way pyshacl writes them into its default messages ("Value ex:a not in ...").

A shape without sh:message gets a message generated from its parameters and the offending
nodes; pyshacl writes IRIs with the prefixes of the graph they come from (the shapes graph for
parameters, the data graph for focus and value nodes), literals as `Literal("5", datatype=...)`
and blank nodes as their description `[ p o ; ... ]`. This is a port of that, over an index.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from .index import Data

_TOO_DEEP = "<http://recursion.too.deep>"


def namespace_manager(bindings: Iterable[tuple[str, Node]] | None = None) -> NamespaceManager:
    """The prefixes pyshacl sees: a data graph's are copied into a 'core' graph (its clone);
    without `bindings`, those of a new rdflib Graph (what kgpub validates: Graph() + triples)."""
    if bindings is None:
        bindings = Graph().namespace_manager.namespaces()
    graph = Graph(bind_namespaces="core")
    for prefix, ns in bindings:
        graph.namespace_manager.bind(prefix, ns, override=True, replace=True)
    graph.namespace_manager.bind("sh", SH, override=False, replace=False)
    return graph.namespace_manager


def shapes_namespace_manager() -> NamespaceManager:
    """A new Graph's prefixes: pyshacl runs on the copy that sparql_constraints.split makes."""
    nm = Graph().namespace_manager
    nm.bind("sh", SH, override=False, replace=False)
    return nm


def items(data: Data, node: Node) -> list[Node]:
    """The members of an RDF list, as rdflib's Graph.items reads them."""
    out = []
    chain = {node}
    while node:
        first = data.objects(node, RDF.first)
        if first:
            out.append(next(iter(first)))
        rest = data.objects(node, RDF.rest)
        node = next(iter(rest)) if rest else None
        if node in chain:
            raise ValueError("List contains a recursive rdf:rest reference")
        chain.add(node)
    return out


def stringify(data: Data, node: Node, nm: NamespaceManager, recursion: int = 0) -> str:
    if isinstance(node, Literal):
        return _literal(data, node, nm)
    if isinstance(node, BNode):
        return _blank(data, node, nm, recursion + 1)
    if isinstance(node, URIRef):
        try:
            return node.n3(namespace_manager=nm)
        except Exception:
            return str(node)
    return str(node)


def _literal(data: Data, node: Literal, nm: NamespaceManager) -> str:
    value = None if node.value is None else str(node.value)
    lexical = str(node)
    if value is not None:
        at = value.find(" object at 0x")
        if at > 0:
            value = value[:at]
    text = f'"{lexical}" = {value}' if value is not None and value != lexical else f'"{lexical}"'
    lang = f", lang={node.language}" if node.language else ""
    datatype = ""
    if node.datatype:
        datatype = f", datatype={stringify(data, node.datatype, nm)}"
    return f"Literal({text}{lang}{datatype})"


def _blank(data: Data, bnode: BNode, nm: NamespaceManager, recursion: int) -> str:
    if recursion >= 12:
        return _TOO_DEEP
    outgoing = data.outgoing(bnode)
    if not outgoing:
        return "[ ]"
    if RDF.first in outgoing:
        texts = [stringify(data, i, nm, recursion + 1) for i in items(data, bnode)]
        return "( {} )".format(" ".join(texts))
    by_predicate = {}
    for p, objects in outgoing.items():
        if not objects:
            continue
        texts = sorted(stringify(data, o, nm, recursion + 1) for o in objects)
        by_predicate[p.n3(namespace_manager=nm)] = ", ".join(texts)
    if len(by_predicate) > 1:
        inner = " ; ".join(f"{p} {o}" for p, o in sorted(by_predicate.items()))
    else:
        p, o = next(iter(by_predicate.items()))
        inner = f"{p} {o}"
    return f"[ {inner} ]"
