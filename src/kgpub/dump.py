"""The dump files of a built dataset: their names, their formats, and the VoID that lists them.

Per-graph Turtle, the whole dataset as N-Quads and TriG (both also gzipped) and JSON-LD, and
`void.ttl`. The whole-dataset files are the concatenation of one chunk per named graph, in a
fixed order (the shared graphs, then each article's, articles by id; see builder.assemble) and
each graph's quads sorted (`sort_key`), so they can be assembled by streaming chunks that were
serialised (and cached) one article at a time. The .gz files are one gzip member joined from
pieces compressed apart (gzjoin), without a time stamp: the same sources give the same bytes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF

from .namespaces import KGG, PREFIXES
from .outputs import (  # noqa: F401 - the writer's names, where callers have always found them
    Output,
    WriteResult,
    Written,
    directory_lock,
    publish_outputs,
    remove_stale_temporaries,
    write_atomic,
)
from .project import MINTED_BASE, Settings
from .rdfio import serialize

DATASET = URIRef("https://w3id.org/kgpub/id/dataset")
PUBLIC_BASE = MINTED_BASE
SD_NAME = URIRef("http://www.w3.org/ns/sparql-service-description#name")
SPDX = "http://spdx.org/rdf/terms#"
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".gz": "application/gzip",
}
PREFIX_MAP = {k: str(v) for k, v in PREFIXES.items()}
ENVELOPES = ("/head", "/provenance", "/pubinfo")
"""Nanopublication envelopes travel in the whole-dataset files only (no per-graph file)."""


def media_type(name: str) -> str:
    base = name.rpartition("/")[2]  # the suffix as PurePosixPath(name).suffix has it
    dot = base.rfind(".")
    return MEDIA_TYPES[base[dot:] if 0 < dot < len(base) - 1 else ""]


def graph_file_name(graph: str, folder: str = "") -> str:
    """`https://w3id.org/kgpub/graph/article/x` -> `article-x.ttl` (in `folder`, if given)."""
    name = graph.removeprefix(str(KGG)).replace("/", "-") + ".ttl"
    return f"{folder}/{name}" if folder else name


def sort_key(q: ox.Quad | ox.Triple) -> tuple[str, str, str]:
    return (str(q.subject), str(q.predicate), str(q.object))


def used_prefixes(statements: Iterable[ox.Triple] | Iterable[ox.Quad]) -> dict[str, str]:
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
    heads = set()  # every beginning of an IRI that ends after a '/' or '#': where a namespace ends
    for iri in iris:
        end = len(iri)
        while True:
            end = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
            if end < 0:
                break
            head = iri[:end + 1]
            if head in heads:
                break  # and so are all its shorter beginnings
            heads.add(head)
    return {p: ns for p, ns in PREFIX_MAP.items() if ns in heads or (
        not ns.endswith(("/", "#")) and any(i.startswith(ns) for i in iris))}


@dataclass
class GraphChunk:
    """One named graph serialised every way the whole-dataset dumps need it."""

    graph: str
    quads: int
    nquads: bytes
    trig: bytes
    """Its TriG block, `<g> { … }`, with the dataset's prefixes and no @prefix lines."""
    jsonld: bytes
    """Its JSON-LD graph object, without the array brackets around it."""
    turtle: bytes | None
    """Its own Turtle file (None for the nanopublication envelopes)."""


def chunk(graph: str, triples: list[ox.Triple], turtle_file: bool = True) -> GraphChunk:
    """Serialise one named graph (its triples are sorted here); `turtle_file` False leaves
    out its own Turtle file."""
    triples = sorted(triples, key=sort_key)
    name = ox.NamedNode(graph)
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
    trig = serialize(quads, ox.RdfFormat.TRIG, PREFIX_MAP)
    turtle = None
    if turtle_file and not graph.endswith(ENVELOPES):
        turtle = serialize(triples, ox.RdfFormat.TURTLE, used_prefixes(triples))
    jsonld = serialize(quads, ox.RdfFormat.JSON_LD).strip()
    return GraphChunk(graph, len(quads), serialize(quads, ox.RdfFormat.N_QUADS),
                      _strip_prefixes(trig), jsonld[1:-1] if jsonld.startswith(b"[") else jsonld,
                      turtle)


def _strip_prefixes(trig: bytes) -> bytes:
    lines = trig.splitlines(keepends=True)
    i = 0
    while i < len(lines) and (lines[i].startswith(b"@prefix") or not lines[i].strip()):
        i += 1
    return b"".join(lines[i:])


def trig_header() -> bytes:
    """The @prefix lines every TriG block of the whole-dataset file is written with."""
    return b"".join(f"@prefix {p}: <{ns}> .\n".encode() for p, ns in PREFIX_MAP.items())


@dataclass
class Stats:
    """What VoID says of the dataset, gathered while it is built (no whole-dataset graph)."""

    triples: int = 0
    distinct_subjects: int = 0
    predicates: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    graphs: dict[str, int] = field(default_factory=dict)
    example: str | None = None

    @classmethod
    def of(cls, quads: list[ox.Quad], space: str = f"{PUBLIC_BASE}id/") -> Stats:
        """The statistics of quads in memory (a small dataset, or a test)."""
        return cls(len(quads), len({q.subject for q in quads}),
                   {q.predicate.value for q in quads},
                   {q.object.value for q in quads if q.predicate.value == str(RDF.type)},
                   dict(Counter(q.graph_name.value for q in quads)),
                   example_resource(quads, space))


def example_resource(quads: list[ox.Quad], space: str) -> str | None:
    """VoID's example resource: the IRI of the URI space that the most other resources link
    to (distinct subjects; `rdf:type` links and self-links not counted), ties to the smallest
    IRI; with no such link, the smallest subject IRI of the space; None when the space is empty.

    The same rule as the `serve --data` VoID (web/describe.py, in SPARQL) and as the build's
    index (builder/index.py), so all pick it from the data, whatever the dataset.
    """
    rdf_type = str(RDF.type)
    links = {(q.subject, q.object.value) for q in quads
             if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(space)
             and q.predicate.value != rdf_type and q.subject != q.object}
    linkers = Counter(o for _, o in links)
    if linkers:
        return min(linkers, key=lambda iri: (-linkers[iri], iri))
    subjects = [q.subject.value for q in quads
                if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(space)]
    return min(subjects, default=None)


@dataclass
class VoidGraphs:
    """VoID's block of every graph: made from the statistics and the dumps' names alone, so
    while the dumps are written (see `void_description`)."""

    blocks: list[tuple[str, str]]
    subsets: list[tuple[str, str]]
    urls: dict[str, str]
    """The address of each graph's own dump, by the file's name (checked by pyoxigraph)."""


def void_graphs(stats: Stats, dumps_of: dict[str, list[str]],
                settings: Settings | None = None) -> VoidGraphs:
    """The blocks of the graphs (`dumps_of`: each graph's own dump files, by name)."""
    settings = settings or Settings()
    base = settings.base_iri
    iri = _iri
    dataset_iri = str(DATASET)
    blocks: list[tuple[str, str]] = []
    subsets = []
    # The blocks of graphs, tens of thousands of them, by one template each. An IRI made of
    # one already checked and a part of another (a graph's name after kgg:, a file's name
    # after the dumps' address) is written without pyoxigraph's check: 200,000 of them.
    kgg = str(KGG)
    dump_url: dict[str, str] = {}
    for graph in sorted(stats.graphs):
        if graph.startswith(kgg):  # its name is a valid IRI's path, query and fragment
            subset = f"{dataset_iri}/graph/{graph[len(kgg):]}"
            subset_iri, graph_iri = f"<{subset}>", f"<{graph}>"
        else:
            subset = f"{dataset_iri}/graph/{graph}"
            subset_iri, graph_iri = iri(subset), iri(graph)
        subsets.append((subset, subset_iri))
        names = sorted(dumps_of.get(graph, ()))
        for name in names:
            if name not in dump_url:
                dump_url[name] = iri(f"{base}dumps/{name}")
        dumps = " , ".join(dump_url[name] for name in names)
        blocks.append((subset, f"{subset_iri} a void:Dataset ;\n\tsd:name {graph_iri} ;\n"
                               f"\tvoid:triples {int(stats.graphs[graph])}"
                               + (f" ;\n\tvoid:dataDump {dumps} .\n" if dumps else " .\n")))
    return VoidGraphs(blocks, subsets, dump_url)


def void_description(stats: Stats, files: list[Written],
                     settings: Settings | None = None, graphs: VoidGraphs | None = None) -> bytes:
    """VoID + DCAT: counts per graph, vocabularies used, and every dump with size and checksum;
    `settings` (the project's kgpub.toml) give its title, description, licence and addresses;
    `graphs`: the graphs' blocks, made already by `void_graphs` from these files' names.

    Written as Turtle text, a block per subject in the order of the subjects' IRIs: at 40,000
    graphs and files, a graph of terms sorted and serialised cost seconds of every build that
    edits one article. Terms are made by pyoxigraph (an IRI it refuses is refused here too; its
    N-Triples forms are valid Turtle), so escaping is never done by hand."""
    settings = settings or Settings()
    base = settings.base_iri
    iri = _iri
    dataset_iri = str(DATASET)
    if graphs is None:
        dumps_of: dict[str, list[str]] = defaultdict(list)
        for f in files:
            if f.graph is not None:
                dumps_of[f.graph].append(f.name)
        graphs = void_graphs(stats, dumps_of, settings)
    blocks = list(graphs.blocks)
    subsets = graphs.subsets
    distributions, whole_dumps = [], []
    media_iri: dict[str, str] = {}
    for f in files:
        url = graphs.urls.get(f.name) or iri(f"{base}dumps/{f.name}")
        # the name is a valid path after an IRI's: so it is after the distributions' IRI
        dist = f"{dataset_iri}/distribution/{f.name}"
        distributions.append((dist, f"<{dist}>"))
        if f.graph is None:
            whole_dumps.append((f.name, url))
        checksum = f"<{dist}/sha256>"
        kind = media_type(f.name)
        media = media_iri.get(kind)
        if media is None:
            media = media_iri[kind] = iri(f"https://www.iana.org/assignments/media-types/{kind}")
        blocks.append((dist, f"<{dist}> a dcat:Distribution ;\n"
                             f"\trdfs:label {ox.Literal(f.name)} ;\n"
                             f"\tdcat:byteSize {int(f.size)} ;\n"
                             f"\tdcat:downloadURL {url} ;\n"
                             f"\tdcat:mediaType {media} ;\n"
                             f"\tspdx:checksum {checksum} .\n"))
        blocks.append((f"{dist}/sha256",
                       f"{checksum} spdx:algorithm spdx:checksumAlgorithm_sha256 ;\n"
                       f'\tspdx:checksumValue "{f.sha256}"^^xsd:hexBinary .\n'))
    vocabularies = sorted({str(ns) for p in stats.predicates for ns in PREFIXES.values()
                           if p.startswith(str(ns))})
    head = [("a", "void:Dataset"), ("a", "dcat:Dataset"),
            ("dcterms:title", str(ox.Literal(settings.title, language="en"))),
            ("dcterms:description", str(ox.Literal(settings.description, language="en"))),
            ("dcterms:license", iri(settings.license)),
            ("void:uriSpace", str(ox.Literal(f"{base}id/"))),
            ("void:sparqlEndpoint", iri(f"{base}sparql")),
            ("void:triples", _integer(stats.triples)),
            ("void:distinctSubjects", _integer(stats.distinct_subjects)),
            ("void:properties", _integer(len(stats.predicates))),
            ("void:classes", _integer(len(stats.classes)))]
    if stats.example is not None:
        head.append(("void:exampleResource", iri(stats.example)))
    head += [("void:vocabulary", iri(ns)) for ns in vocabularies]
    head += [("void:dataDump", url) for _, url in sorted(whole_dumps)]
    head += [("void:subset", written) for _, written in subsets]
    head += [("dcat:distribution", written) for _, written in sorted(distributions)]
    blocks.append((dataset_iri, _block(iri(dataset_iri), head)))
    blocks.sort()
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _VOID_PREFIXES.items())
    return (prefixes + "".join(text for _, text in blocks)).encode("utf-8")


_VOID_PREFIXES = {
    **{p: str(PREFIXES[p]) for p in ("void", "dcat", "dcterms", "rdfs", "xsd", "kgg")},
    "sd": "http://www.w3.org/ns/sparql-service-description#", "spdx": SPDX}


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


def _integer(n: int) -> str:
    return str(int(n))  # a bare integer is xsd:integer in Turtle


def _block(subject: str, lines: list[tuple[str, str]]) -> str:
    """One subject's statements: `s p o ; p o , o .`, objects of one predicate on one line."""
    grouped: dict[str, list[str]] = {}
    for p, o in lines:
        grouped.setdefault(p, []).append(o)
    body = " ;\n\t".join(f"{p} {' , '.join(objects)}" for p, objects in grouped.items())
    return f"{subject} {body} .\n"
