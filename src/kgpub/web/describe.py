"""RDF the server says about itself: the SPARQL Service Description and, for --data, VoID.

The Service Description starts from rdflib-endpoint's builder (the design card's endpoint
library), then states what kgpub really does: no federated query unless SERVICE is allowed, no
update, the union default graph, every named graph and every result format offered.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID
from rdflib_endpoint import SparqlRouter
from rdflib_endpoint.utils import FORMATS, SD

FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS.N_Triples,
    "application/ld+json": FORMATS.JSON_LD,
    "application/rdf+xml": FORMATS.RDF_XML,
    "application/trig": FORMATS.TriG,
    "application/n-quads": FORMATS.N_Quads,
}


def service_description(endpoint: str, graphs: list[str], title: str, description: str,
                        federated: bool, void_iri: str | None = None) -> Graph:
    sd = Graph()
    service = BNode("service")
    sd.add((service, SD.endpoint, URIRef(endpoint)))
    router = SparqlRouter(graph=Dataset(default_union=True), title=title,
                          description=description, public_url=endpoint,
                          service_description=sd)
    sd = router.service_description
    if not federated:
        sd.remove((service, SD.feature, SD.BasicFederatedQuery))
    sd.remove((service, SD.inputFormat, None))  # read-only: nothing is ever loaded
    for iri in FORMAT_IRIS.values():
        sd.add((service, SD.resultFormat, iri))
    sd.add((service, SD.feature, SD.EmptyGraphs))
    for dataset in list(sd.objects(service, SD.defaultDataset)):
        if void_iri:
            sd.add((dataset, RDFS.seeAlso, URIRef(void_iri)))
        for name in graphs:
            node = BNode()
            sd.add((dataset, SD.namedGraph, node))
            sd.add((node, RDF.type, SD.NamedGraph))
            sd.add((node, SD.name, URIRef(name)))
    return sd


def example_resource_queries(space: str) -> tuple[str, str]:
    """SPARQL for VoID's example resource of `space` (an absolute IRI: nothing to escape), by
    the rule of `kgpub.dump.example_resource`: the most-linked IRI of the space, and, when that
    finds none, the smallest subject IRI of it. Each answers ?x in one row, or no row."""
    rdf_type = str(RDF.type)
    in_space = f'isIRI(?x) && STRSTARTS(STR(?x), "{space}")'
    most_linked = (
        "SELECT ?x WHERE { { SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?x "
        f"FILTER({in_space} && ?p != <{rdf_type}> && ?s != ?x) }} GROUP BY ?x }} }} "
        "ORDER BY DESC(?n) STR(?x) LIMIT 1")
    first_subject = f"SELECT ?x WHERE {{ ?x ?p ?o FILTER({in_space}) }} ORDER BY STR(?x) LIMIT 1"
    return most_linked, first_subject


def void_for_files(base_iri: str, dataset_iri: str, triples: int,
                   graph_sizes: dict[str, int], dump_names: list[str],
                   example: str | None = None) -> Graph:
    """A VoID/DCAT description of data served with --data (the build writes its own).

    `example` comes from `example_resource_queries(base_iri)`; `base_iri` is the URI space.
    """
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    ds = URIRef(dataset_iri)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("RDF files served by kgpub", lang="en")))
    g.add((ds, VOID.triples, Literal(triples, datatype=XSD.integer)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base_iri + "sparql")))
    g.add((ds, VOID.uriSpace, Literal(base_iri)))
    if example is not None:
        g.add((ds, VOID.exampleResource, URIRef(example)))
    for i, (name, size) in enumerate(sorted(graph_sizes.items())):
        subset = URIRef(f"{dataset_iri}/graph/{i}")
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(name)))
        g.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
    for name in dump_names:
        url = URIRef(f"{base_iri}dumps/{name}")
        dist = URIRef(f"{dataset_iri}/distribution/{name}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
    return g
