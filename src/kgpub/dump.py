"""Dumps of the built dataset: per-graph Turtle, whole-dataset TriG/N-Quads/JSON-LD, VoID.

Every file is rendered in memory first, then written to a temporary file beside its target and
renamed over it, so a reader (or a crash) sees the old file or the new one, never half of one.
Quads are sorted and gzip headers carry no time stamp, so the same sources give the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from .namespaces import KGG, PREFIXES
from .rdfio import serialize, to_ox_term

DATASET = URIRef("https://w3id.org/kgpub/id/dataset")
PUBLIC_BASE = "https://w3id.org/kgpub/"
SD_NAME = URIRef("http://www.w3.org/ns/sparql-service-description#name")
SPDX = "http://spdx.org/rdf/terms#"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".gz": "application/gzip",
}
PREFIX_MAP = {k: str(v) for k, v in PREFIXES.items()}


@dataclass
class DumpFile:
    name: str
    data: bytes
    graph: str | None = None

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[Path(self.name).suffix]


def graph_file_name(graph: str) -> str:
    """`https://w3id.org/kgpub/graph/article/x` -> `article-x.ttl`."""
    return graph.removeprefix(str(KGG)).replace("/", "-") + ".ttl"


def render(quads: list[ox.Quad]) -> list[DumpFile]:
    """All dump files, VoID last (it describes the others), in a stable order."""
    files: list[DumpFile] = []
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(q.triple)
    for graph in sorted(by_graph):
        if graph.endswith(("/head", "/provenance", "/pubinfo")):
            continue  # nanopublication envelopes travel in the whole-dataset files only
        triples = by_graph[graph]
        files.append(DumpFile(graph_file_name(graph),
                              serialize(triples, ox.RdfFormat.TURTLE, used_prefixes(triples)),
                              graph))
    trig = serialize(quads, ox.RdfFormat.TRIG, used_prefixes(quads))
    nquads = serialize(quads, ox.RdfFormat.N_QUADS)
    files.append(DumpFile("kgpub.trig", trig))
    files.append(DumpFile("kgpub.trig.gz", _gzip(trig)))
    files.append(DumpFile("kgpub.nq", nquads))
    files.append(DumpFile("kgpub.nq.gz", _gzip(nquads)))
    files.append(DumpFile("kgpub.jsonld",
                          serialize(quads, ox.RdfFormat.JSON_LD, used_prefixes(quads))))
    files.append(DumpFile("void.ttl", void_description(quads, files)))
    return files


def used_prefixes(statements: list[ox.Triple] | list[ox.Quad]) -> dict[str, str]:
    """Only the prefixes whose namespace some IRI of the statements starts with."""
    iris = set()
    for st in statements:
        for term in (st.subject, st.predicate, st.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
        graph = getattr(st, "graph_name", None)
        if isinstance(graph, ox.NamedNode):
            iris.add(graph.value)
    return {p: ns for p, ns in PREFIX_MAP.items() if any(i.startswith(ns) for i in iris)}


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def void_description(quads: list[ox.Quad], files: list[DumpFile]) -> bytes:
    """VoID + DCAT: counts per graph, vocabularies used, and every dump with size and checksum."""
    g = Graph()
    for prefix in ("void", "dcat", "dcterms", "rdfs", "xsd", "kgg"):
        g.bind(prefix, PREFIXES[prefix])
    g.bind("sd", "http://www.w3.org/ns/sparql-service-description#")
    g.bind("spdx", SPDX)
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("kgpub: foreign-policy facts from news articles",
                                           lang="en")))
    g.add((DATASET, DCTERMS.description, Literal(
        "Facts, quotes and diplomatic stances curated from news articles, with provenance to "
        "the evidence span of every fact.", lang="en")))
    g.add((DATASET, DCTERMS.license, LICENSE))
    g.add((DATASET, VOID.uriSpace, Literal(f"{PUBLIC_BASE}id/")))
    g.add((DATASET, VOID.sparqlEndpoint, URIRef(f"{PUBLIC_BASE}sparql")))
    g.add((DATASET, VOID.triples, Literal(len(quads), datatype=XSD.integer)))
    g.add((DATASET, VOID.distinctSubjects,
           Literal(len({q.subject for q in quads}), datatype=XSD.integer)))
    g.add((DATASET, VOID.properties, Literal(len({q.predicate for q in quads}),
                                             datatype=XSD.integer)))
    g.add((DATASET, VOID.exampleResource,
           URIRef(f"{PUBLIC_BASE}id/country/kyrgyzstan")))
    vocabularies = set()
    for q in quads:
        iri = q.predicate.value
        for ns in PREFIXES.values():
            if iri.startswith(str(ns)):
                vocabularies.add(str(ns))
    for ns in sorted(vocabularies):
        g.add((DATASET, VOID.vocabulary, URIRef(ns)))
    classes = Counter(q.object.value for q in quads if q.predicate.value == str(RDF.type))
    g.add((DATASET, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    counts = Counter(q.graph_name.value for q in quads)
    for graph in sorted(counts):
        subset = URIRef(f"{DATASET}/graph/{graph.removeprefix(str(KGG))}")
        g.add((DATASET, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD_NAME, URIRef(graph)))
        g.add((subset, VOID.triples, Literal(counts[graph], datatype=XSD.integer)))
        for f in files:
            if f.graph == graph:
                g.add((subset, VOID.dataDump, URIRef(f"{PUBLIC_BASE}dumps/{f.name}")))
    for f in files:
        url = URIRef(f"{PUBLIC_BASE}dumps/{f.name}")
        dist = URIRef(f"{DATASET}/distribution/{f.name}")
        if f.graph is None:
            g.add((DATASET, VOID.dataDump, url))
        g.add((DATASET, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, RDFS.label, Literal(f.name)))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType,
               URIRef(f"https://www.iana.org/assignments/media-types/{f.media_type}")))
        g.add((dist, DCAT.byteSize, Literal(len(f.data), datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{dist}/sha256")
        g.add((dist, URIRef(SPDX + "checksum"), checksum))
        g.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        g.add((checksum, URIRef(SPDX + "checksumValue"),
               Literal(hashlib.sha256(f.data).hexdigest(), datatype=XSD.hexBinary)))
    triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))

    ox_triples = [ox.Triple(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in triples]
    prefixes = {p: str(ns) for p, ns in g.namespaces() if p in
                {"void", "dcat", "dcterms", "rdfs", "xsd", "kgg", "sd", "spdx"}}
    return serialize(ox_triples, ox.RdfFormat.TURTLE, prefixes)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, fsync, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_dumps(files: list[DumpFile], out_dir: Path) -> list[Path]:
    """Write every file atomically; remove dump files of graphs that no longer exist."""
    out_dir = Path(out_dir)
    written = []
    for f in files:
        target = out_dir / f.name
        if not (target.exists() and target.read_bytes() == f.data):
            write_atomic(target, f.data)
        written.append(target)
    keep = {f.name for f in files}
    for stale in out_dir.iterdir():
        if stale.is_file() and stale.name not in keep and stale.suffix in {
            ".ttl", ".trig", ".nq", ".jsonld", ".gz"
        }:
            stale.unlink()
    return written
