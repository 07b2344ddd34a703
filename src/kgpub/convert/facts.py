"""One file's fact sets into its graph: each fact's triples, where it is reported, its evidence.

Each kind of fact has its own module; here every fact gets what all facts get: `kgp:reportedIn`
its article and its evidence annotations (or, in the context file, its citation), and a fact
stated twice in one file is refused. The same fact in two files is fine: each file says what it
says in its own graph (see identity.py for what makes two facts the same).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from ..model import Evidence, FactSet, Quote
from ..namespaces import KGP
from .events import convert_event
from .evidence import annotate
from .identity import article_iri
from .literals import en
from .quotes import convert_quote
from .relations import (
    convert_assessment,
    convert_characterization,
    convert_designation,
    convert_omission,
)
from .scope import Scope
from .stances import convert_stance
from .statements import convert_statement
from .tenures import convert_tenure

SECTIONS = (
    ("quotes", convert_quote), ("events", convert_event), ("tenures", convert_tenure),
    ("stances", convert_stance), ("assessments", convert_assessment),
    ("characterizations", convert_characterization), ("omissions", convert_omission),
    ("designations", convert_designation), ("statements", convert_statement),
)


def convert_factset(scope: Scope, facts: FactSet, base: tuple) -> list[URIRef]:
    """Write every fact of `facts` into the scope's graph; the fact nodes, in order."""
    seen: dict[URIRef, int | None] = {}
    nodes = []
    for section, convert in SECTIONS:
        for i, fact in enumerate(getattr(facts, section)):
            path = (*base, section, i)
            node, core = convert(scope, fact, path)
            own = [Evidence(text=fact.text, occurrence=fact.occurrence)] if isinstance(
                fact, Quote) else []
            provenance(scope, node, fact, path, own)
            for triple in core:
                scope.target.graph.add(triple)
            nodes.append(node)
            if scope.target.article is None or scope.target.chrome:
                continue
            if node in seen:
                scope.problem(path, f"duplicate fact: {node} was already stated at line "
                                    f"{seen[node]} of this file; merge the two")
            seen.setdefault(node, scope.target.lines.line(path))
    return nodes


def provenance(scope: Scope, node: URIRef, fact, path: tuple, own: list[Evidence]) -> None:
    g = scope.target.graph
    if fact.inferred:
        g.add((node, KGP.inference, en(fact.inferred)))
    article = scope.target.article
    if article is None:
        if fact.evidence:
            scope.problem((*path, "evidence"),
                          "context facts cite a source and carry no evidence spans")
        if not fact.source:
            scope.problem(path, "a context fact needs `source:` (the citation for this external "
                                "fact)")
        else:
            g.add((node, DCTERMS.bibliographicCitation, Literal(fact.source)))
        return
    if fact.source:
        g.add((node, DCTERMS.bibliographicCitation, Literal(fact.source)))
    g.add((node, KGP.reportedIn, article_iri(article.model.article.id)))
    annotate(scope, node, own, (*path, "text"))
    annotate(scope, node, fact.evidence, (*path, "evidence"))
    if not own and not fact.evidence:
        scope.problem(path, "a fact from an article needs at least one evidence span "
                            "(`evidence:`)")
