"""A plain statement (one triple) that needs its own evidence, asserted and reified."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ..model import Statement
from ..namespaces import KGP, expand_curie
from .identity import statement_iri
from .literals import decimal
from .scope import Scope


def convert_statement(scope: Scope, st: Statement, path: tuple):
    subject = scope.ref(st.subject, (*path, "subject"))
    try:
        predicate = expand_curie(st.predicate)
    except KeyError as exc:
        scope.problem((*path, "predicate"), str(exc.args[0]))
        predicate = KGP.unknown
    if predicate.startswith(str(KGP)) and (predicate, None, None) not in scope.vocab.ontology:
        scope.problem((*path, "predicate"), f"{st.predicate} is not declared in "
                                            "ontology/kgpub.ttl")
    if st.object is not None:
        if ":" in st.object:
            try:
                obj = expand_curie(st.object)
            except KeyError as exc:
                scope.problem((*path, "object"), str(exc.args[0]))
                obj = KGP.unknown
        else:
            obj = scope.ref(st.object, (*path, "object"))
    elif st.iri is not None:
        obj = URIRef(st.iri)
    else:
        obj = _literal(scope, st, path)
    node = statement_iri(subject, predicate, obj.n3())
    core = [(subject, predicate, obj), (node, RDF.type, KGP.ReportedStatement),
            (node, RDF.subject, subject), (node, RDF.predicate, predicate),
            (node, RDF.object, obj)]
    return node, core


def _literal(scope: Scope, st: Statement, path: tuple) -> Literal:
    if st.lang:
        return Literal(str(st.value), lang=st.lang)
    if st.datatype:
        try:
            datatype = expand_curie(st.datatype)
        except KeyError as exc:
            scope.problem((*path, "datatype"), str(exc.args[0]))
            return Literal(str(st.value))
        lit = Literal(str(st.value), datatype=datatype)
        if lit.ill_typed:
            scope.problem((*path, "value"), f"{st.value!r} is not a valid {st.datatype}")
        return lit
    if isinstance(st.value, bool | int):
        return Literal(st.value)
    if isinstance(st.value, float):
        return decimal(st.value)
    return Literal(str(st.value))
