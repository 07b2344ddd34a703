"""The registry (data/actors.yaml) into the graphs `entities` (types, labels, spellings) and
`links` (owl:sameAs to verified Wikidata items, skos:exactMatch for posts)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..model import Entity
from ..namespaces import KGP, ORG, SCHEMA, WD
from .kinds import ORG_OR_COUNTRY
from .literals import en
from .scope import Scope
from .triples import Triples


def convert_registry(scope: Scope, entities: list[Entity],
                     links: Triples) -> dict[URIRef, list[URIRef]]:
    """Every entity into the scope's graph (entities); returns post -> organisations."""
    post_orgs: dict[URIRef, list[URIRef]] = {}
    for i, ent in enumerate(entities):
        symbol = scope.shared.symbols.get(ent.key)
        if symbol is None or symbol.cls is None or symbol.file != scope.shared.registry_path:
            continue  # its type is unknown: already a problem
        orgs = _entity(scope, ent, symbol.iri, symbol.cls, links, ("entities", i))
        if orgs:
            post_orgs[symbol.iri] = orgs
    return post_orgs


def _entity(scope: Scope, ent: Entity, iri: URIRef, cls: URIRef, links: Triples,
            path: tuple) -> list[URIRef]:
    g = scope.target.graph
    g.add((iri, RDF.type, cls))
    for pred in (RDFS.label, SCHEMA.name, SKOS.prefLabel):
        g.add((iri, pred, en(ent.label)))
    for lang, label in sorted(ent.labels.items()):
        g.add((iri, RDFS.label, Literal(label, lang=lang)))
        g.add((iri, SCHEMA.name, Literal(label, lang=lang)))
    for alt in ent.alt_labels:
        g.add((iri, SKOS.altLabel, en(alt)))
    if ent.description:
        g.add((iri, RDFS.comment, en(ent.description)))
        g.add((iri, SCHEMA.description, en(ent.description)))
    is_post = scope.vocab.is_a(cls, [KGP.Post])
    orgs = []
    if ent.post_in:
        if not is_post:
            scope.problem((*path, "post_in"), "post_in is only for type Post")
        org = scope.ref(ent.post_in, (*path, "post_in"), ORG_OR_COUNTRY, "post_in")
        g.add((iri, ORG.postIn, org))
        orgs.append(org)
    if ent.wikidata:
        links.add((iri, SKOS.exactMatch if is_post else OWL.sameAs, WD[ent.wikidata]))
    return orgs
