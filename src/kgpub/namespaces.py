"""The namespaces kgpub mints and reuses, in one place, with the prefixes used for CURIEs."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

KGP = Namespace("https://w3id.org/kgpub/ontology#")
KGR = Namespace("https://w3id.org/kgpub/id/")
KGST = Namespace("https://w3id.org/kgpub/stance-type/")
KGG = Namespace("https://w3id.org/kgpub/graph/")
CAMEO = Namespace("https://w3id.org/kgpub/cameo/")
PLOVER = Namespace("https://w3id.org/kgpub/plover/")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
NP = Namespace("http://www.nanopub.org/nschema#")
WD = Namespace("http://www.wikidata.org/entity/")
KGSH = Namespace("https://w3id.org/kgpub/shapes#")

ONTOLOGY_IRI = URIRef("https://w3id.org/kgpub/ontology")

PREFIXES: dict[str, Namespace] = {
    "kgp": KGP,
    "kgr": KGR,
    "kgst": KGST,
    "kgg": KGG,
    "cameo": CAMEO,
    "plover": PLOVER,
    "schema": SCHEMA,
    "org": ORG,
    "sem": SEM,
    "oa": OA,
    "np": NP,
    "wd": WD,
    "kgsh": KGSH,
    "sh": Namespace("http://www.w3.org/ns/shacl#"),
    "prov": PROV,
    "time": TIME,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "void": VOID,
    "dcat": DCAT,
}


def expand_curie(curie: str) -> URIRef:
    """`kgp:Occurred` -> full IRI; KeyError names the unknown prefix."""
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES:
        raise KeyError(f"unknown prefix {prefix!r} (known: {', '.join(sorted(PREFIXES))})")
    return PREFIXES[prefix][local]
