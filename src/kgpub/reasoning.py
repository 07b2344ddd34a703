"""OWL reasoning with owlready2's HermiT: consistency of ontology plus data, inferred types.

HermiT runs on Java. owlready2 reads RDF/XML and N-Triples, not Turtle, so the union of the
ontology and the data goes to it as N-Triples. Literal-valued triples other than labels are left
out: their datatypes (xsd:date, xsd:gYear…) are outside OWL 2's datatype map and HermiT would
reject them, and SHACL already checks every value. When HermiT says "inconsistent" it does not say
why, so the usual cause, an individual in two disjoint classes, is looked for and named.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .errors import Inconsistent, ReasonerUnavailable

KEEP_LITERALS = {RDFS.label}


@dataclass
class Clash:
    individual: str
    classes: tuple[str, str]

    def __str__(self) -> str:
        a, b = self.classes
        return (f"{self.individual} is typed both {a} and {b}, which the ontology declares "
                "disjoint: remove one of the types (or fix the reference that implies it)")


@dataclass
class CheckResult:
    consistent: bool
    clashes: list[Clash] = field(default_factory=list)
    inferred: Graph = field(default_factory=Graph)
    individuals: int = 0


def java_executable() -> str:
    java = shutil.which("java")
    if java is None:
        raise ReasonerUnavailable(
            "Java was not found on PATH; HermiT (the OWL reasoner) needs a Java runtime (17 or "
            "newer): install one, e.g. `apt-get install openjdk-17-jre-headless`")
    try:
        subprocess.run([java, "-version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReasonerUnavailable(f"Java at {java} does not start: {exc}") from None
    return java


def reasoner_input(ontology: Graph, data: Graph) -> Graph:
    """Ontology + data without datatype values; every data node declared a named individual."""
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    for s, p, o in data:
        if isinstance(o, Literal) and p not in KEEP_LITERALS:
            continue
        graph.add((s, p, o))
        if isinstance(s, URIRef):
            graph.add((s, RDF.type, OWL.NamedIndividual))
        if p != RDF.type and isinstance(o, URIRef):
            graph.add((o, RDF.type, OWL.NamedIndividual))
    return graph


def _disjoint_pairs(ontology: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs: set[tuple[URIRef, URIRef]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        pairs.add((a, b))
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(ontology, ontology.value(node, OWL.members)))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs.add((a, b))
    return {(a, b) for a, b in pairs if isinstance(a, URIRef) and isinstance(b, URIRef)}


def find_clashes(ontology: Graph, data: Graph) -> list[Clash]:
    """Individuals whose (sub-class-closed) types include two disjoint classes."""
    supers: dict[URIRef, set[URIRef]] = {}

    def up(c: URIRef) -> set[URIRef]:
        if c not in supers:
            out, stack = {c}, [c]
            while stack:
                for parent in ontology.objects(stack.pop(), RDFS.subClassOf):
                    if isinstance(parent, URIRef) and parent not in out:
                        out.add(parent)
                        stack.append(parent)
            supers[c] = out
        return supers[c]

    pairs = _disjoint_pairs(ontology)
    clashes = []
    for ind in sorted(set(data.subjects(RDF.type, None)), key=str):
        asserted = [c for c in data.objects(ind, RDF.type) if isinstance(c, URIRef)]
        closed = {}
        for c in asserted:
            for s in up(c):
                closed.setdefault(s, c)
        for a, b in sorted(pairs):
            if a in closed and b in closed:
                clashes.append(Clash(str(ind), (str(closed[a]), str(closed[b]))))
                break
    return clashes


def check(ontology: Graph, data: Graph, materialise: bool = False) -> CheckResult:
    """Run HermiT on ontology + data; raise Inconsistent (with named clashes) if it fails."""
    import owlready2

    owlready2.JAVA_EXE = java_executable()
    graph = reasoner_input(ontology, data)
    with tempfile.TemporaryDirectory(prefix="kgpub-owl-") as tmp:
        path = Path(tmp) / "input.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        # owlready2 writes HermiT's input to a temporary file it keeps when HermiT finds the
        # ontology inconsistent: have it made in our directory, which goes when we are done.
        before, tempfile.tempdir = tempfile.tempdir, tmp
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            clashes = find_clashes(ontology, data)
            detail = "\n".join(f"- {c}" for c in clashes) or (
                "- no disjoint-class clash was found; look for domain/range axioms that put an "
                "individual in two disjoint classes")
            raise Inconsistent(f"the ontology and data are inconsistent:\n{detail}") from None
        except owlready2.base.OwlReadyJavaError as exc:
            raise ReasonerUnavailable(f"HermiT failed to run: {str(exc)[-2000:]}") from None
        finally:
            tempfile.tempdir = before
        inferred = Graph()
        individuals = list(world.individuals())
        if materialise:
            in_data = set(data.subjects())
            for ind in individuals:
                iri = URIRef(ind.iri)
                if iri not in in_data:
                    continue
                for cls in ind.is_a:
                    cls_iri = getattr(cls, "iri", None)
                    if cls_iri is None or cls_iri == str(OWL.Thing):
                        continue
                    if (iri, RDF.type, URIRef(cls_iri)) not in data:
                        inferred.add((iri, RDF.type, URIRef(cls_iri)))
        world.close()
    return CheckResult(True, [], inferred, len(individuals))
