"""The type vocabularies: which event, actor, stance and attribution types exist, read from data.

Types are concepts in the vocabulary files under `ontology/` (every `*.ttl` there except the OWL
file itself), so a curator adds one by editing a file, not the code. Each scheme is read by the
local names the YAML sources use (`type: Visit`); an unknown name gets the known ones and a
"did you mean". A vocabulary file with a concept that has no label, a type that cannot be placed
in the class hierarchy, or two concepts with one local name is refused with file and line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .errors import SourceError, SourceProblem
from .namespaces import KGP, KGST, PREFIXES
from .rdfio import parse_file, quads_to_graph

ONTOLOGY_NAME = "kgpub.ttl"


def local_name(iri: URIRef | str) -> str:
    text = str(iri)
    return re.split(r"[#/]", text)[-1]


@dataclass
class Scheme:
    """The concepts of one scheme, by the local name the sources use."""

    what: str  # "event type", for messages
    concepts: dict[str, URIRef] = field(default_factory=dict)
    where: str = ""  # the file(s) that define it, for messages

    def get(self, name: str) -> URIRef | None:
        return self.concepts.get(name)

    def unknown(self, name: str) -> str:
        """The message for a name that is not in the scheme: the known names, and a guess."""
        close = difflib.get_close_matches(name, sorted(self.concepts), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        known = ", ".join(sorted(self.concepts))
        return (f"unknown {self.what} {name!r}: {hint}known {self.what}s are {known} "
                f"(add a new one to {self.where})")


@dataclass
class Vocabularies:
    """Every vocabulary file merged (`graph`), the ontology plus them (`ontology`), the schemes."""

    graph: Graph
    ontology: Graph
    files: list[Path]
    event_types: Scheme
    actor_types: Scheme
    stance_types: Scheme
    attribution_types: Scheme
    segments: dict[URIRef, str]
    """Actor type -> the kind segment of its instances' IRIs (`kgr:{segment}/{key}`)."""
    _supers: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)

    def supers(self, cls: URIRef) -> frozenset[URIRef]:
        """`cls` and every named class it is a subclass of."""
        found = self._supers.get(cls)
        if found is None:
            out, stack = {cls}, [cls]
            while stack:
                for parent in self.ontology.objects(stack.pop(), RDFS.subClassOf):
                    if isinstance(parent, URIRef) and parent not in out:
                        out.add(parent)
                        stack.append(parent)
            found = self._supers[cls] = frozenset(out)
        return found

    def is_a(self, cls: URIRef, wanted: Iterable[URIRef]) -> bool:
        return not self.supers(cls).isdisjoint(set(wanted))

    def label(self, concept: URIRef) -> str:
        for prop in (SKOS.prefLabel, RDFS.label):
            for value in self.ontology.objects(concept, prop):
                if isinstance(value, Literal) and value.language in (None, "en"):
                    return str(value)
        return local_name(concept)


def vocabulary_files(ontology_dir: Path) -> list[Path]:
    """The vocabulary files of a project: every `*.ttl` in `ontology/` but the OWL file."""
    return sorted(p for p in Path(ontology_dir).glob("*.ttl") if p.name != ONTOLOGY_NAME)


_PREFIX = re.compile(r"@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)
# An IRI in full, or a prefixed name (a local part may hold dots, but not end with one).
_NAMED = re.compile(r"<([^<>\s\"{}|^`\\]*)>|(?<![\w:<])([A-Za-z][\w-]*)?:((?:[\w-]|\.(?=[\w-]))+)")


class _FileIndex:
    """Which vocabulary file (and line) first names a concept: for error messages, and to say
    which files define a scheme. One scan of each file, then lookups: a scan per concept was
    a third of a small build's time."""

    def __init__(self, files: list[Path]) -> None:
        self.first_lines: dict[Path, dict[str, int]] = {}
        for f in files:
            text = f.read_text(encoding="utf-8")
            prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(text)}
            first: dict[str, int] = {}
            for number, line in enumerate(text.splitlines(), 1):
                for m in _NAMED.finditer(line):
                    if m.group(1) is not None:
                        iri = m.group(1)
                    elif (namespace := prefixes.get(m.group(2) or "")) is not None:
                        iri = namespace + m.group(3)
                    else:
                        continue
                    first.setdefault(iri, number)
            self.first_lines[f] = first

    def locate(self, iri: URIRef) -> tuple[Path | str, int | None]:
        for f, first in self.first_lines.items():
            line = first.get(str(iri))
            if line is not None:
                return f, line
        return "ontology/", None


def _scheme_members(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return {c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}


def load_vocabularies(ontology_file: Path, files: list[Path],
                      root: Path | None = None) -> Vocabularies:
    """Read and check the ontology and the vocabulary files; raise SourceError on a bad one."""
    vocab = Graph()
    for f in files:
        for triple in quads_to_graph(parse_file(f), source=f):
            vocab.add(triple)
    ontology = Graph()
    for triple in quads_to_graph(parse_file(ontology_file), source=ontology_file):
        ontology.add(triple)
    for triple in vocab:
        ontology.add(triple)
    index = _FileIndex([*files, ontology_file])
    problems: list[SourceProblem] = []

    def rel(path: Path | str) -> str:
        if root is not None and isinstance(path, Path):
            try:
                return path.resolve().relative_to(Path(root).resolve()).as_posix()
            except ValueError:
                pass
        return str(path)

    def scheme(what: str, scheme_iri: URIRef, members: set[URIRef]) -> Scheme:
        found = Scheme(what)
        defining = set()
        for concept in sorted(members):
            name = local_name(concept)
            file, line = index.locate(concept)
            if isinstance(file, Path):
                defining.add(rel(file))
            if not any(isinstance(v, Literal) for v in vocab.objects(concept, SKOS.prefLabel)):
                problems.append(SourceProblem(
                    rel(file), line, name,
                    f"{what} {name} ({concept}) has no skos:prefLabel: give it one, e.g. "
                    f'skos:prefLabel "{re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()}"@en'))
            if name in found.concepts and found.concepts[name] != concept:
                problems.append(SourceProblem(
                    rel(file), line, name,
                    f"two {what}s are named {name!r}: {found.concepts[name]} and {concept}; "
                    "the sources name types by local name, so rename one"))
                continue
            found.concepts[name] = concept
        found.where = ", ".join(sorted(defining)) or "a vocabulary file under ontology/"
        return found

    event_types = scheme("event type", KGP.EventTypes, _scheme_members(vocab, KGP.EventTypes))
    actor_types = scheme("actor type", KGP.ActorTypes, _scheme_members(vocab, KGP.ActorTypes))
    stance_members = _scheme_members(vocab, KGST.scheme)
    stance_types = scheme("stance type", KGST.scheme, stance_members)
    attribution_types = scheme("attribution type", KGP.AttributionTypes,
                               _scheme_members(vocab, KGP.AttributionTypes))
    vocabularies = Vocabularies(vocab, ontology, list(files), event_types, actor_types,
                                stance_types, attribution_types, {})
    for name, concept in sorted(event_types.concepts.items()):
        if concept != KGP.Event and not vocabularies.is_a(concept, [KGP.Event]):
            file, line = index.locate(concept)
            problems.append(SourceProblem(
                rel(file), line, name,
                f"event type {name} is not an event: declare it `a owl:Class` with "
                "rdfs:subClassOf kgp:Event (or another event type)"))
    for name, concept in sorted(attribution_types.concepts.items()):
        if (concept, RDF.type, KGP.AttributionType) not in ontology:
            file, line = index.locate(concept)
            problems.append(SourceProblem(
                rel(file), line, name,
                f"attribution type {name} is not declared `a kgp:AttributionType`: add the type"))
    for name, concept in sorted(actor_types.concepts.items()):
        segment = _segment(ontology, vocabularies, concept)
        if segment is None:
            file, line = index.locate(concept)
            problems.append(SourceProblem(
                rel(file), line, name,
                f"actor type {name} has no IRI segment: give it (or a class it is an "
                'rdfs:subClassOf) kgp:iriSegment "…" (the IRIs of its entities are '
                "kgr:{segment}/{key})"))
        elif (concept, RDF.type, OWL.Class) not in ontology:
            file, line = index.locate(concept)
            problems.append(SourceProblem(
                rel(file), line, name, f"actor type {name} is not declared `a owl:Class`"))
        else:
            vocabularies.segments[concept] = segment
    if problems:
        raise SourceError(problems)
    return vocabularies


def _segment(ontology: Graph, vocabularies: Vocabularies, concept: URIRef) -> str | None:
    """The nearest kgp:iriSegment up the class hierarchy (breadth first, then by IRI)."""
    frontier = [concept]
    seen = {concept}
    while frontier:
        for cls in sorted(frontier):
            value = ontology.value(cls, KGP.iriSegment)
            if value is not None:
                return str(value)
        nxt = []
        for cls in frontier:
            for parent in ontology.objects(cls, RDFS.subClassOf):
                if isinstance(parent, URIRef) and parent not in seen:
                    seen.add(parent)
                    nxt.append(parent)
        frontier = nxt
    return None


def ontology_document(ontology_file: Path, files: list[Path]) -> bytes:
    """The ontology as published at its IRI: the OWL file as written, then every statement of
    the vocabulary files about a term of the ontology's namespace (event types, actor types,
    attribution types), so that each kgp: term is defined in the document its IRI names."""
    text = Path(ontology_file).read_bytes()
    extra = Graph(bind_namespaces="none")
    for f in files:
        for s, p, o in quads_to_graph(parse_file(f), source=f):
            if str(s).startswith(str(KGP)):
                extra.add((s, p, o))
    if not len(extra):
        return text
    for prefix in ("kgp", "owl", "rdfs", "skos", "dcterms", "cameo", "plover", "kgst"):
        extra.bind(prefix, PREFIXES[prefix])
    rule = b"# " + b"-" * 93 + b"\n"
    names = ", ".join(f.name for f in files)
    return (text.rstrip(b"\n") + b"\n\n" + rule
            + f"# The terms of this namespace defined in the vocabularies ({names})\n".encode()
            + rule + b"\n" + extra.serialize(format="turtle").encode("utf-8"))
