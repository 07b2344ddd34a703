"""Validation per source: each article's graphs with the shared descriptions they refer to.

Two articles may state different values of a property that admits one (an event's status, a
tenure's start): each is valid on its own, and the difference is a conflict, reported as data
(see claims.py), not a `sh:maxCount` violation of the union. So every article is validated on
its own graphs plus what it refers to: the registry entities and article metadata it names,
the vocabularies, and, for an event (or other named fact) that it refers to but another source
describes, that source's description. The shared graphs themselves (registry, links, context)
are validated once, together, the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .convert import Converted
from .convert.symbols import NAMED_FACTS
from .namespaces import KGG, KGP, KGR
from .validate import PreparedShapes, Report, merge_reports, validate_graph

ANNOTATIONS = str(KGR["ann/"])


class SharedIndex:
    """The shared graphs (entities, links) by subject, to cut out what one source refers to."""

    def __init__(self, graphs: Iterable[Graph]) -> None:
        self.by_subject: dict[Node, list[tuple]] = defaultdict(list)
        for graph in graphs:
            for triple in graph:
                self.by_subject[triple[0]].append(triple)

    def closure_for(self, graph: Graph) -> list[tuple]:
        """The shared descriptions of every IRI `graph` mentions, and of what those mention.

        A shape that sees a node's type checks the node's whole description, so a referenced
        node comes with all that the shared graphs say of it (and so on, transitively: a post
        with its organisation, an article with its evidence and publisher). The registry is
        shallow, so this stays small.
        """
        stack = [t for s, _, o in graph for t in (s, o) if isinstance(t, URIRef)]
        seen: set[Node] = set()
        out: list[tuple] = []
        while stack:
            iri = stack.pop()
            if iri in seen:
                continue
            seen.add(iri)
            for triple in self.by_subject.get(iri, ()):
                out.append(triple)
                if isinstance(triple[2], URIRef) and triple[2] not in seen:
                    stack.append(triple[2])
        return out


def description(graph: Graph, node: URIRef) -> list[tuple]:
    """What `graph` says about `node`, with its evidence annotations (targets, selectors)."""
    out = list(graph.triples((node, None, None)))
    frontier = [o for _, p, o in out if p == KGP.evidence]
    seen = set(frontier)
    while frontier:
        for triple in graph.triples((frontier.pop(), None, None)):
            out.append(triple)
            obj = triple[2]
            if isinstance(obj, URIRef) and str(obj).startswith(ANNOTATIONS) and obj not in seen:
                seen.add(obj)
                frontier.append(obj)
    return out


def named_fact_descriptions(converted: Converted) -> dict[URIRef, list[tuple]]:
    """Each named fact (event, assessment, ...) as described by the first source that does."""
    classes = {cls for _, cls, _ in NAMED_FACTS}
    named = {s.iri for s in converted.symbols.values() if s.cls in classes}
    ds = converted.dataset
    found: dict[URIRef, list[tuple]] = {}
    graphs = [ds.graph(iri) for a in converted.articles for iri in a.graphs]
    graphs.append(ds.graph(KGG.context))
    for graph in graphs:
        for node in named & set(graph.subjects(RDF.type, None)):
            found.setdefault(node, description(graph, node))
    return found


def validate_sources(converted: Converted, shapes: PreparedShapes) -> Report:
    """Validate the shared graphs once, then every article with what it refers to."""
    ds = converted.dataset
    vocab = ds.graph(KGG.vocab)
    entities, links = ds.graph(KGG.entities), ds.graph(KGG.links)
    index = SharedIndex([entities, links])
    foreign = named_fact_descriptions(converted)
    runs: list[Graph] = []
    shared = Graph()
    for graph in (entities, links, ds.graph(KGG.context)):
        for triple in graph:
            shared.add(triple)
    runs.append(shared)
    for article in converted.articles:
        data = Graph()
        for iri in article.graphs:
            for triple in ds.graph(iri):
                data.add(triple)
        runs.append(data)
    reports = []
    for data in runs:
        described = set(data.subjects(RDF.type, None))
        for node in {o for o in data.objects() if isinstance(o, URIRef)} - described:
            for triple in foreign.get(node, ()):
                data.add(triple)
        for triple in [*index.closure_for(data), *vocab]:
            data.add(triple)
        reports.append(validate_graph(data, shapes))
    return merge_reports(reports)
