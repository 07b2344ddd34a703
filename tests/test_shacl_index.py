"""kgpub.shacl.index: the triple index the compiled SHACL evaluator reads, and its layered view."""

from __future__ import annotations

import pickle

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF, XSD

from kgpub.shacl import Layered, TripleIndex

EX = Namespace("http://example.org/")
TRIPLES = [
    (EX.a, RDF.type, EX.Person),
    (EX.a, EX.knows, EX.b),
    (EX.a, EX.knows, EX.c),
    (EX.a, EX.age, Literal(42)),
    (EX.a, EX.knows, EX.b),  # a duplicate: a set of triples, as in a graph
    (EX.b, EX.knows, EX.c),
    (BNode("x"), EX.name, Literal("x", lang="en")),
]


def test_lookups_in_both_directions() -> None:
    index = TripleIndex(TRIPLES)
    assert index.objects(EX.a, EX.knows) == {EX.b, EX.c}
    assert index.objects(EX.a, EX.nothing) == set()
    assert index.objects(EX.nobody, EX.knows) == set()
    assert index.subjects(EX.knows, EX.c) == {EX.a, EX.b}
    assert index.subjects(EX.age, Literal(42)) == {EX.a}
    assert index.types(EX.a) == {EX.Person}
    assert set(index.outgoing(EX.a)) == set(index.predicates(EX.a)) == {RDF.type, EX.knows, EX.age}
    assert index.incoming(EX.c) == {EX.knows: {EX.a, EX.b}}
    assert set(index.all_subjects()) == {EX.a, EX.b, BNode("x")}
    assert index.subjects_of(EX.knows) == {EX.a, EX.b}
    assert index.objects_of(EX.knows) == {EX.b, EX.c}
    assert index.has(EX.b, EX.knows, EX.c) and not index.has(EX.c, EX.knows, EX.b)
    assert len(index) == 6


def test_terms_are_compared_as_rdf_terms() -> None:
    index = TripleIndex(TRIPLES)
    assert index.objects(EX.a, EX.age) == {Literal("42", datatype=XSD.integer)}
    assert Literal("42") not in index.objects(EX.a, EX.age)  # a string is not the integer
    assert index.objects(BNode("x"), EX.name) == {Literal("x", lang="en")}


def test_the_same_triples_as_an_rdflib_graph() -> None:
    graph = Graph()
    for triple in TRIPLES:
        graph.add(triple)
    assert set(TripleIndex(graph).triples()) == set(graph)


def test_layered_reads_the_union_without_copying_the_shared_index() -> None:
    shared = TripleIndex([(EX.a, EX.knows, EX.d), (EX.d, RDF.type, EX.Person),
                          (EX.a, EX.knows, EX.b)])
    local = TripleIndex(TRIPLES)
    data = Layered(local, shared)
    assert data.objects(EX.a, EX.knows) == {EX.b, EX.c, EX.d}
    assert data.objects(EX.d, RDF.type) == {EX.Person}
    assert data.types(EX.d) == {EX.Person}
    assert data.subjects(EX.knows, EX.b) == {EX.a}
    assert set(data.outgoing(EX.a)[EX.knows]) == {EX.b, EX.c, EX.d}
    assert set(data.predicates(EX.d)) == {RDF.type}
    assert set(data.all_subjects()) == {EX.a, EX.b, EX.d, BNode("x")}
    assert sorted(data.triples()) == sorted({*local.triples(), *shared.triples()})
    assert data.has(EX.d, RDF.type, EX.Person)
    assert shared.objects(EX.a, EX.knows) == {EX.d, EX.b}  # untouched
    assert local.objects(EX.a, EX.knows) == {EX.b, EX.c}


def test_an_index_travels_to_worker_processes() -> None:
    index = TripleIndex(TRIPLES)
    index.subjects(EX.knows, EX.c)  # builds the reverse index, which is not pickled
    copy = pickle.loads(pickle.dumps(index))
    assert set(copy.triples()) == set(index.triples())
    assert copy.subjects(EX.knows, EX.c) == {EX.a, EX.b}
