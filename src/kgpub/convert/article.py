"""One article into its own graphs: its facts, its page chrome, its nanopublication envelope,
and what it adds to the shared graphs (its metadata to `entities`, its URL to `context`).

An article is converted on its own, given the shared state (vocabularies and the symbol
table), so that articles can be converted independently of each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from .. import __version__
from ..model import span_text
from ..namespaces import KGG, KGP, KGR, NP, SCHEMA
from ..sources import LoadedArticle
from .evidence import annotate
from .facts import convert_factset
from .identity import article_iri
from .kinds import ARTICLE, MEDIA, PERSON, SOURCE_DOCUMENT
from .literals import en
from .scope import Problems, Scope, Shared, Target
from .symbols import local_symbols
from .triples import Triples

CONVERTER = KGR["agent/kgpub-converter"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def article_graph_iri(article_id: str) -> URIRef:
    return KGG[f"article/{article_id}"]


@dataclass
class ArticleGraphs:
    """What one article contributes to the dataset."""

    article: URIRef
    graphs: dict[URIRef, Triples] = field(default_factory=dict)
    """Its own named graphs: facts, page chrome, nanopublication head, provenance, pubinfo."""
    entities: Triples = field(default_factory=Triples)
    """Its metadata (headline, publisher, dates, ...) with evidence, for the graph `entities`."""
    context: Triples = field(default_factory=Triples)
    """Its URL and the URL's citation, for the graph `context`."""
    facts: list[URIRef] = field(default_factory=list)
    """The fact nodes it reports (page chrome excluded)."""
    referenced: set[str] = field(default_factory=set)
    """The ids and registry keys it refers to."""


def convert_article(shared: Shared, problems: Problems, a: LoadedArticle) -> ArticleGraphs:
    meta = a.model.article
    art = article_iri(meta.id)
    graph_iri = article_graph_iri(meta.id)
    out = ArticleGraphs(art)
    main = out.graphs[graph_iri] = Triples()
    chrome_graph = out.graphs[KGG[f"pagechrome/{meta.id}"]] = Triples()
    local = local_symbols([(a.model.facts, ("facts",)), (a.model.page_chrome, ("page_chrome",))],
                          a.path, a.lines, shared.symbols, problems)
    referenced: set[str] = set()
    scope = Scope(shared, problems, Target(main, a.path, a.lines, a, local=local,
                                           referenced=referenced))
    _metadata(scope, a, art, out.entities, out.context)
    out.facts = convert_factset(scope, a.model.facts, ("facts",))
    chrome = Scope(shared, problems, Target(chrome_graph, a.path, a.lines, a, True, local,
                                            referenced))
    convert_factset(chrome, a.model.page_chrome, ("page_chrome",))
    if not len(chrome_graph):
        del out.graphs[KGG[f"pagechrome/{meta.id}"]]
    _nanopub(out.graphs, graph_iri, art, problems.rel(a.path).as_posix())
    out.referenced = referenced
    return out


def _metadata(scope: Scope, a: LoadedArticle, art: URIRef, e: Triples, context: Triples) -> None:
    meta = a.model.article
    base = ("article",)
    headline = span_text(meta.headline)
    e.add((art, RDF.type, KGP.NewsArticle))
    e.add((art, RDFS.label, en(headline)))
    e.add((art, SCHEMA.headline, en(headline)))
    annotate(scope, art, [meta.headline], (*base, "headline"), graph=e)
    e.add((art, SCHEMA.publisher,
           scope.ref(meta.publisher, (*base, "publisher"), MEDIA, "publisher")))
    annotate(scope, art, meta.publisher_evidence, (*base, "publisher_evidence"), graph=e)
    if meta.author:
        e.add((art, SCHEMA.author, scope.ref(meta.author, (*base, "author"), PERSON, "author")))
        annotate(scope, art, meta.author_evidence, (*base, "author_evidence"), graph=e)
    if meta.date_published:
        e.add((art, SCHEMA.datePublished, Literal(meta.date_published)))
    else:
        e.add((art, KGP.datePublishedEarliest, Literal(meta.date_published_earliest)))
        e.add((art, KGP.datePublishedLatest, Literal(meta.date_published_latest)))
    if meta.date_reasoning:
        e.add((art, KGP.inference, en(meta.date_reasoning)))
    if meta.dateline:
        e.add((art, SCHEMA.dateline, Literal(span_text(meta.dateline))))
        annotate(scope, art, [meta.dateline], (*base, "dateline"), graph=e)
    if meta.location_created:
        e.add((art, SCHEMA.locationCreated,
               scope.ref(meta.location_created, (*base, "location_created"))))
    e.add((art, SCHEMA.inLanguage, Literal(meta.language)))
    if meta.genre:
        e.add((art, SCHEMA.genre, Literal(meta.genre)))
    e.add((art, KGP.sourceFile, Literal(scope.problems.rel(a.text_path).as_posix())))
    e.add((art, KGP.sha256, Literal(a.sha256)))
    e.add((art, KGP.characterCount, Literal(len(a.text), datatype=XSD.integer)))
    for i, other in enumerate(meta.derived_from):
        e.add((art, PROV.wasDerivedFrom,
               scope.ref(other, (*base, "derived_from", i), ARTICLE, "article")))
    annotate(scope, art, meta.derived_from_evidence, (*base, "derived_from_evidence"), graph=e)
    for i, src in enumerate(meta.primary_sources):
        e.add((art, PROV.hadPrimarySource,
               scope.ref(src, (*base, "primary_sources", i), SOURCE_DOCUMENT, "primary source")))
    if meta.url:
        context.add((art, SCHEMA.url, URIRef(meta.url)))
        if meta.url_source:
            context.add((art, DCTERMS.bibliographicCitation, Literal(meta.url_source)))


def _nanopub(graphs: dict[URIRef, Triples], graph_iri: URIRef, art: URIRef, source: str) -> None:
    np_iri = URIRef(f"{graph_iri}/np")
    prov_g = URIRef(f"{graph_iri}/provenance")
    info_g = URIRef(f"{graph_iri}/pubinfo")
    activity = URIRef(f"{graph_iri}/extraction")
    head = graphs[URIRef(f"{graph_iri}/head")] = Triples()
    head.add((np_iri, RDF.type, NP.Nanopublication))
    head.add((np_iri, NP.hasAssertion, graph_iri))
    head.add((np_iri, NP.hasProvenance, prov_g))
    head.add((np_iri, NP.hasPublicationInfo, info_g))
    p = graphs[prov_g] = Triples()
    p.add((graph_iri, PROV.wasDerivedFrom, art))
    p.add((graph_iri, PROV.wasGeneratedBy, activity))
    p.add((activity, RDF.type, PROV.Activity))
    p.add((activity, PROV.used, art))
    p.add((activity, PROV.wasAssociatedWith, CONVERTER))
    p.add((activity, DCTERMS.source, Literal(source)))
    p.add((CONVERTER, RDF.type, PROV.SoftwareAgent))
    p.add((CONVERTER, RDFS.label, en("kgpub converter")))
    info = graphs[info_g] = Triples()
    info.add((np_iri, DCTERMS.license, LICENSE))
    info.add((np_iri, DCTERMS.creator, CONVERTER))
    info.add((np_iri, PROV.wasAttributedTo, CONVERTER))
    info.add((CONVERTER, SCHEMA.softwareVersion, Literal(__version__)))
