"""Dumps of the built dataset: per-graph Turtle, whole-dataset TriG/N-Quads/JSON-LD, VoID.

Every file is rendered in memory first, then written to a hidden temporary file beside its
target; the temporary files are renamed over their targets only once all are written, so a
reader (or a crash) sees the old file or the new one, never half of one.
Quads are sorted and gzip headers carry no time stamp, so the same sources give the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from .errors import NotOurFile
from .manifest import MANIFEST_NAME, Manifest, sha256_bytes, sha256_file
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


def example_resource(quads: list[ox.Quad], space: str) -> str | None:
    """VoID's example resource: the IRI of the URI space that the most other resources link
    to (distinct subjects; `rdf:type` links and self-links not counted), ties to the smallest
    IRI; with no such link, the smallest subject IRI of the space; None when the space is empty.

    The same rule as the `serve --data` VoID (web/describe.py, in SPARQL), so both pick it
    from the data, whatever the dataset.
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
    example = example_resource(quads, f"{PUBLIC_BASE}id/")
    if example is not None:
        g.add((DATASET, VOID.exampleResource, URIRef(example)))
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


TEMP_PREFIX = "."  # temporary files are hidden: /dumps/ and `ls` never list them
TEMP_SUFFIX = ".tmp"
TEMP_PATTERN = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")
"""The names `_write_temporary` gives; nothing else is ever removed as a leftover."""
PUBLISHED_LAST = "kgpub.nq"  # renamed last: a kill mid-publish never leaves it new, others old
SEARCH_INDEX = ".kgpub-search.sqlite"
DERIVED = (SEARCH_INDEX,)
"""Files a later step of the build makes from the dumps (`publish_file`): `write_dumps` keeps
them and their manifest entries, and the step that makes them replaces both."""


def _write_temporary(path: Path, data: bytes) -> Path:
    """`data` in a new, fsynced, hidden temporary file beside `path` (same file system).

    Created with mode 0666 minus the umask (what a plain `open` gives), or the mode `path`
    already has, not mkstemp's owner-only 0600: a dump must stay readable by whoever serves
    or mirrors it.
    """
    while True:
        tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            with suppress(FileNotFoundError):
                os.fchmod(fh.fileno(), path.stat().st_mode & 0o777)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _fsync_dir(directory: Path) -> None:
    """Make the renames in `directory` durable (a power cut could otherwise undo them)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the renames are still atomic
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, fsync, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


@contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on `directory` itself (no lock file is left to publish).

    The kernel drops the lock when its holder dies, even by SIGKILL, so while we hold it any
    temporary file in the directory belongs to a process that is gone. Where flock does not
    exist the lock is skipped.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Delete the temporary files a killed build left behind; call under `directory_lock`.

    Only names of the exact form `_write_temporary` makes are touched.
    """
    removed = []
    for path in out_dir.iterdir():
        if TEMP_PATTERN.match(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@dataclass
class WriteResult:
    """What a build did to its dumps directory, for the user to see."""

    directory: Path
    changed: list[str]
    removed: list[str]
    unchanged: list[str]

    @property
    def files(self) -> list[str]:
        return sorted([*self.changed, *self.unchanged])

    def record(self, name: str, changed: bool) -> None:
        """Count a file a later step of the build published (see `publish_file`)."""
        target = self.changed if changed else self.unchanged
        target.append(name)
        target.sort()


def _refuse_foreign(files: list[DumpFile], out_dir: Path, owned: set[str]) -> None:
    """Raise NotOurFile when a dump would replace a file that no manifest says kgpub wrote."""
    foreign = []
    for f in files:
        target = out_dir / f.name
        if f.name in owned or not (target.exists() or target.is_symlink()):
            continue
        if target.is_file() and not target.is_symlink() and target.read_bytes() == f.data:
            continue  # byte for byte what this build writes: nothing would be lost
        foreign.append(f.name)
    if foreign:
        listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                           else "")
        raise NotOurFile(
            f"{out_dir}: {listed} already exist{'s' if len(foreign) == 1 else ''} but "
            f"{'was' if len(foreign) == 1 else 'were'} not written by kgpub build (no "
            f"{MANIFEST_NAME} there lists {'it' if len(foreign) == 1 else 'them'}); nothing was "
            "written: move the file(s) away, or build into another directory with --out")


def write_dumps(files: list[DumpFile], out_dir: Path,
                inputs: dict[str, str] | None = None,
                facts_dir: str | None = None) -> WriteResult:
    """Write every changed file, then publish them all together; remove only our own old files.

    kgpub replaces or removes a file only when the manifest of the previous build
    (`manifest.MANIFEST_NAME`) lists it, so a user's files beside the dumps are never touched;
    a dump that would replace a file no manifest lists stops the build before anything is
    written (`NotOurFile`).

    All temporary files are written and fsynced first and renamed over their targets only at
    the end, in one short loop. A build killed before that loop leaves the previous dumps
    exactly as they were (plus hidden temporary files that are never served and that the next
    build removes); only a kill inside the loop, a few renames long, can leave some files new
    and some old, each of them still complete: the manifest written just before the loop lists
    the old and new names and no inputs, so the next build owns them all and `kgpub serve` takes
    the dumps for stale. Unchanged files are not rewritten (their ETag and Last-Modified stay),
    and a build that changes nothing writes nothing at all, so it works on a read-only checkout.
    Concurrent builds into one directory take turns (see `directory_lock`).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with directory_lock(out_dir):
        remove_stale_temporaries(out_dir)
        previous = Manifest.read(out_dir)
        owned = set(previous.outputs) if previous else set()
        _refuse_foreign(files, out_dir, owned)
        kept = {n: previous.outputs[n] for n in DERIVED if previous and n in previous.outputs
                and (out_dir / n).is_file() and not (out_dir / n).is_symlink()}
        final = Manifest({**kept, **{f.name: sha256_bytes(f.data) for f in files}}, inputs,
                         facts_dir)
        stale = sorted(n for n in owned - set(final.outputs)
                       if (out_dir / n).is_file() and not (out_dir / n).is_symlink())
        changed = [f for f in files if not _holds(out_dir / f.name, f.data)]
        manifest_changed = previous is None or previous.to_bytes() != final.to_bytes()
        if not changed and not stale and not manifest_changed:
            return WriteResult(out_dir, [], [], [f.name for f in files])
        pending: list[tuple[Path, Path]] = []
        try:
            for f in changed:
                pending.append((_write_temporary(out_dir / f.name, f.data), out_dir / f.name))
            pending.sort(key=lambda item: item[1].name == PUBLISHED_LAST)  # stable
            if pending or stale:
                publishing = Manifest({**(previous.outputs if previous else {}),
                                       **final.outputs}, None, facts_dir)
                write_atomic(out_dir / MANIFEST_NAME, publishing.to_bytes())
            for tmp, target in pending:
                os.replace(tmp, target)
        finally:
            for tmp, _ in pending:
                tmp.unlink(missing_ok=True)  # only left over if something above failed
        for name in stale:
            (out_dir / name).unlink(missing_ok=True)
        write_atomic(out_dir / MANIFEST_NAME, final.to_bytes())
    return WriteResult(out_dir, sorted(f.name for f in changed), stale,
                       sorted(f.name for f in files if f not in changed))


def publish_file(target: Path, made: Path) -> bool:
    """Move `made` (a finished temporary file beside `target`) over `target`, and list it in
    the directory's manifest, as `write_dumps` lists the dumps. Returns whether `target` changed.

    For files made from the dumps after they are written (`DERIVED`). As with the dumps, a file
    kgpub did not write is never replaced (`NotOurFile`), and when `target` already holds the
    same bytes nothing is renamed and the manifest is only written if it did not list them.
    """
    out_dir = target.parent
    with directory_lock(out_dir):
        previous = Manifest.read(out_dir)
        owned = dict(previous.outputs) if previous else {}
        digest = sha256_file(made)
        exists = target.exists() or target.is_symlink()
        same = exists and target.is_file() and not target.is_symlink() and \
            sha256_file(target) == digest
        if exists and target.name not in owned and not same:
            made.unlink(missing_ok=True)
            raise NotOurFile(
                f"{out_dir}: {target.name} already exists but was not written by kgpub build "
                f"(no {MANIFEST_NAME} there lists it); nothing was written: move it away, or "
                "build into another directory with --out")
        if same:
            made.unlink(missing_ok=True)
        else:
            with open(made, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(made, target)
            _fsync_dir(out_dir)
        if owned.get(target.name) != digest:
            manifest = Manifest({**owned, target.name: digest},
                                previous.inputs if previous else None,
                                previous.facts_dir if previous else None)
            write_atomic(out_dir / MANIFEST_NAME, manifest.to_bytes())
    return not same


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
