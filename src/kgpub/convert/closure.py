"""The named super-classes and super-properties the ontology gives, materialised onto the data."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import KGG, KGP


class Closure:
    """rdfs:subClassOf / rdfs:subPropertyOf closures over IRIs, computed once per term."""

    def __init__(self, ontology: Graph) -> None:
        self.ontology = ontology
        self._supers: dict[tuple[URIRef, URIRef], set[URIRef]] = {}

    def supers(self, term: URIRef, relation: URIRef) -> set[URIRef]:
        key = (term, relation)
        found = self._supers.get(key)
        if found is None:
            found = set()
            stack = [term]
            while stack:
                for parent in self.ontology.objects(stack.pop(), relation):
                    if isinstance(parent, URIRef) and parent not in found and parent != term:
                        found.add(parent)
                        stack.append(parent)
            self._supers[key] = found
        return found

    def additions(self, graph: Graph) -> list[tuple]:
        """The triples RDFS rules 7 and 9 (IRIs only) add to `graph`."""
        out = []
        for s, p, o in graph:
            if p == RDF.type and isinstance(o, URIRef):
                out += [(s, RDF.type, c) for c in self.supers(o, RDFS.subClassOf)]
            elif isinstance(p, URIRef) and str(p).startswith(str(KGP)):
                out += [(s, q, o) for q in self.supers(p, RDFS.subPropertyOf)]
        return out

    def apply(self, graph: Graph) -> None:
        for triple in self.additions(graph):
            graph.add(triple)


def materialise_closure(ds: Dataset, ontology: Graph) -> None:
    """Add the named super-classes and super-properties the ontology gives, in the same graph.

    This is RDFS rules 7 and 9 restricted to IRIs: enough for `?x a schema:Person` to work
    without a reasoner, nothing that needs OWL. The vocabularies' own graph is left as written.
    """
    closure = Closure(ontology)
    for graph in list(ds.graphs()):
        if graph.identifier != KGG.vocab:
            closure.apply(graph)
