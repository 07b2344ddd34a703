"""The default graph as SPARQL defines it: the union of the named graphs as a set.

Kept apart from rdfio (which needs rdflib) so that query worker processes can use it and stay
small.
"""

from __future__ import annotations

import pyoxigraph as ox


def materialise_union(store: ox.Store, add) -> None:
    """Copy every triple of every named graph into the default graph, once.

    Oxigraph's union default graph is a bag: a triple stated in two graphs matches twice. SPARQL
    makes the default graph an RDF graph (a set), so with `default_graph: set` the union is held
    as the store's default graph and queries run over it instead (measured in bench/: one more
    copy of the distinct triples). `add` is the store's `extend` (or `bulk_extend` on disk).
    """
    add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for q in store.quads_for_pattern(None, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph))
