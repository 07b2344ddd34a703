"""The ontology page: every term of the OWL file, grouped and cross-linked for reading.

Read with rdflib from the published Turtle, not from the store, so the page documents exactly
the file that is served and needs no query per term.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from .terms import DCTERMS, KGP, OWL, RDF_TYPE, RDFS, SKOS, Terms, humanise, lang_rank

VOCABULARY_NAMES = {
    "http://www.w3.org/ns/prov#": "PROV-O",
    "http://xmlns.com/foaf/0.1/": "FOAF",
    "http://schema.org/": "schema.org",
    "http://www.w3.org/ns/org#": "ORG",
    "http://semanticweb.cs.vu.nl/2009/11/sem/": "SEM",
    "http://www.w3.org/2006/time#": "OWL-Time",
    "http://www.w3.org/ns/oa#": "Web Annotation (OA)",
    "http://www.w3.org/2004/02/skos/core#": "SKOS",
    "http://www.gsi.dit.upm.es/ontologies/marl/ns#": "Marl",
    "http://linkedevents.org/ontology/": "LODE",
    "http://www.wikidata.org/entity/": "Wikidata",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "RDF",
    "http://www.w3.org/2002/07/owl#": "OWL",
}


class OntologyDoc:
    """Reads the OWL file with rdflib and arranges its terms for documentation."""

    KINDS = {OWL + "Class": "class", OWL + "ObjectProperty": "object property",
             OWL + "DatatypeProperty": "datatype property",
             OWL + "AnnotationProperty": "annotation property",
             OWL + "NamedIndividual": "individual"}
    CHARACTERISTICS = {OWL + "SymmetricProperty": "symmetric",
                       OWL + "TransitiveProperty": "transitive",
                       OWL + "FunctionalProperty": "functional",
                       OWL + "InverseFunctionalProperty": "inverse functional",
                       OWL + "AsymmetricProperty": "asymmetric",
                       OWL + "ReflexiveProperty": "reflexive",
                       OWL + "IrreflexiveProperty": "irreflexive"}

    def __init__(self, ttl: str, terms: Terms) -> None:
        from rdflib import Graph

        self.terms = terms
        self.g = Graph()
        self.g.parse(data=ttl, format="turtle")
        self.namespaces = sorted(((p, str(n)) for p, n in self.g.namespaces() if p),
                                 key=lambda item: -len(item[1]))
        self.ontology = next(iter(self.g.subjects(self._u(RDF_TYPE), self._u(OWL + "Ontology"))),
                             None)
        ns = self._value(self.ontology, "http://purl.org/vocab/vann/preferredNamespaceUri")
        self.ns = ns or KGP

    # rdflib helpers
    def _u(self, iri: str) -> Any:
        from rdflib import URIRef

        return URIRef(iri)

    def _objects(self, node: Any, predicate: str) -> list[Any]:
        return sorted(self.g.objects(node, self._u(predicate)), key=str)

    def _subjects(self, predicate: str, node: Any) -> list[Any]:
        return sorted(self.g.subjects(self._u(predicate), node), key=str)

    def _value(self, node: Any, predicate: str) -> str:
        """The English (or untagged) literal value, else any."""
        if node is None:
            return ""
        values = [o for o in self.g.objects(node, self._u(predicate))]
        if not values:
            return ""
        values.sort(key=lambda o: (lang_rank(getattr(o, "language", None) or ""), str(o)))
        return str(values[0])

    def curie(self, iri: str) -> str:
        for prefix, ns in self.namespaces:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return self.terms.curie(iri) or iri

    def internal(self, node: Any) -> bool:
        from rdflib import URIRef

        return isinstance(node, URIRef) and str(node).startswith(self.ns) and \
            len(str(node)) > len(self.ns)

    def ref(self, node: Any) -> dict[str, str | None]:
        iri = str(node)
        if self.internal(node):
            local = iri[len(self.ns):]
            return {"text": self._value(node, RDFS + "label") or local, "href": "#" + local,
                    "title": self.curie(iri)}
        return {"text": self.curie(iri), "href": self.terms.href(iri), "title": iri}

    def expr(self, node: Any) -> list[Any]:
        """A class expression as segments: refs (dicts) and connecting words (str)."""
        from rdflib import BNode
        from rdflib.collection import Collection

        if not isinstance(node, BNode):
            return [self.ref(node)]
        for predicate, word, lead in ((OWL + "unionOf", " or ", ""),
                                      (OWL + "intersectionOf", " and ", ""),
                                      (OWL + "oneOf", ", ", "one of ")):
            head = self.g.value(node, self._u(predicate))
            if head is not None:
                members = [self.expr(m) for m in Collection(self.g, head)]
                out: list[Any] = [lead] if lead else []
                for i, member in enumerate(members):
                    if i:
                        out.append(word)
                    out += member
                return out
        prop = self.g.value(node, self._u(OWL + "onProperty"))
        if prop is not None:
            for predicate, word in ((OWL + "allValuesFrom", " only "),
                                    (OWL + "someValuesFrom", " some "),
                                    (OWL + "hasValue", " value ")):
                filler = self.g.value(node, self._u(predicate))
                if filler is not None:
                    return [self.ref(prop), word, *self.expr(filler)]
            for predicate, word in ((OWL + "cardinality", " exactly "),
                                    (OWL + "minCardinality", " at least "),
                                    (OWL + "maxCardinality", " at most "),
                                    (OWL + "qualifiedCardinality", " exactly "),
                                    (OWL + "minQualifiedCardinality", " at least "),
                                    (OWL + "maxQualifiedCardinality", " at most ")):
                number = self.g.value(node, self._u(predicate))
                if number is not None:
                    return [self.ref(prop), f"{word}{number}"]
            return [self.ref(prop), " (restriction)"]
        return ["an anonymous class"]

    def disjoint(self) -> dict[str, set[Any]]:
        from rdflib.collection import Collection

        pairs: dict[str, set[Any]] = defaultdict(set)
        for a, b in self.g.subject_objects(self._u(OWL + "disjointWith")):
            pairs[str(a)].add(b)
            pairs[str(b)].add(a)
        for axiom in self.g.subjects(self._u(RDF_TYPE), self._u(OWL + "AllDisjointClasses")):
            head = self.g.value(axiom, self._u(OWL + "members"))
            members = list(Collection(self.g, head)) if head is not None else []
            for m in members:
                pairs[str(m)].update(x for x in members if x != m)
        return pairs

    def term(self, node: Any, kind: str, disjoint: dict[str, set[Any]]) -> dict[str, Any]:
        iri = str(node)
        local = iri[len(self.ns):]
        rows: list[tuple[str, list[list[Any]]]] = []

        def add(name: str, nodes: Iterable[Any]) -> None:
            exprs = [self.expr(n) for n in nodes]
            if exprs:
                rows.append((name, exprs))

        if kind == "class":
            add("Subclass of", self._objects(node, RDFS + "subClassOf"))
            add("Superclass of", [s for s in self._subjects(RDFS + "subClassOf", node)
                                  if self.internal(s)])
            add("Equivalent to", self._objects(node, OWL + "equivalentClass"))
            add("Disjoint with", sorted(disjoint.get(iri, ()), key=str))
            add("Members", [s for s in self._subjects(RDF_TYPE, node) if self.internal(s)])
        elif kind == "individual":
            add("Member of", [c for c in self._objects(node, RDF_TYPE)
                              if str(c) != OWL + "NamedIndividual"])
        else:
            traits = [label for t, label in self.CHARACTERISTICS.items()
                      if (node, self._u(RDF_TYPE), self._u(t)) in self.g]
            if traits:
                rows.append(("Characteristics", [[", ".join(traits)]]))
            add("Domain", self._objects(node, RDFS + "domain"))
            add("Range", self._objects(node, RDFS + "range"))
            add("Subproperty of", self._objects(node, RDFS + "subPropertyOf"))
            add("Superproperty of", [s for s in self._subjects(RDFS + "subPropertyOf", node)
                                     if self.internal(s)])
            add("Inverse of", self._objects(node, OWL + "inverseOf") +
                self._subjects(OWL + "inverseOf", node))
            add("Equivalent to", self._objects(node, OWL + "equivalentProperty"))
        add("Close match", self._objects(node, SKOS + "closeMatch"))
        add("See also", self._objects(node, RDFS + "seeAlso"))
        return {"anchor": local, "iri": iri, "curie": self.curie(iri), "kind": kind,
                "label": self._value(node, RDFS + "label") or humanise(local),
                "comment": self._value(node, RDFS + "comment"),
                "definition": self._value(node, SKOS + "definition"), "rows": rows}

    def build(self) -> dict[str, Any]:
        from rdflib import URIRef

        disjoint = self.disjoint()
        terms: dict[str, dict[str, Any]] = {}
        external: dict[str, dict[str, Any]] = {}
        for type_iri, kind in self.KINDS.items():
            for node in self._subjects(RDF_TYPE, self._u(type_iri)):
                if not isinstance(node, URIRef):
                    continue
                if self.internal(node):
                    if str(node) not in terms or kind == "individual":
                        terms[str(node)] = self.term(node, kind, disjoint)
                elif str(node) not in external:
                    external[str(node)] = {"ref": self.ref(node), "kind": kind,
                                           "anchor": "ext-" + re.sub(r"[^A-Za-z0-9_-]", "-",
                                                                     self.curie(str(node)))}
        # individuals typed only by a class of the ontology (no owl:NamedIndividual)
        class_iris = {i for i, t in terms.items() if t["kind"] == "class"}
        for s, o in self.g.subject_objects(self._u(RDF_TYPE)):
            if str(o) in class_iris and self.internal(s) and str(s) not in terms:
                terms[str(s)] = self.term(s, "individual", disjoint)

        def by_label(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(items, key=lambda t: (t["label"].casefold(), t["iri"]))

        classes = [t for t in terms.values() if t["kind"] == "class"]
        value_sets = {t["iri"] for t in classes
                      if any(self.g.value(e, self._u(OWL + "oneOf")) is not None
                             for e in self._objects(self._u(t["iri"]), OWL + "equivalentClass"))}

        def ancestors(iri: str) -> set[str]:
            seen: set[str] = set()
            todo = [iri]
            while todo:
                for parent in self._objects(self._u(todo.pop()), RDFS + "subClassOf"):
                    if isinstance(parent, URIRef) and str(parent) not in seen:
                        seen.add(str(parent))
                        todo.append(str(parent))
            return seen

        families = [("Agents", self.ns + "Agent"), ("Places", self.ns + "Place"),
                    ("Events", self.ns + "Event")]
        class_groups: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in families}
        class_groups["Documents, facts and structure"] = []
        class_groups["Closed value sets"] = []
        for t in classes:
            if t["iri"] in value_sets:
                class_groups["Closed value sets"].append(t)
                continue
            lineage = ancestors(t["iri"]) | {t["iri"]}
            name = next((n for n, root in families if root in lineage),
                        "Documents, facts and structure")
            class_groups[name].append(t)
        for name, members in class_groups.items():
            class_groups[name] = sorted(members, key=lambda t: (
                t["iri"] not in {r for _, r in families}, t["label"].casefold()))

        def domain_key(t: dict[str, Any]) -> str:
            domains = self._objects(self._u(t["iri"]), RDFS + "domain")
            if not domains:
                return "no declared domain"
            return " / ".join("".join(s if isinstance(s, str) else s["text"]
                                      for s in self.expr(d)) for d in domains)

        def grouped(kind: str) -> list[tuple[str, list[dict[str, Any]]]]:
            groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for t in terms.values():
                if t["kind"] == kind:
                    groups[domain_key(t)].append(t)
            return sorted(((k, by_label(v)) for k, v in groups.items()),
                          key=lambda kv: (kv[0] == "no declared domain", kv[0].casefold()))

        individuals: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for t in terms.values():
            if t["kind"] == "individual":
                owners = [c for c in self._objects(self._u(t["iri"]), RDF_TYPE)
                          if str(c) != OWL + "NamedIndividual"]
                owner = self.ref(owners[0])["text"] if owners else "other"
                individuals[owner].append(t)

        alignments = []
        for t in terms.values():
            node = self._u(t["iri"])
            for predicate, relation in ((RDFS + "subClassOf", "subclass of"),
                                        (RDFS + "subPropertyOf", "subproperty of"),
                                        (OWL + "equivalentClass", "equivalent to"),
                                        (OWL + "equivalentProperty", "equivalent to"),
                                        (OWL + "inverseOf", "inverse of"),
                                        (SKOS + "closeMatch", "close match"),
                                        (RDFS + "domain", "domain"), (RDFS + "range", "range")):
                for other in self._objects(node, predicate):
                    segments = self.expr(other)
                    outside = [s["title"] for s in segments
                               if isinstance(s, dict) and not (s["href"] or "").startswith("#")]
                    if not outside or (relation == "domain" and not isinstance(other, URIRef)):
                        continue
                    vocab = next((name for ns, name in VOCABULARY_NAMES.items()
                                  if outside[-1].startswith(ns)), "other")
                    alignments.append({"vocabulary": vocab, "term": t, "relation": relation,
                                       "other": segments})
        alignments.sort(key=lambda a: (a["vocabulary"].casefold(), a["term"]["label"].casefold(),
                                       a["relation"], str(a["other"])))
        ont = self.ontology
        meta = {
            "iri": str(ont) if ont is not None else self.ns,
            "title": self._value(ont, DCTERMS + "title") or "Ontology",
            "description": self._value(ont, DCTERMS + "description"),
            "version": self._value(ont, OWL + "versionInfo"),
            "version_iri": str(self.g.value(ont, self._u(OWL + "versionIRI")) or "")
            if ont is not None else "",
            "license": self._value(ont, DCTERMS + "license"),
            "creator": self._value(ont, DCTERMS + "creator"),
            "prefix": self._value(ont, "http://purl.org/vocab/vann/preferredNamespacePrefix"),
            "namespace": self.ns,
            "see_also": [self.ref(o) for o in self._objects(ont, RDFS + "seeAlso")]
            if ont is not None else [],
        }
        counts = Counter(t["kind"] for t in terms.values())
        return {
            "meta": meta, "counts": counts,
            "class_groups": [(k, v) for k, v in class_groups.items() if v],
            "object_properties": grouped("object property"),
            "datatype_properties": grouped("datatype property"),
            "annotation_properties": grouped("annotation property"),
            "individuals": sorted(((k, by_label(v)) for k, v in individuals.items()),
                                  key=lambda kv: kv[0].casefold()),
            "alignments": alignments,
            "external": sorted(external.values(), key=lambda e: e["ref"]["text"]),
        }


def ontology_doc(ontology_ttl: str, terms: Terms) -> dict[str, Any]:
    """The ontology as grouped, cross-linked term records for the ontology template."""
    return OntologyDoc(ontology_ttl, terms).build()
