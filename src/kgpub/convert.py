"""Curated sources (registry, article facts, context) become one rdflib Dataset of named graphs.

IRIs come from content (see docs/data-model.md), so the same fact reported by two articles is one
node asserted in two article graphs. Every reference is resolved here and every evidence quote is
located in the stored article text; all problems are collected and raised together, each with its
file and line, before anything is written.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from . import __version__
from .errors import SourceError, SourceProblem
from .model import (
    Assessment,
    Characterization,
    Designation,
    Entity,
    Event,
    Evidence,
    EvidenceItem,
    FactSet,
    Omission,
    PartialDate,
    Quote,
    Stance,
    Statement,
    Tenure,
)
from .namespaces import (
    CAMEO,
    KGG,
    KGP,
    KGR,
    KGST,
    NP,
    OA,
    ORG,
    PLOVER,
    SCHEMA,
    SEM,
    WD,
    expand_curie,
)
from .rdfio import canonical_literals
from .sources import LineMap, LoadedArticle, Sources

ENTITY_KIND = {
    "Person": "person",
    "Country": "country",
    "Organization": "org",
    "IntergovernmentalOrganization": "org",
    "GovernmentBody": "org",
    "MediaOrganization": "org",
    "EducationalOrganization": "org",
    "CountryGroup": "group",
    "Place": "place",
    "City": "place",
    "Region": "place",
    "PolicyProgramme": "programme",
    "Post": "post",
    "SourceDocument": "doc",
}
AGENT_TYPES = {
    "Person", "Country", "Organization", "IntergovernmentalOrganization", "GovernmentBody",
    "MediaOrganization", "EducationalOrganization", "CountryGroup",
}
MEDIA_TYPES = {"MediaOrganization"}
ORG_TYPES = {
    "Organization", "IntergovernmentalOrganization", "GovernmentBody", "MediaOrganization",
    "EducationalOrganization", "Country",
}
PROVENANCE_PREDICATES = {KGP.reportedIn, KGP.evidence, KGP.inference, DCTERMS.bibliographicCitation}
CONVERTER = KGR["agent/kgpub-converter"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CONTEXT_SIZE = 20


def normalise_quote(text: str) -> str:
    """Typographic quotes to ASCII, trailing comma stripped: for identity, never for oa:exact."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return text.strip().rstrip(",").strip()


def kebab(name: str) -> str:
    """`MainStrategicPartner` -> `main-strategic-partner`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def short_hash(*parts: object) -> str:
    return hashlib.sha1("\n".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:12]


def partial_date_literal(value: PartialDate) -> Literal:
    datatype = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}[value.precision]
    return Literal(value.text, datatype=datatype)


def time_property(value: PartialDate) -> URIRef:
    return {"year": TIME.inXSDgYear, "month": TIME.inXSDgYearMonth, "day": TIME.inXSDDate}[
        value.precision
    ]


def decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def en(text: str) -> Literal:
    return Literal(text, lang="en")


@dataclass
class Span:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass
class _Target:
    """Where a fact is being written: which graph, which article (None for context)."""

    graph: Graph
    file: Path
    lines: LineMap
    article: LoadedArticle | None
    chrome: bool = False


@dataclass
class _Id:
    iri: URIRef
    kind: str  # entity type, "Event", "Article", "Assessment", ...
    file: Path
    line: int | None


@dataclass
class Converter:
    sources: Sources
    ontology: Graph
    vocab: Graph
    problems: list[SourceProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ds = Dataset()
        self.ids: dict[str, _Id] = {}
        self.local_refs: dict[tuple[Path, str], _Id] = {}
        self.stance_types = {
            str(c).removeprefix(str(KGST))
            for c in self.vocab.subjects(SKOS.inScheme, KGST.scheme)
        }
        # Fact IRI -> {file: (core triples, line)} for the cross-article consistency check.
        self.fact_cores: dict[URIRef, dict[Path, tuple[frozenset, int | None]]] = defaultdict(dict)
        self.fact_iris_by_file: dict[Path, dict[URIRef, int | None]] = defaultdict(dict)

    # ---------------------------------------------------------------- problems and lookups
    def problem(self, file: Path, lines: LineMap, path: Sequence[str | int], message: str) -> None:
        dotted = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
        self.problems.append(
            SourceProblem(self._rel(file), lines.line(path), dotted.replace(".[", "["), message)
        )

    def _rel(self, path: Path) -> Path:
        try:
            return Path(path).resolve().relative_to(self.sources.root.resolve())
        except ValueError:
            return Path(path)

    def ref(
        self, key: str, t: _Target, path: Sequence[str | int], kinds: set[str] | None = None,
        what: str = "reference",
    ) -> URIRef:
        found = self.local_refs.get((t.file, key)) or self.ids.get(key)
        if found is None:
            known = list(self.ids) + [k for f, k in self.local_refs if f == t.file]
            close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            self.problem(
                t.file, t.lines, path,
                f"unknown {what} {key!r}: not a key of {self._rel(self.sources.registry_path)}, "
                f"an event, a fact id or a ref in this file{hint}",
            )
            return KGR[f"unresolved/{key}"]
        if kinds is not None and found.kind not in kinds:
            self.problem(
                t.file, t.lines, path,
                f"{key!r} is a {found.kind}, but {what} must be one of: {', '.join(sorted(kinds))}",
            )
        return found.iri

    def declare(self, key: str, item: _Id, file: Path, lines: LineMap, path: Sequence) -> bool:
        prev = self.ids.get(key)
        if prev is not None and (prev.kind != item.kind or prev.file == file):
            self.problem(
                file, lines, path,
                f"duplicate id {key!r}: already used at {self._rel(prev.file)}:{prev.line} "
                f"for a {prev.kind}; ids must be unique (the same event in two articles shares "
                "its id, but one file may declare it once)",
            )
            return False
        if prev is None:
            self.ids[key] = item
        return True

    # ---------------------------------------------------------------- top level
    def convert(self) -> Dataset:
        s = self.sources
        for prefix, ns in (("kgp", KGP), ("kgr", KGR), ("kgst", KGST), ("kgg", KGG)):
            self.ds.bind(prefix, ns)
        self.entities = self.ds.graph(KGG.entities)
        self.links = self.ds.graph(KGG.links)
        self.context = self.ds.graph(KGG.context)
        vocab_graph = self.ds.graph(KGG.vocab)
        for triple in self.vocab:
            vocab_graph.add(triple)
        self._registry()
        self._declare_ids()
        for article in s.articles:
            self._article(article)
        if s.context is not None:
            target = _Target(self.context, s.context_path, s.context_lines, None)
            self._factset(s.context.context, target, ("context",))
        self._check_shared_facts()
        if self.problems:
            raise SourceError(sorted(self.problems, key=lambda p: (str(p.file), p.line or 0)))
        materialise_closure(self.ds, self.ontology)
        return self.ds

    # ---------------------------------------------------------------- registry
    def _registry(self) -> None:
        s = self.sources
        t = _Target(self.entities, s.registry_path, s.registry_lines, None)
        for i, ent in enumerate(s.registry.entities):
            iri = KGR[f"{ENTITY_KIND[ent.type]}/{ent.key}"]
            self.declare(ent.key, _Id(iri, ent.type, s.registry_path,
                                      s.registry_lines.line(("entities", i))), s.registry_path,
                         s.registry_lines, ("entities", i, "key"))
        for i, ent in enumerate(s.registry.entities):
            self._entity(ent, t, ("entities", i))

    def _entity(self, ent: Entity, t: _Target, path: tuple) -> None:
        g = self.entities
        iri = KGR[f"{ENTITY_KIND[ent.type]}/{ent.key}"]
        g.add((iri, RDF.type, KGP[ent.type]))
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
        if ent.post_in:
            if ent.type != "Post":
                self.problem(t.file, t.lines, (*path, "post_in"), "post_in is only for type Post")
            g.add((iri, ORG.postIn, self.ref(ent.post_in, t, (*path, "post_in"), ORG_TYPES,
                                             "post_in")))
        if ent.wikidata:
            if ent.type == "Post":
                self.links.add((iri, SKOS.exactMatch, WD[ent.wikidata]))
            else:
                self.links.add((iri, OWL.sameAs, WD[ent.wikidata]))

    def _declare_ids(self) -> None:
        """Events, articles and named facts are global ids; quote and stance refs are per file."""
        files: list[tuple[FactSet, Path, LineMap, tuple]] = []
        for a in self.sources.articles:
            aid = a.model.article.id
            self.declare(aid, _Id(KGR[f"article/{aid}"], "NewsArticle", a.path,
                                  a.lines.line(("article", "id"))), a.path, a.lines,
                         ("article", "id"))
            files.append((a.model.facts, a.path, a.lines, ("facts",)))
            files.append((a.model.page_chrome, a.path, a.lines, ("page_chrome",)))
        if self.sources.context is not None:
            files.append((self.sources.context.context, self.sources.context_path,
                          self.sources.context_lines, ("context",)))
        seen_in_file: dict[tuple[Path, str], int | None] = {}
        for facts, file, lines, base in files:
            for section, kind, prefix in (
                ("events", "Event", "event"),
                ("assessments", "RelationAssessment", "assessment"),
                ("characterizations", "Characterization", "characterization"),
                ("omissions", "Omission", "omission"),
                ("designations", "Designation", "designation"),
            ):
                for i, fact in enumerate(getattr(facts, section)):
                    path = (*base, section, i, "id")
                    line = lines.line(path)
                    if (file, fact.id) in seen_in_file:
                        self.problem(file, lines, path,
                                     f"duplicate id {fact.id!r} in this file (first at line "
                                     f"{seen_in_file[(file, fact.id)]}); give each fact its own id")
                        continue
                    seen_in_file[(file, fact.id)] = line
                    item = _Id(KGR[f"{prefix}/{fact.id}"], kind, file, line)
                    prev = self.ids.get(fact.id)
                    if prev is not None and prev.kind != kind:
                        self.problem(file, lines, path,
                                     f"id {fact.id!r} is already a {prev.kind} at "
                                     f"{self._rel(prev.file)}:{prev.line}; choose another id")
                    elif prev is None:
                        self.ids[fact.id] = item
            for section in ("quotes", "stances"):
                for i, fact in enumerate(getattr(facts, section)):
                    if fact.ref is None:
                        continue
                    path = (*base, section, i, "ref")
                    if (file, fact.ref) in self.local_refs or fact.ref in self.ids:
                        self.problem(file, lines, path,
                                     f"duplicate ref {fact.ref!r}: refs must be unique in a file "
                                     "and differ from registry keys and ids")
                        continue
                    iri = (self._quote_iri(fact) if section == "quotes"
                           else self._stance_iri(fact))
                    self.local_refs[(file, fact.ref)] = _Id(
                        iri, "Quote" if section == "quotes" else "Stance", file, lines.line(path))

    # ---------------------------------------------------------------- articles
    def _article(self, a: LoadedArticle) -> None:
        meta = a.model.article
        art = KGR[f"article/{meta.id}"]
        graph_iri = KGG[f"article/{meta.id}"]
        t = _Target(self.ds.graph(graph_iri), a.path, a.lines, a)
        e = self.entities
        base = ("article",)
        e.add((art, RDF.type, KGP.NewsArticle))
        e.add((art, RDFS.label, en(meta.headline)))
        e.add((art, SCHEMA.headline, en(meta.headline)))
        self.evidence(art, [meta.headline], t, (*base, "headline"), graph=e)
        e.add((art, SCHEMA.publisher,
               self.ref(meta.publisher, t, (*base, "publisher"), MEDIA_TYPES, "publisher")))
        self.evidence(art, meta.publisher_evidence, t, (*base, "publisher_evidence"), graph=e)
        if meta.author:
            e.add((art, SCHEMA.author,
                   self.ref(meta.author, t, (*base, "author"), {"Person"}, "author")))
            self.evidence(art, meta.author_evidence, t, (*base, "author_evidence"), graph=e)
        if meta.date_published:
            e.add((art, SCHEMA.datePublished, Literal(meta.date_published)))
        else:
            e.add((art, KGP.datePublishedEarliest, Literal(meta.date_published_earliest)))
            e.add((art, KGP.datePublishedLatest, Literal(meta.date_published_latest)))
        if meta.date_reasoning:
            e.add((art, KGP.inference, en(meta.date_reasoning)))
        if meta.dateline:
            e.add((art, SCHEMA.dateline, Literal(meta.dateline)))
            self.evidence(art, [meta.dateline], t, (*base, "dateline"), graph=e)
        if meta.location_created:
            e.add((art, SCHEMA.locationCreated,
                   self.ref(meta.location_created, t, (*base, "location_created"))))
        e.add((art, SCHEMA.inLanguage, Literal(meta.language)))
        if meta.genre:
            e.add((art, SCHEMA.genre, Literal(meta.genre)))
        e.add((art, KGP.sourceFile, Literal(self._rel(a.text_path).as_posix())))
        e.add((art, KGP.sha256, Literal(a.sha256)))
        e.add((art, KGP.characterCount, Literal(len(a.text), datatype=XSD.integer)))
        for i, other in enumerate(meta.derived_from):
            e.add((art, PROV.wasDerivedFrom,
                   self.ref(other, t, (*base, "derived_from", i), {"NewsArticle"}, "article")))
        self.evidence(art, meta.derived_from_evidence, t, (*base, "derived_from_evidence"),
                      graph=e)
        for i, src in enumerate(meta.primary_sources):
            e.add((art, PROV.hadPrimarySource,
                   self.ref(src, t, (*base, "primary_sources", i), {"SourceDocument"},
                            "primary source")))
        if meta.url:
            self.context.add((art, SCHEMA.url, URIRef(meta.url)))
            if meta.url_source:
                self.context.add((art, DCTERMS.bibliographicCitation, Literal(meta.url_source)))
        self._factset(a.model.facts, t, ("facts",))
        chrome = _Target(self.ds.graph(KGG[f"pagechrome/{meta.id}"]), a.path, a.lines, a, True)
        self._factset(a.model.page_chrome, chrome, ("page_chrome",))
        self._nanopub(a, graph_iri, art)

    def _nanopub(self, a: LoadedArticle, graph_iri: URIRef, art: URIRef) -> None:
        np_iri = URIRef(f"{graph_iri}/np")
        prov_g = URIRef(f"{graph_iri}/provenance")
        info_g = URIRef(f"{graph_iri}/pubinfo")
        activity = URIRef(f"{graph_iri}/extraction")
        head = self.ds.graph(URIRef(f"{graph_iri}/head"))
        head.add((np_iri, RDF.type, NP.Nanopublication))
        head.add((np_iri, NP.hasAssertion, graph_iri))
        head.add((np_iri, NP.hasProvenance, prov_g))
        head.add((np_iri, NP.hasPublicationInfo, info_g))
        p = self.ds.graph(prov_g)
        p.add((graph_iri, PROV.wasDerivedFrom, art))
        p.add((graph_iri, PROV.wasGeneratedBy, activity))
        p.add((activity, RDF.type, PROV.Activity))
        p.add((activity, PROV.used, art))
        p.add((activity, PROV.wasAssociatedWith, CONVERTER))
        p.add((activity, DCTERMS.source, Literal(self._rel(a.path).as_posix())))
        p.add((CONVERTER, RDF.type, PROV.SoftwareAgent))
        p.add((CONVERTER, RDFS.label, en("kgpub converter")))
        info = self.ds.graph(info_g)
        info.add((np_iri, DCTERMS.license, LICENSE))
        info.add((np_iri, DCTERMS.creator, CONVERTER))
        info.add((np_iri, PROV.wasAttributedTo, CONVERTER))
        info.add((CONVERTER, SCHEMA.softwareVersion, Literal(__version__)))

    # ---------------------------------------------------------------- evidence
    def locate(self, item: EvidenceItem, t: _Target, path: Sequence) -> Span | None:
        assert t.article is not None
        text = t.article.text
        wanted, occurrence = (item, None) if isinstance(item, str) else (item.text, item.occurrence)
        starts = [m.start() for m in re.finditer(f"(?={re.escape(wanted)})", text)]
        name = self._rel(t.article.text_path)
        if not starts:
            hint = ""
            folded = normalise_quote(wanted)
            if folded and folded in normalise_quote(text):
                hint = ("; it matches once quotation marks and apostrophes are normalised: copy "
                        "the article's own characters (e.g. \u2019 or \u201c\u201d)")
            elif wanted.strip() != wanted:
                hint = "; it has leading or trailing white space"
            self.problem(t.file, t.lines, path,
                         f"evidence {_short(wanted)} is not found verbatim in {name}{hint}")
            return None
        if occurrence is None and len(starts) > 1:
            self.problem(t.file, t.lines, path,
                         f"evidence {_short(wanted)} occurs {len(starts)} times in {name} (at "
                         f"offsets {', '.join(map(str, starts))}); add `occurrence: N` to pick one")
            return None
        if occurrence is not None and occurrence > len(starts):
            self.problem(t.file, t.lines, path,
                         f"occurrence {occurrence} asked, but {_short(wanted)} occurs only "
                         f"{len(starts)} time(s) in {name}")
            return None
        start = starts[(occurrence or 1) - 1]
        end = start + len(wanted)
        return Span(start, end, wanted, text[max(0, start - CONTEXT_SIZE):start],
                    text[end:end + CONTEXT_SIZE])

    def evidence(self, body: URIRef, items: Iterable[EvidenceItem], t: _Target, path: Sequence,
                 graph: Graph | None = None) -> int:
        """Annotate `body` with each span; returns how many were located."""
        if t.article is None:
            return 0
        g = t.graph if graph is None else graph
        art = KGR[f"article/{t.article.model.article.id}"]
        count = 0
        for i, item in enumerate(items):
            span = self.locate(item, t, (*path, i))
            if span is None:
                continue
            count += 1
            ann = KGR[f"ann/{short_hash(art, body, span.start, span.end)}"]
            target, qsel, psel = (URIRef(f"{ann}/target"), URIRef(f"{ann}/quote"),
                                  URIRef(f"{ann}/position"))
            g.add((body, KGP.evidence, ann))
            g.add((ann, RDF.type, OA.Annotation))
            g.add((ann, OA.motivatedBy, OA.describing))
            g.add((ann, OA.hasBody, body))
            g.add((ann, OA.hasTarget, target))
            g.add((target, RDF.type, OA.SpecificResource))
            g.add((target, OA.hasSource, art))
            g.add((target, OA.hasSelector, qsel))
            g.add((target, OA.hasSelector, psel))
            g.add((qsel, RDF.type, OA.TextQuoteSelector))
            g.add((qsel, OA.exact, Literal(span.exact)))
            g.add((qsel, OA.prefix, Literal(span.prefix)))
            g.add((qsel, OA.suffix, Literal(span.suffix)))
            g.add((psel, RDF.type, OA.TextPositionSelector))
            g.add((psel, OA.start, Literal(span.start, datatype=XSD.integer)))
            g.add((psel, OA.end, Literal(span.end, datatype=XSD.integer)))
        return count

    # ---------------------------------------------------------------- fact sets
    def _factset(self, facts: FactSet, t: _Target, base: tuple) -> None:
        for section, method in (
            ("quotes", self._quote), ("events", self._event), ("tenures", self._tenure),
            ("stances", self._stance), ("assessments", self._assessment),
            ("characterizations", self._characterization), ("omissions", self._omission),
            ("designations", self._designation), ("statements", self._statement),
        ):
            for i, fact in enumerate(getattr(facts, section)):
                path = (*base, section, i)
                node, core = method(fact, t, path)
                own = [Evidence(text=fact.text, occurrence=fact.occurrence)] if isinstance(
                    fact, Quote) else []
                self._provenance(node, fact, t, path, own)
                for triple in core:
                    t.graph.add(triple)
                self._record_core(node, core, t, path)

    def _provenance(self, node: URIRef, fact, t: _Target, path: tuple,
                    own: list[Evidence]) -> None:
        g = t.graph
        if fact.inferred:
            g.add((node, KGP.inference, en(fact.inferred)))
        if t.article is None:
            if fact.evidence:
                self.problem(t.file, t.lines, (*path, "evidence"),
                             "context facts cite a source and carry no evidence spans")
            if not fact.source:
                self.problem(t.file, t.lines, path,
                             "a context fact needs `source:` (the citation for this external fact)")
            else:
                g.add((node, DCTERMS.bibliographicCitation, Literal(fact.source)))
            return
        if fact.source:
            g.add((node, DCTERMS.bibliographicCitation, Literal(fact.source)))
        g.add((node, KGP.reportedIn, KGR[f"article/{t.article.model.article.id}"]))
        self.evidence(node, own, t, (*path, "text"))
        self.evidence(node, fact.evidence, t, (*path, "evidence"))
        if not own and not fact.evidence:
            self.problem(t.file, t.lines, path,
                         "a fact from an article needs at least one evidence span (`evidence:`)")

    def _record_core(self, node: URIRef, core: list, t: _Target, path: tuple) -> None:
        if t.article is None or t.chrome:
            return
        own = frozenset((p, o) for s, p, o in core if s == node and p not in PROVENANCE_PREDICATES)
        if node in self.fact_iris_by_file[t.file]:
            self.problem(t.file, t.lines, path,
                         f"duplicate fact: {node} was already stated at line "
                         f"{self.fact_iris_by_file[t.file][node]} of this file; merge the two")
            return
        line = t.lines.line(path)
        self.fact_iris_by_file[t.file][node] = line
        self.fact_cores[node][t.file] = (own, line)

    def _check_shared_facts(self) -> None:
        for node, per_file in self.fact_cores.items():
            if len(per_file) < 2:
                continue
            (f1, (c1, l1)), *rest = per_file.items()
            for f2, (c2, l2) in rest:
                if c1 != c2:
                    diff = sorted(str(p).split("#")[-1].split("/")[-1] for p, _ in c1 ^ c2)
                    self.problems.append(SourceProblem(
                        self._rel(f2), l2, None,
                        f"{node} is also stated at {self._rel(f1)}:{l1} but differs in "
                        f"{', '.join(sorted(set(diff)))}; a shared fact must be described "
                        "identically in every article (its IRI is computed from its content)"))

    # ---------------------------------------------------------------- IRIs
    def _quote_iri(self, q: Quote) -> URIRef:
        return KGR[f"quote/{short_hash(q.speaker, normalise_quote(q.text))}"]

    def _stance_iri(self, st: Stance) -> URIRef:
        when = str(st.stated_on) if st.stated_on else f"before-{st.stated_before}"
        return KGR[f"stance/{st.holder}-{'-'.join(st.targets)}-{kebab(st.type)}-{when}"]

    # ---------------------------------------------------------------- each kind of fact
    def _quote(self, q: Quote, t: _Target, path: tuple):
        node = self._quote_iri(q)
        core = [
            (node, RDF.type, KGP.Quote),
            (node, SCHEMA.text, en(normalise_quote(q.text))),
            (node, SCHEMA.spokenByCharacter,
             self.ref(q.speaker, t, (*path, "speaker"), {"Person"}, "speaker")),
            (node, SCHEMA.inLanguage, Literal("en")),
        ]
        if q.medium:
            core.append((node, KGP.medium,
                         self.ref(q.medium, t, (*path, "medium"), MEDIA_TYPES, "medium")))
        if q.uttered_in:
            core.append((node, KGP.utteredIn,
                         self.ref(q.uttered_in, t, (*path, "uttered_in"), {"Event"}, "event")))
        if q.uttered_on:
            core.append((node, KGP.utteredOn, Literal(q.uttered_on)))
        if q.quoted_from:
            core.append((node, PROV.wasQuotedFrom,
                         self.ref(q.quoted_from, t, (*path, "quoted_from"), {"SourceDocument"},
                                  "source document")))
        if q.original_language:
            core.append((node, KGP.originalLanguage, Literal(q.original_language)))
        return node, core

    def _event(self, ev: Event, t: _Target, path: tuple):
        node = KGR[f"event/{ev.id}"]
        core = [(node, RDF.type, KGP[ev.type]), (node, RDF.type, KGP.Event),
                (node, RDFS.label, en(ev.label)), (node, KGP.status, KGP[ev.status])]
        if ev.date:
            core += [(node, SEM.hasBeginTimeStamp, Literal(ev.date)),
                     (node, SCHEMA.startDate, Literal(ev.date))]
        if ev.month:
            core.append((node, KGP.month, Literal(ev.month, datatype=XSD.gYearMonth)))
        if ev.place:
            place = self.ref(ev.place, t, (*path, "place"), None, "place")
            core += [(node, SEM.hasPlace, place), (node, SCHEMA.location, place)]
        for i, actor in enumerate(ev.actors):
            core.append((node, SEM.hasActor,
                         self.ref(actor, t, (*path, "actors", i), AGENT_TYPES, "actor")))
        if ev.plover:
            concept = PLOVER[ev.plover]
            if (concept, None, None) not in self.vocab:
                self.problem(t.file, t.lines, (*path, "plover"),
                             f"unknown PLOVER category {ev.plover!r}; "
                             "see ontology/stance-types.ttl")
            core.append((node, KGP.ploverCategory, concept))
        if ev.plover_mode:
            core.append((node, KGP.ploverMode, Literal(ev.plover_mode)))
        if ev.cameo:
            core.append((node, KGP.cameoCode, CAMEO[ev.cameo]))
        if ev.invited_by:
            core.append((node, KGP.invitedBy,
                         self.ref(ev.invited_by, t, (*path, "invited_by"), AGENT_TYPES)))
        if ev.part_of:
            core.append((self.ref(ev.part_of, t, (*path, "part_of"), {"Event"}, "event"),
                         SEM.hasSubEvent, node))
        return node, core

    def _tenure(self, tn: Tenure, t: _Target, path: tuple):
        holder = tn.post or tn.organization
        suffix = f"-{_slug(tn.role)}" if tn.post is None and tn.role else ""
        node = KGR[f"tenure/{tn.person}-{holder}{suffix}"]
        core = [(node, RDF.type, KGP.Tenure),
                (node, ORG.member, self.ref(tn.person, t, (*path, "person"), {"Person"},
                                            "person"))]
        if tn.post:
            post = self.ref(tn.post, t, (*path, "post"), {"Post"}, "post")
            core.append((node, KGP.post, post))
            # ORG's untimed shortcut, for clients that only know org:holds.
            core.append((self.ref(tn.person, t, (*path, "person")), ORG.holds, post))
            for org in self.entities.objects(post, ORG.postIn):
                core.append((node, ORG.organization, org))
        if tn.organization:
            core.append((node, ORG.organization,
                         self.ref(tn.organization, t, (*path, "organization"), ORG_TYPES,
                                  "organization")))
        if tn.role:
            core.append((node, KGP.roleAsWorded, en(tn.role)))
        if tn.begins or tn.ends:
            interval = URIRef(f"{node}/interval")
            core += [(node, ORG.memberDuring, interval), (interval, RDF.type, TIME.ProperInterval)]
            for bound, prop, flat, name in ((tn.begins, TIME.hasBeginning, SCHEMA.startDate,
                                             "begin"),
                                            (tn.ends, TIME.hasEnd, SCHEMA.endDate, "end")):
                if bound is None:
                    continue
                instant = URIRef(f"{node}/{name}")
                core += [(interval, prop, instant), (instant, RDF.type, TIME.Instant),
                         (instant, time_property(bound), partial_date_literal(bound)),
                         (node, flat, partial_date_literal(bound))]
        if tn.attested_on:
            core.append((node, KGP.attestedOn, Literal(tn.attested_on)))
        if tn.term_length:
            core.append((node, KGP.termLength, Literal(tn.term_length, datatype=XSD.duration)))
        return node, core

    def _stance(self, st: Stance, t: _Target, path: tuple):
        node = self._stance_iri(st)
        if st.type not in self.stance_types:
            close = difflib.get_close_matches(st.type, sorted(self.stance_types), n=3)
            self.problem(t.file, t.lines, (*path, "type"),
                         f"unknown stance type {st.type!r}; known types are in "
                         f"ontology/stance-types.ttl"
                         + (f" (did you mean {', '.join(close)}?)" if close else ""))
        core = [
            (node, RDF.type, KGP.Stance),
            (node, KGP.stanceHolder, self.ref(st.holder, t, (*path, "holder"), AGENT_TYPES,
                                              "holder")),
            (node, KGP.stanceType, KGST[st.type]),
            (node, KGP.polarity, KGP[st.polarity]),
            (node, KGP.modality, KGP[st.modality]),
            (node, KGP.attributionType, KGP[st.attribution]),
        ]
        if st.speaker:
            core.append((node, KGP.statedBy, self.ref(st.speaker, t, (*path, "speaker"),
                                                      {"Person"}, "speaker")))
        for i, target in enumerate(st.targets):
            core.append((node, KGP.stanceTarget,
                         self.ref(target, t, (*path, "targets", i), AGENT_TYPES, "target")))
        if st.target_as_worded:
            core.append((node, KGP.targetAsWorded, en(st.target_as_worded)))
        if st.target_confidence is not None:
            core.append((node, KGP.targetConfidence, decimal(st.target_confidence)))
        if st.strength is not None:
            core.append((node, KGP.strength, decimal(st.strength)))
        if st.intensifier:
            core.append((node, KGP.intensifier, en(st.intensifier)))
        if st.characterized_by:
            core.append((node, KGP.characterizedBy,
                         self.ref(st.characterized_by, t, (*path, "characterized_by"),
                                  MEDIA_TYPES, "characterized_by")))
        if st.expressed_in:
            core.append((node, KGP.expressedIn,
                         self.ref(st.expressed_in, t, (*path, "expressed_in"), {"Quote"},
                                  "quote ref")))
        if st.expressed_during:
            core.append((node, KGP.expressedDuring,
                         self.ref(st.expressed_during, t, (*path, "expressed_during"),
                                  {"Event"}, "event")))
        if st.stated_on:
            core.append((node, KGP.statedOn, Literal(st.stated_on)))
        if st.stated_before:
            core.append((node, KGP.statedBefore, Literal(st.stated_before)))
        for i, topic in enumerate(st.topics):
            core.append((node, KGP.topic, self.ref(topic, t, (*path, "topics", i))))
        if st.plover_context:
            core.append((node, KGP.ploverContext, Literal(st.plover_context)))
        return node, core

    def _assessment(self, a: Assessment, t: _Target, path: tuple):
        node = KGR[f"assessment/{a.id}"]
        if a.state not in self.stance_types:
            self.problem(t.file, t.lines, (*path, "state"),
                         f"unknown relation state {a.state!r}; see ontology/stance-types.ttl")
        core = [(node, RDF.type, KGP.RelationAssessment),
                (node, KGP.relationState, KGST[a.state]),
                (node, KGP.polarity, KGP[a.polarity]),
                (node, KGP.attributionType, KGP[a.attribution]),
                (node, KGP.assessedBy, self.ref(a.assessed_by, t, (*path, "assessed_by"),
                                                AGENT_TYPES, "assessed_by"))]
        for i, x in enumerate(a.between):
            core.append((node, KGP.between, self.ref(x, t, (*path, "between", i), AGENT_TYPES)))
        for i, x in enumerate(a.caused_by):
            core.append((node, KGP.causedBy, self.ref(x, t, (*path, "caused_by", i),
                                                      {"Stance", "Event"}, "cause")))
        return node, core

    def _characterization(self, c: Characterization, t: _Target, path: tuple):
        node = KGR[f"characterization/{c.id}"]
        core = [(node, RDF.type, KGP.Characterization), (node, KGP.claim, en(c.claim)),
                (node, KGP.attributionType, KGP[c.attribution]),
                (node, KGP.characterizedBy, self.ref(c.characterized_by, t,
                                                     (*path, "characterized_by"), AGENT_TYPES))]
        for i, x in enumerate(c.about):
            core.append((node, KGP.about, self.ref(x, t, (*path, "about", i))))
        for i, x in enumerate(c.dominated_by):
            core.append((node, KGP.dominatedBy, self.ref(x, t, (*path, "dominated_by", i),
                                                         AGENT_TYPES)))
        return node, core

    def _omission(self, o: Omission, t: _Target, path: tuple):
        node = KGR[f"omission/{o.id}"]
        core = [(node, RDF.type, KGP.Omission),
                (node, KGP.omittedBy, self.ref(o.omitted_by, t, (*path, "omitted_by"),
                                               AGENT_TYPES)),
                (node, KGP.notMentioned, self.ref(o.not_mentioned, t, (*path, "not_mentioned"))),
                (node, KGP.observedBy, self.ref(o.observed_by, t, (*path, "observed_by"),
                                                AGENT_TYPES))]
        if o.within:
            core.append((node, KGP.within, self.ref(o.within, t, (*path, "within"), {"Event"})))
        if o.basis:
            core.append((node, KGP.basis, self.ref(o.basis, t, (*path, "basis"),
                                                   {"SourceDocument"})))
        return node, core

    def _designation(self, d: Designation, t: _Target, path: tuple):
        node = KGR[f"designation/{d.id}"]
        core = [(node, RDF.type, KGP.Designation),
                (node, KGP.designationLabel, en(d.label)),
                (node, KGP.designatedBy, self.ref(d.designated_by, t, (*path, "designated_by"),
                                                  AGENT_TYPES)),
                (node, KGP.designates, self.ref(d.designates, t, (*path, "designates"),
                                                AGENT_TYPES))]
        if d.designated_on:
            if t.article is not None:
                self.problem(t.file, t.lines, (*path, "designated_on"),
                             "a designation date is external context: put it in data/context.yaml")
            core.append((node, KGP.designatedOn, Literal(d.designated_on)))
        return node, core

    def _statement(self, st: Statement, t: _Target, path: tuple):
        subject = self.ref(st.subject, t, (*path, "subject"))
        try:
            predicate = expand_curie(st.predicate)
        except KeyError as exc:
            self.problem(t.file, t.lines, (*path, "predicate"), str(exc.args[0]))
            predicate = KGP.unknown
        if predicate.startswith(str(KGP)) and (predicate, None, None) not in self.ontology:
            self.problem(t.file, t.lines, (*path, "predicate"),
                         f"{st.predicate} is not declared in ontology/kgpub.ttl")
        if st.object is not None:
            if ":" in st.object:
                try:
                    obj = expand_curie(st.object)
                except KeyError as exc:
                    self.problem(t.file, t.lines, (*path, "object"), str(exc.args[0]))
                    obj = KGP.unknown
            else:
                obj = self.ref(st.object, t, (*path, "object"))
        elif st.iri is not None:
            obj = URIRef(st.iri)
        else:
            obj = self._literal(st, t, path)
        node = KGR[f"statement/{short_hash(subject, predicate, obj.n3())}"]
        core = [(subject, predicate, obj), (node, RDF.type, KGP.ReportedStatement),
                (node, RDF.subject, subject), (node, RDF.predicate, predicate),
                (node, RDF.object, obj)]
        return node, core

    def _literal(self, st: Statement, t: _Target, path: tuple) -> Literal:
        if st.lang:
            return Literal(str(st.value), lang=st.lang)
        if st.datatype:
            try:
                datatype = expand_curie(st.datatype)
            except KeyError as exc:
                self.problem(t.file, t.lines, (*path, "datatype"), str(exc.args[0]))
                return Literal(str(st.value))
            lit = Literal(str(st.value), datatype=datatype)
            if lit.ill_typed:
                self.problem(t.file, t.lines, (*path, "value"),
                             f"{st.value!r} is not a valid {st.datatype}")
            return lit
        if isinstance(st.value, bool | int):
            return Literal(st.value)
        if isinstance(st.value, float):
            return decimal(st.value)
        return Literal(str(st.value))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def materialise_closure(ds: Dataset, ontology: Graph) -> None:
    """Add the named super-classes and super-properties the ontology gives, in the same graph.

    This is RDFS rules 7 and 9 restricted to IRIs: enough for `?x a schema:Person` to work
    without a reasoner, nothing that needs OWL.
    """
    supers: dict[URIRef, set[URIRef]] = {}

    def closure(term: URIRef, relation: URIRef) -> set[URIRef]:
        key = (term, relation)
        if key in supers:
            return supers[key]
        out: set[URIRef] = set()
        stack = [term]
        while stack:
            for parent in ontology.objects(stack.pop(), relation):
                if isinstance(parent, URIRef) and parent not in out and parent != term:
                    out.add(parent)
                    stack.append(parent)
        supers[key] = out
        return out

    for graph in list(ds.graphs()):
        if graph.identifier == KGG.vocab:
            continue
        additions = []
        for s, p, o in graph:
            if p == RDF.type and isinstance(o, URIRef):
                additions += [(s, RDF.type, c) for c in closure(o, RDFS.subClassOf)]
            elif isinstance(p, URIRef) and str(p).startswith(str(KGP)):
                additions += [(s, q, o) for q in closure(p, RDFS.subPropertyOf)]
        for triple in additions:
            graph.add(triple)


def convert(sources: Sources, ontology: Graph, vocab: Graph) -> Dataset:
    """The library entry point: sources in, Dataset out, or SourceError with every problem."""
    ds = Converter(sources, ontology, vocab).convert()
    store_literal_forms(ds)
    return ds


def store_literal_forms(ds: Dataset) -> None:
    """Write every typed literal in the form RDF stores give it back (see canonical_literals),
    so that what /sparql answers, the dumps and the validated graph are the same triples."""
    quads = list(ds.quads((None, None, None, None)))
    changed = canonical_literals(o for _, _, o, _ in quads if isinstance(o, Literal))
    for s, p, o, g in quads:
        if o in changed:
            graph = ds.graph(g)
            graph.remove((s, p, o))
            graph.add((s, p, changed[o]))
